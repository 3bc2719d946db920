// The gateway as the benchmark runs it: createApp in a process of its own, plus bench-only hooks
// over IPC (memory after GC, registry stats, SQL for seeding, a CPU profile window) and, for
// scenario 2, a side port that serves the same session rows through a raw SQL query.
import { writeFile } from 'node:fs/promises';
import { writeHeapSnapshot } from 'node:v8';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session as InspectorSession } from 'node:inspector/promises';
import pg from 'pg';
import { measuredMemory, serveIpc } from './lib/ipc.js';
import { RAW_SESSIONS_SQL } from './lib/sql.js';

export interface GatewayArgs {
  databaseUrl?: string;
  redisUrl?: string;
  /** Unset: the gateway's own default (10 s). */
  sessionCacheTtlSeconds?: number;
  /** LIVE_WORKER: the sockets in a child process. */
  liveWorker?: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: the benchmark's receiver listens on loopback. */
  webhookPrivateTargets?: boolean;
}

export interface GatewayInfo {
  url: string;
  rawUrl: string;
  pid: number;
  database: 'pglite' | 'postgres';
}

// The gateway as `npm start` runs it: the build in dist/server (bench/run.ts makes it), not the
// sources through tsx, whose keepNames transform costs memory per closure.
const BUILD = '../dist/server/';
const { createApp } = (await import(`${BUILD}process/app.js`)) as typeof import('../server/process/app.js');
const { loadConfig } = (await import(`${BUILD}process/config.js`)) as typeof import('../server/process/config.js');

const args = JSON.parse(process.argv[2] ?? '{}') as GatewayArgs;
const env: NodeJS.ProcessEnv = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  NODE_ENV: 'production',
  DATABASE_URL: args.databaseUrl,
  REDIS_URL: args.redisUrl,
  SESSION_CACHE_TTL_SECONDS: args.sessionCacheTtlSeconds === undefined ? undefined : String(args.sessionCacheTtlSeconds),
  // The benchmark opens 10,000 sockets for one user from one loopback address and signs up a user
  // per measurement: abuse caps that production wants, lifted here (variables the gateway reads).
  WS_MAX_SOCKETS_PER_USER: '1000000',
  WS_MAX_SOCKETS_PER_IP: '1000000',
  RATE_LIMIT_SIGN_UP_PER_IP: '1000000',
  RATE_LIMIT_SIGN_UP_PER_ACCOUNT: '1000000',
  RATE_LIMIT_SIGN_IN_FAILURES_PER_IP: '1000000',
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP: '1000000',
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: '1000000',
  // The load generators replay one cookie for the whole run and ignore Set-Cookie. With rotation
  // on, a session older than 15 minutes gets a new token, and the replayed old one is (rightly)
  // taken for a stolen copy after 30 s: the session is revoked mid-run (scenario 6's failures).
  TOKEN_ROTATION_SECONDS: '0',
  LIVE_WORKER: args.liveWorker ? '1' : '',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: args.webhookPrivateTargets ? '1' : '',
};
// loadConfig resolves DATA_DIR to a path, so the in-memory PGlite is given as an override.
const config = loadConfig(env, args.databaseUrl ? {} : { dataDir: 'memory://' });
// The live worker reads its configuration from the same variables.
const app = await createApp({ config, env: { ...process.env, ...env } });
const url = await app.start();
const { prisma } = app.services;

// Scenario 2's baseline: the same rows as `sessions`, by one SQL statement through the same driver
// (node-postgres for PostgreSQL; for PGlite the only way in is the gateway's own Prisma client).
const pool = args.databaseUrl ? new pg.Pool({ connectionString: args.databaseUrl, max: 10 }) : null;
const rawRows = async (userId: string): Promise<unknown[]> =>
  pool ? (await pool.query(RAW_SESSIONS_SQL, [userId])).rows : await prisma.$queryRawUnsafe<unknown[]>(RAW_SESSIONS_SQL, userId);

const raw = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { userId } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { userId?: string };
    rawRows(userId ?? '').then(
      (rows) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ data: { sessions: rows } }));
      },
      (err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
});
await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/raw-sessions`;

let profiler: InspectorSession | null = null;

const info: GatewayInfo = { url, rawUrl, pid: process.pid, database: app.services.db.kind };
serveIpc(
  {
    mem: () => measuredMemory(),
    heapSnapshot: (a: { file: string }) => {
      measuredMemory();
      return writeHeapSnapshot(a.file);
    },
    stats: () => app.liveStats(),
    sql: async (a: { text: string }) => prisma.$executeRawUnsafe(a.text),
    query: async (a: { text: string }) => prisma.$queryRawUnsafe<unknown[]>(a.text),
    // The same V8 sampling profiler as `node --cpu-prof`, limited to the load window.
    profileStart: async (a: { intervalUs: number }) => {
      profiler = new InspectorSession();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: a.intervalUs });
      await profiler.post('Profiler.start');
      return true;
    },
    profileStop: async (a: { file: string }) => {
      if (!profiler) throw new Error('no profile running');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = null;
      await writeFile(a.file, JSON.stringify(profile));
      return a.file;
    },
  },
  info,
  async () => {
    raw.close();
    await pool?.end();
    await app.stop();
  },
);
