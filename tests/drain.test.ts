// A deploy: SIGTERM stops accepting, closes every socket with 1012 (Service Restart) at moments
// spread over SHUTDOWN_DRAIN_SECONDS, so that clients come back spread out, and exits cleanly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signInMany } from './helpers/faults.js';
import { signUp } from './helpers/graphql.js';
import { spawnGateway } from './helpers/process.js';
import type { Closed } from './helpers/ws.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const SOCKETS = 40;
const DRAIN_SECONDS = 3;

describe('SIGTERM drains the sockets', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`closes ${SOCKETS} sockets with 1012, spread over the drain window, refuses new ones, and exits 0`, async () => {
    dataDir = databaseUrl ? undefined : await mkdtemp(path.join(tmpdir(), 'drain-'));
    const gateway = await spawnGateway({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir!, DATABASE_URL: '', REDIS_URL: '' }), SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) }, { readyTimeoutMs: 90_000 });
    const user = await signUp(gateway);
    const sessions = await signInMany(gateway, user, SOCKETS);
    const sockets = await Promise.all(sessions.map((s) => openLive(gateway.wsUrl, { token: s.token })));
    sockets.forEach((s) => s.subscribe());
    const signalledAt = performance.now();
    const exited = gateway.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const late = await openLive(gateway.wsUrl, { token: user.token });
    expect(late.frames.some((f) => f.type === 'connection_ack')).toBe(false);
    const closes: Closed[] = await Promise.all(sockets.map((s) => s.closed));
    expect(await exited).toBe(0);
    expect(closes.map((c) => c.code)).toEqual(sockets.map(() => 1012));
    const offsets = closes.map((c) => c.at - signalledAt).sort((a, b) => a - b);
    // Spread: not all at once, and all within the window (with a margin for a loaded machine).
    const [first = 0, last = 0] = [offsets[0], offsets.at(-1)];
    expect(last - first).toBeGreaterThan(DRAIN_SECONDS * 1000 * 0.4);
    expect(last).toBeLessThan(DRAIN_SECONDS * 1000 + 3000);
  }, 150_000);
});
