// Prisma's own schema engine, compiled to WebAssembly, run in-process. The Prisma CLI would
// download a native engine instead, which machines without internet cannot do.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine as Engine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PROJECT_ROOT } from '../process/paths.js';

export const SCHEMA_PATH = path.join(PROJECT_ROOT, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma/migrations');
const LOCKFILE = 'migration_lock.toml';
const NO_FILTERS = { externalTables: [], externalEnums: [] };

let loaded: Promise<void> | undefined;

/** Instantiates the wasm module once (Node 20 cannot import .wasm as an ES module). */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmFile), { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

/**
 * Runs `fn` with an engine, then closes every connection the engine opened. On PostgreSQL the
 * engine holds Prisma's migration advisory lock until its connection ends, so a connection left
 * open would block the migrations of every other instance.
 */
async function withEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, fn: (engine: Engine) => Promise<T>): Promise<T> {
  await loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const engine = await bindings.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(tracked));
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

export async function readSchemaFile(): Promise<{ path: string; content: string }> {
  return { path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, 'utf8') };
}

/** The migrations folder in the shape the engine expects (what `prisma migrate` reads from disk). */
export async function readMigrations(): Promise<MigrationList> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockContent = await readFile(path.join(MIGRATIONS_DIR, LOCKFILE), 'utf8').catch(() => null);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Applies pending migrations, recording them in `_prisma_migrations` like `prisma migrate deploy`. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const migrationsList = await readMigrations();
  return withEngine(factory, async (engine) => (await engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).appliedMigrationNames);
}

/** SQL that takes a database built from the migrations to what schema.prisma describes ('' when none). */
export async function pendingSchemaChange(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  return withEngine(factory, async (engine) => {
    const migrations = await readMigrations();
    const from = migrations.migrationDirectories.length > 0 ? { tag: 'migrations' as const, ...migrations } : { tag: 'empty' as const };
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [await readSchemaFile()] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = (result.stdout ?? '').trim();
    return sql === '' || /^-- This is an empty migration\.?$/.test(sql) ? '' : `${sql}\n`;
  });
}
