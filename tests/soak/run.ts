// The soak (issue #7), shared by tests/soak.test.ts (bounded) and scripts/soak.ts (the full run).
//
// N virtual clients (./client.ts) loop until time is up, after a warm-up. Afterwards every token
// is presented once more: revoked ones must get 401, live ones must be accepted.
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { TestUser } from '../helpers/graphql.js';
import { signUp, WHO_AM_I } from '../helpers/graphql.js';
import type { TestServer } from '../helpers/server.js';
import { VirtualClient } from './client.js';
import { answered, Recorder, refused } from './recorder.js';
import type { SoakReport } from './report.js';
import { figures } from './report.js';

export interface SoakOptions {
  clients: number;
  seconds: number;
  /** Before the measured run; default a sixth of it, 2 to 10 s. */
  warmupSeconds?: number;
  /** Progress lines (the script prints them; the test stays quiet). */
  log?: (line: string) => void;
}

/** Clients start spread over this long, so that the first round is not a stampede. */
const RAMP_UP_MS = 2_000;

/** heapUsed after full collections; exposes gc at run time when the process was not started with it. */
async function settledHeapUsed(): Promise<number> {
  v8.setFlagsFromString('--expose-gc');
  const gc = (globalThis.gc ?? vm.runInNewContext('gc')) as () => void;
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

/** Pre-creates one user per client, a few at a time (sign-up hashes a password: ~55 ms of CPU). */
async function createUsers(server: TestServer, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  while (users.length < count) {
    const batch = Math.min(4, count - users.length);
    users.push(...(await Promise.all(Array.from({ length: batch }, () => signUp(server)))));
  }
  return users;
}

/** Starts client i after its share of the ramp-up. */
function rampDelay(i: number, count: number): Promise<void> {
  return sleep(Math.floor((i * RAMP_UP_MS) / Math.max(1, count)));
}

/** Runs every client's loop until the deadline; each finishes its current round. */
async function loopUntil(clients: VirtualClient[], deadline: number, rampUp: boolean): Promise<void> {
  await Promise.all(
    clients.map(async (client, i) => {
      if (rampUp) await rampDelay(i, clients.length);
      while (Date.now() < deadline) await client.iterate();
    }),
  );
}

/** Every revoked token is refused and every live one accepted, with its own user. */
async function verifyAll(server: TestServer, clients: VirtualClient[], rec: Recorder): Promise<{ revoked: number; live: number }> {
  const counts = { revoked: 0, live: 0 };
  await Promise.all(
    clients.map(async (client) => {
      for (const s of client.tracked) {
        const res = await rec.request(server, 'verify', WHO_AM_I, undefined, s.token);
        if (!res) continue;
        if (s.live) {
          counts.live++;
          const data = answered(rec, `verify live session ${s.id}`, res);
          if (data && data.me.id !== client.userId) rec.fail(`verify: live session ${s.id} answered as user ${data.me.id}`);
        } else {
          counts.revoked++;
          refused(rec, `verify revoked session ${s.id}`, res, 401, 'UNAUTHENTICATED');
        }
      }
    }),
  );
  return counts;
}

/** Waits until the server holds no socket and no registration (or the timeout). */
async function untilDrained(server: TestServer, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stats = server.app.registry.stats();
    if (server.app.sockets.clients() === 0 && stats.connections === 0 && stats.streams === 0) return;
    await sleep(50);
  }
}

export async function runSoak(server: TestServer, options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  log(`creating ${options.clients} users`);
  const users = await createUsers(server, options.clients);
  // Warm-up: the same loop for a while, so that the baseline heap includes what the first rounds
  // allocate for good (optimised code, statement caches, pooled connections), and the heap check
  // measures growth in a steady state.
  const warmupSeconds = options.warmupSeconds ?? Math.min(10, Math.max(2, options.seconds / 6));
  const rec = new Recorder();
  const clients = users.map((u) => new VirtualClient(server, u, rec));
  await loopUntil(clients, Date.now() + warmupSeconds * 1000, true);
  await untilDrained(server);
  const heapBeforeBytes = await settledHeapUsed();
  log(`warm: heap ${(heapBeforeBytes / 2 ** 20).toFixed(1)} MiB; soaking ${options.clients} clients for ${options.seconds} s`);

  // The same clients go on: each one's model of its user's sessions spans the warm-up too.
  rec.resetFigures();
  const started = performance.now();
  await loopUntil(clients, Date.now() + options.seconds * 1000, false);
  const seconds = (performance.now() - started) / 1000;
  // Requests only: socket acknowledgements and the verification pass are reported apart.
  const soakLatencies = [...rec.latencies].filter(([op]) => op !== 'verify' && op !== 'socketAck').flatMap(([, list]) => list);
  log(`soak done: ${rec.iterations} rounds, ${soakLatencies.length} requests; verifying every session`);

  const verified = await verifyAll(server, clients, rec);
  await untilDrained(server);
  const heapAfterBytes = await settledHeapUsed();
  return {
    clients: options.clients,
    warmupSeconds,
    seconds: Math.round(seconds * 10) / 10,
    iterations: rec.iterations,
    requests: soakLatencies.length,
    requestsPerSecond: Math.round(soakLatencies.length / seconds),
    latency: figures(soakLatencies),
    byOperation: Object.fromEntries([...rec.latencies].map(([op, list]) => [op, figures(list)])),
    socketsOpened: rec.socketsOpened,
    kicks: rec.kicks,
    failures: rec.failures,
    failureCount: rec.failureCount,
    revokedChecked: verified.revoked,
    liveChecked: verified.live,
    heapBeforeBytes,
    heapAfterBytes,
    registryAfter: server.app.registry.stats(),
    socketsAfter: server.app.sockets.clients(),
  };
}
