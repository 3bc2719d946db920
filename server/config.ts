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
  /** A cookie session's token is replaced after this much use (0 = never). */
  tokenRotationMs: number;
  /** How long a rotated-out token is still accepted (requests in flight). */
  tokenReuseGraceMs: number;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    /** Largest request body, in bytes. */
    maxBodyBytes: number;
    socketsPerUser: number;
    socketsPerIp: number;
    subscriptionsPerSocket: number;
  };
  rateLimits: {
    signInPerAccount: number;
    signInPerIp: number;
    signUpPerAccount: number;
    signUpPerIp: number;
    windowMs: number;
  };
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
    tokenRotationMs: int(env.TOKEN_ROTATION_SECONDS, 15 * 60, 'TOKEN_ROTATION_SECONDS') * 1000,
    tokenReuseGraceMs: int(env.TOKEN_REUSE_GRACE_SECONDS, 30, 'TOKEN_REUSE_GRACE_SECONDS') * 1000,
    limits: {
      maxDepth: int(env.QUERY_MAX_DEPTH, 10, 'QUERY_MAX_DEPTH'),
      maxAliases: int(env.QUERY_MAX_ALIASES, 15, 'QUERY_MAX_ALIASES'),
      maxDirectives: int(env.QUERY_MAX_DIRECTIVES, 50, 'QUERY_MAX_DIRECTIVES'),
      maxTokens: int(env.QUERY_MAX_TOKENS, 1000, 'QUERY_MAX_TOKENS'),
      maxCost: int(env.QUERY_MAX_COST, 5000, 'QUERY_MAX_COST'),
      maxBodyBytes: int(env.MAX_BODY_BYTES, 100_000, 'MAX_BODY_BYTES'),
      socketsPerUser: int(env.WS_MAX_SOCKETS_PER_USER, 100, 'WS_MAX_SOCKETS_PER_USER'),
      socketsPerIp: int(env.WS_MAX_SOCKETS_PER_IP, 1000, 'WS_MAX_SOCKETS_PER_IP'),
      subscriptionsPerSocket: int(env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET, 10, 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET'),
    },
    rateLimits: {
      signInPerAccount: int(env.RATE_LIMIT_SIGN_IN_PER_ACCOUNT, 10, 'RATE_LIMIT_SIGN_IN_PER_ACCOUNT'),
      signInPerIp: int(env.RATE_LIMIT_SIGN_IN_PER_IP, 100, 'RATE_LIMIT_SIGN_IN_PER_IP'),
      signUpPerAccount: int(env.RATE_LIMIT_SIGN_UP_PER_ACCOUNT, 5, 'RATE_LIMIT_SIGN_UP_PER_ACCOUNT'),
      signUpPerIp: int(env.RATE_LIMIT_SIGN_UP_PER_IP, 20, 'RATE_LIMIT_SIGN_UP_PER_IP'),
      windowMs: int(env.RATE_LIMIT_WINDOW_SECONDS, 15 * 60, 'RATE_LIMIT_WINDOW_SECONDS') * 1000,
    },
    // Off by default with Redis: another instance's revocation reaches this cache asynchronously.
    sessionCacheTtlMs: int(env.SESSION_CACHE_TTL_SECONDS, env.REDIS_URL ? 0 : 10, 'SESSION_CACHE_TTL_SECONDS') * 1000,
    production: env.NODE_ENV === 'production',
    ...overrides,
  };
}
