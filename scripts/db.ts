// npm run db:migrate | db:migration -- <name> | db:check
// Migrations through Prisma's wasm schema engine: see server/db/schema-engine.ts.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../server/process/config.js';
import { openDriver } from '../server/db/client.js';
import { MIGRATIONS_DIR, applyMigrations, pendingSchemaChange } from '../server/db/schema-engine.js';

const [command, name] = process.argv.slice(2);
const config = loadConfig();

async function inMemory<T>(fn: (d: Awaited<ReturnType<typeof openDriver>>) => Promise<T>): Promise<T> {
  const driver = await openDriver({ dataDir: 'memory://' });
  try {
    return await fn(driver);
  } finally {
    await driver.closeDriver();
  }
}

async function main(): Promise<number> {
  switch (command) {
    case 'migrate': {
      const driver = await openDriver({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await applyMigrations(driver.factory);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await driver.closeDriver();
      }
      return 0;
    }
    case 'migration': {
      if (!name || !/^[a-z0-9_]+$/.test(name)) {
        console.error('usage: npm run db:migration -- <name>   (lower case, digits, underscores)');
        return 2;
      }
      const sql = await inMemory((d) => pendingSchemaChange(d.factory));
      if (sql === '') {
        console.log('schema.prisma and the migrations agree: nothing to write');
        return 0;
      }
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'migration.sql'), sql);
      await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), '# Written by npm run db:migration\nprovider = "postgresql"\n');
      console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
      return 0;
    }
    case 'check': {
      const sql = await inMemory((d) => pendingSchemaChange(d.factory));
      if (sql !== '') {
        console.error('schema.prisma differs from prisma/migrations; run `npm run db:migration -- <name>`. Missing SQL:\n' + sql);
        return 1;
      }
      console.log('schema.prisma and prisma/migrations agree');
      return 0;
    }
    default:
      console.error('usage: tsx scripts/db.ts migrate | migration <name> | check');
      return 2;
  }
}

process.exitCode = await main();
