// A PostgreSQL database of one test's own (for tests whose work is global: pruning, dropping the
// database), created on the machine's server and dropped afterwards; on PGlite, nothing to do.
import pg from 'pg';

export interface OwnDatabase {
  /** The database URL to start a server on; undefined on PGlite (each server has its own). */
  url: string | undefined;
  drop(): Promise<void>;
}

export async function ownDatabase(prefix: string): Promise<OwnDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { url: undefined, drop: async () => undefined };
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  return {
    url: Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
