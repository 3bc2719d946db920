// Real gateway processes (and a private Redis) for the multi-instance tests.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Proc {
  child: ChildProcess;
  logs: string[];
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function track(child: ChildProcess): Proc {
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(line);
    waiters.forEach((w) => w());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    waitForLog(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = logs.find((l) => pattern.test(l));
          if (hit) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface GatewayProcess extends Proc {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
}

/**
 * `built`: the compiled server in dist/server, as `npm start` runs it; else the sources through tsx.
 * `readyTimeoutMs`: a first start on an empty PGlite directory migrates it, which takes longer.
 */
export async function spawnGateway(env: Record<string, string>, options: { built?: boolean; readyTimeoutMs?: number } = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const entry = options.built ? ['--enable-source-maps', 'dist/server/index.js'] : ['--import', 'tsx', 'server/index.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      // Every test file signs up from 127.0.0.1 into the shared database's counters.
      RATE_LIMIT_SIGN_IN_FAILURES_PER_IP: '1000000',
      RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP: '1000000',
      RATE_LIMIT_SIGN_UP_PER_IP: '1000000',
      RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: '1000000',
      RATE_LIMIT_SIGN_UP_PER_ACCOUNT: '1000000',
      SHUTDOWN_DRAIN_SECONDS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = track(child);
  try {
    await proc.waitForLog(/"msg":"ready"/, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await proc.stop('SIGKILL'); // never leave a half-started gateway behind
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  return { ...proc, url, graphqlUrl: `${url}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
}

export async function spawnRedis(port: number): Promise<Proc> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = track(child);
  await proc.waitForLog(/Ready to accept connections/, 10_000);
  return proc;
}
