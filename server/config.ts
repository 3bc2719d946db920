// Environment → typed configuration, with the defaults the README documents.
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  /** Public origin(s) allowed to open cookie-authenticated sockets; empty = the gateway's own. */
  allowedOrigins: string[];
  /** Forces Secure + __Host- cookies even behind a TLS-terminating proxy. */
  secureCookies: boolean;
  sessionIdleTimeoutMs: number;
  sessionLifetimeMs: number;
  /** How stale lastActiveAt may get before a request writes it again. */
  activityWriteIntervalMs: number;
  /** How long a checked session is trusted without a query (0 = every request queries). */
  sessionCacheTtlMs: number;
  production: boolean;
}

const DAY = 24 * 60 * 60 * 1000;

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}

function bool(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return {
    host: env.HOST || '0.0.0.0',
    port: int(env.PORT, 4000, 'PORT'),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: bool(env.TRUST_PROXY),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    secureCookies: bool(env.SECURE_COOKIES),
    sessionIdleTimeoutMs: int(env.SESSION_IDLE_TIMEOUT_SECONDS, 7 * DAY / 1000, 'SESSION_IDLE_TIMEOUT_SECONDS') * 1000,
    sessionLifetimeMs: int(env.SESSION_LIFETIME_SECONDS, 30 * DAY / 1000, 'SESSION_LIFETIME_SECONDS') * 1000,
    activityWriteIntervalMs: int(env.SESSION_ACTIVITY_INTERVAL_SECONDS, 60, 'SESSION_ACTIVITY_INTERVAL_SECONDS') * 1000,
    // Off by default with Redis: another instance's revocation reaches this cache asynchronously.
    sessionCacheTtlMs: int(env.SESSION_CACHE_TTL_SECONDS, env.REDIS_URL ? 0 : 10, 'SESSION_CACHE_TTL_SECONDS') * 1000,
    production: env.NODE_ENV === 'production',
    ...overrides,
  };
}
