// The Prisma client on the embedded default (PGlite in DATA_DIR) or on PostgreSQL (DATABASE_URL).
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations } from './schema-engine.js';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Folder of the PGlite data; 'memory://' for a throw-away database. */
  dataDir: string;
}

interface Opened {
  factory: SqlMigrationAwareDriverAdapterFactory;
  kind: Database['kind'];
  closeDriver(): Promise<void>;
}

/**
 * A database that does not answer (a cut network, a hung server) fails a request instead of
 * holding it: 503 over HTTP, 1013 on a socket. Generous enough for the slowest statement we run.
 */
const DATABASE_TIMEOUTS = { connectionTimeoutMillis: 5000, query_timeout: 15_000 };

async function openDriver(options: DatabaseOptions): Promise<Opened> {
  if (options.databaseUrl) {
    return { factory: new PrismaPg({ connectionString: options.databaseUrl, max: 10, ...DATABASE_TIMEOUTS }), kind: 'postgres', closeDriver: async () => {} };
  }
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir);
  return {
    factory: new PrismaPGlite(pglite),
    kind: 'pglite',
    closeDriver: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { factory, kind, closeDriver } = await openDriver(options);
  await applyMigrations(factory);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    kind,
    async ping() {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}

/** A driver only, for the migration commands. */
export { openDriver };
