// Starts a real gateway on a free port: PGlite in memory by default, the machine's PostgreSQL when
// the suite runs in the postgres project (TEST_DATABASE_URL). Each test file gets its own server.
import { pino } from 'pino';
import type { App } from '../../server/process/app.js';
import { createApp } from '../../server/process/app.js';
import { ManualClock } from '../../server/process/clock.js';
import type { Config } from '../../server/process/config.js';
import { loadConfig } from '../../server/process/config.js';

export interface TestServer {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  app: App;
  clock: ManualClock;
  config: Config;
  stop(): Promise<void>;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** `logTo`: a stream that receives the server's JSON log lines (for tests that read the logs). */
export async function startServer(overrides: Partial<Config> = {}, logTo?: NodeJS.WritableStream): Promise<TestServer> {
  // No drain window on stop: a test file's server closes its sockets at once (1012).
  const config = loadConfig({ SHUTDOWN_DRAIN_SECONDS: '0' }, {
    host: '127.0.0.1',
    port: 0,
    dataDir: 'memory://',
    databaseUrl: process.env.TEST_DATABASE_URL || undefined,
    logLevel: process.env.TEST_LOG_LEVEL || 'silent',
    // Test files sign up many users from 127.0.0.1; the rate-limit tests set their own limits.
    rateLimits: { windowMs: 60_000, longWindowMs: 60_000, signInFailuresPerAccountAndIp: 1e6, signInFailuresPerIp: 1e6, signInFailuresPerAccount: 1e6, signInDelayMs: 1000, passwordChangeFailures: 1e6, signUpPerAccount: 1e6, signUpPerIp: 1e6, passwordResetPerAccount: 1e6, passwordResetPerIp: 1e6 },
    ...overrides,
  });
  const clock = new ManualClock();
  const logger = logTo ? pino({ level: config.logLevel }, logTo) : pino({ level: config.logLevel });
  const app = await createApp({ config, clock, logger });
  const url = await app.start();
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    app,
    clock,
    config,
    stop: () => app.stop(),
  };
}
