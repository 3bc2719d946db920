// Builds the client before the browser tests, so that they never test a stale client/dist.
// E2E_SKIP_BUILD=1 keeps an existing build (it is still built when missing).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  const args = ['scripts/ensure-client.mjs'];
  if (!process.env.E2E_SKIP_BUILD || !existsSync(path.join(root, 'client/dist/index.html'))) args.push('--force');
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the client failed');
}
