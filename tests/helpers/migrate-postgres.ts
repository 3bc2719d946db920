// Applies the migrations once before the postgres project's files start their servers in parallel.
import { openDriver } from '../../server/db/client.js';
import { applyMigrations } from '../../server/db/schema-engine.js';

export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const driver = await openDriver({ databaseUrl: url, dataDir: '' });
  try {
    await applyMigrations(driver.factory);
  } finally {
    await driver.closeDriver();
  }
}
