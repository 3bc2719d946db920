// Environment → typed configuration, with the defaults the README documents.
import path from 'node:path';
import { parsePublicUrl, parseSmtpUrl } from '../mail/urls.js';
import { parseOrigins } from '../http/origins.js';
import type { TrustProxy } from '../http/proxy.js';
import { parseTrustProxy } from '../http/proxy.js';
import type { WebhookConfig } from '../webhooks/config.js';
import { loadWebhookConfig } from '../webhooks/config.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: string;
  /** TRUST_PROXY, compiled once: which hops are proxies whose X-Forwarded-For/-Proto are believed. */
  trustProxy: TrustProxy;
  /** Origins (as browsers send them) given credentialed CORS and cookie-authenticated sockets; the gateway's own needs none. */
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
  /** How long after its sign-in (or `reauthenticate`) a session may revoke sessions and manage members (auth/reauth.ts). */
  reauthWindowMs: number;
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
  /** The live layer under faults (live/reconcile.ts, live/ws.ts). */
  live: {
    /** Between two checks of every open socket against the database while Redis is healthy (LIVE_SWEEP_SECONDS). */
    sweepMs: number;
    /** The same while Redis is down or hung (LIVE_DEGRADED_SWEEP_SECONDS): bounds how long a revoked socket stays open then. */
    degradedSweepMs: number;
    /** A socket with more than this queued for it (a client that stopped reading) is closed with 4008. */
    maxBufferedBytes: number;
    /** On SIGTERM the sockets are closed with 1012 spread over this window, so that clients do not reconnect all at once. */
    drainMs: number;
    /**
     * LIVE_WORKER: the WebSockets are held by a child process (live/worker-host.ts), so that a kick
     * of thousands of sockets does not stall the process answering HTTP. Needs DATABASE_URL.
     */
    worker: boolean;
    /** LIVE_WORKER_PART_ROWS: a change with more rows goes to the worker in parts of this many, one per turn of the gateway's loop. */
    workerPartRows: number;
  };
  /**
   * With Redis: how long an instance's presence (`Session.online`) outlives its last heartbeat
   * (PRESENCE_TTL_SECONDS, 1–3600; beats every third of it): the bound on how long the sessions
   * of a SIGKILLed instance still show online.
   */
  presenceTtlMs: number;
  /** Abuse limits (auth/rate-limit.ts). Sign-in limits count failed attempts only. */
  rateLimits: {
    /** The short window: sign-ups, an (account, address) pair's failures, password-change failures. */
    windowMs: number;
    /** The long window: failures per address and per account. */
    longWindowMs: number;
    /** Failed sign-ins to one account from one address per short window; a success clears them. */
    signInFailuresPerAccountAndIp: number;
    /** Failed sign-ins from one address (any accounts) per long window. */
    signInFailuresPerIp: number;
    /** Failed sign-ins to one account (all addresses) per long window, after which it is paced. */
    signInFailuresPerAccount: number;
    /** A paced account takes one attempt per this much from an address it was never signed in from. */
    signInDelayMs: number;
    /** Wrong current passwords in changePassword per user per short window. */
    passwordChangeFailures: number;
    signUpPerAccount: number;
    signUpPerIp: number;
    /** requestPasswordReset calls per account (known or not) and per address per short window. */
    passwordResetPerAccount: number;
    passwordResetPerIp: number;
  };
  /** How long a checked session is trusted without a query (0 = every request queries). */
  sessionCacheTtlMs: number;
  /** MFA_ENCRYPTION_KEY: base64 of 32 bytes, the AES-256-GCM key of TOTP secrets (auth/mfa-secrets.ts). */
  mfaEncryptionKey: string | undefined;
  /** Every account must use two-factor authentication (ASVS 5.0 6.3.3): enrolment at sign-up and sign-in. */
  mfaRequired: boolean;
  /** How long after its 30-s step a TOTP code is still accepted (clock drift); 0: its step only (ASVS 5.0 6.5.5). */
  totpToleranceSeconds: number;
  /** How long an ended (revoked or expired) session's row is kept, for the user's and the audit's sake. */
  sessionRetentionMs: number;
  /** How long an audit event (with its IP address and user agent) is kept. */
  auditRetentionMs: number;
  production: boolean;
  /** SMTP_URL (smtp:// or smtps://): where mail goes; without it password reset sends nothing. */
  smtpUrl: string | undefined;
  /** MAIL_FROM: the From of every message. */
  mailFrom: string;
  /** PUBLIC_URL: the origin links in mail point at; unset, http://localhost:PORT once listening. */
  publicUrl: string | undefined;
  /** How long a password-reset link works. */
  passwordResetTtlMs: number;
  /** INVITATION_TTL_SECONDS: how long an invitation to an organisation can be accepted (7 days). */
  invitationTtlMs: number;
  /** WEBHOOK_*: the operator endpoint, delivery schedule, SSRF policy (webhooks/config.ts). */
  webhooks: WebhookConfig;
}

const DAY = 24 * 60 * 60 * 1000;
/** The default life of an invitation to an organisation. */
export const INVITATION_TTL_DAYS = 7;

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}

/** A number above zero (a period or a bound of 0 would spin or refuse everything). */
function positive(value: string | undefined, fallback: number, name: string): number {
  const n = int(value, fallback, name);
  if (n === 0) throw new Error(`${name} must be above 0, got "${value}"`);
  return n;
}

/** A count above zero. */
function whole(value: string | undefined, fallback: number, name: string): number {
  const n = positive(value, fallback, name);
  if (!Number.isInteger(n)) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** Whole seconds, 1 to 3600: under a second would beat too often, and an hour would leave a dead instance's sessions online that long. */
function presenceTtl(value: string | undefined): number {
  const n = positive(value, 30, 'PRESENCE_TTL_SECONDS');
  if (!Number.isInteger(n) || n > 3600) throw new Error(`PRESENCE_TTL_SECONDS must be a whole number of seconds from 1 to 3600, got "${value}"`);
  return n;
}

function bool(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** The embedded database lives inside one process: a second one could not open it. */
function liveWorker(env: NodeJS.ProcessEnv): boolean {
  const on = bool(env.LIVE_WORKER);
  if (on && !env.DATABASE_URL) throw new Error('LIVE_WORKER needs DATABASE_URL: the embedded database can only be opened by one process');
  return on;
}

/** Variables whose meaning changed: a deployment that still sets one is told, not silently ignored. */
const RENAMED: Record<string, string> = {
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 'RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP (per address) and RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT (pacing)',
  RATE_LIMIT_SIGN_IN_PER_IP: 'RATE_LIMIT_SIGN_IN_FAILURES_PER_IP',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  for (const [old, now] of Object.entries(RENAMED)) {
    if (env[old] !== undefined) throw new Error(`${old} is no longer read: only failed sign-ins count now; set ${now} instead (see README)`);
  }
  return {
    host: env.HOST || '0.0.0.0',
    port: int(env.PORT, 4000, 'PORT'),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    allowedOrigins: parseOrigins(env.ALLOWED_ORIGINS),
    secureCookies: bool(env.SECURE_COOKIES),
    sessionIdleTimeoutMs: int(env.SESSION_IDLE_TIMEOUT_SECONDS, 7 * DAY / 1000, 'SESSION_IDLE_TIMEOUT_SECONDS') * 1000,
    sessionLifetimeMs: int(env.SESSION_LIFETIME_SECONDS, 30 * DAY / 1000, 'SESSION_LIFETIME_SECONDS') * 1000,
    activityWriteIntervalMs: int(env.SESSION_ACTIVITY_INTERVAL_SECONDS, 60, 'SESSION_ACTIVITY_INTERVAL_SECONDS') * 1000,
    tokenRotationMs: int(env.TOKEN_ROTATION_SECONDS, 15 * 60, 'TOKEN_ROTATION_SECONDS') * 1000,
    tokenReuseGraceMs: int(env.TOKEN_REUSE_GRACE_SECONDS, 30, 'TOKEN_REUSE_GRACE_SECONDS') * 1000,
    reauthWindowMs: int(env.REAUTH_WINDOW_SECONDS, 300, 'REAUTH_WINDOW_SECONDS') * 1000,
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
    live: {
      sweepMs: positive(env.LIVE_SWEEP_SECONDS, 10, 'LIVE_SWEEP_SECONDS') * 1000,
      degradedSweepMs: positive(env.LIVE_DEGRADED_SWEEP_SECONDS, 2, 'LIVE_DEGRADED_SWEEP_SECONDS') * 1000,
      maxBufferedBytes: positive(env.WS_MAX_BUFFERED_BYTES, 1024 * 1024, 'WS_MAX_BUFFERED_BYTES'),
      drainMs: int(env.SHUTDOWN_DRAIN_SECONDS, 10, 'SHUTDOWN_DRAIN_SECONDS') * 1000,
      worker: liveWorker(env),
      workerPartRows: whole(env.LIVE_WORKER_PART_ROWS, 500, 'LIVE_WORKER_PART_ROWS'),
    },
    presenceTtlMs: presenceTtl(env.PRESENCE_TTL_SECONDS) * 1000,
    rateLimits: {
      windowMs: int(env.RATE_LIMIT_WINDOW_SECONDS, 15 * 60, 'RATE_LIMIT_WINDOW_SECONDS') * 1000,
      longWindowMs: int(env.RATE_LIMIT_LONG_WINDOW_SECONDS, DAY / 1000, 'RATE_LIMIT_LONG_WINDOW_SECONDS') * 1000,
      signInFailuresPerAccountAndIp: int(env.RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP, 10, 'RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP'),
      signInFailuresPerIp: int(env.RATE_LIMIT_SIGN_IN_FAILURES_PER_IP, 100, 'RATE_LIMIT_SIGN_IN_FAILURES_PER_IP'),
      signInFailuresPerAccount: int(env.RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT, 100, 'RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT'),
      signInDelayMs: int(env.RATE_LIMIT_SIGN_IN_DELAY_SECONDS, 30, 'RATE_LIMIT_SIGN_IN_DELAY_SECONDS') * 1000,
      passwordChangeFailures: int(env.RATE_LIMIT_PASSWORD_CHANGE_FAILURES, 5, 'RATE_LIMIT_PASSWORD_CHANGE_FAILURES'),
      signUpPerAccount: int(env.RATE_LIMIT_SIGN_UP_PER_ACCOUNT, 5, 'RATE_LIMIT_SIGN_UP_PER_ACCOUNT'),
      signUpPerIp: int(env.RATE_LIMIT_SIGN_UP_PER_IP, 20, 'RATE_LIMIT_SIGN_UP_PER_IP'),
      passwordResetPerAccount: int(env.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT, 3, 'RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT'),
      passwordResetPerIp: int(env.RATE_LIMIT_PASSWORD_RESET_PER_IP, 20, 'RATE_LIMIT_PASSWORD_RESET_PER_IP'),
    },
    // With Redis too: a cached row is checked against its user's auth epoch (sessions/auth-epochs.ts).
    sessionCacheTtlMs: int(env.SESSION_CACHE_TTL_SECONDS, 10, 'SESSION_CACHE_TTL_SECONDS') * 1000,
    sessionRetentionMs: int(env.SESSION_RETENTION_DAYS, 90, 'SESSION_RETENTION_DAYS') * DAY,
    auditRetentionMs: int(env.AUDIT_RETENTION_DAYS, 365, 'AUDIT_RETENTION_DAYS') * DAY,
    production: env.NODE_ENV === 'production',
    mfaEncryptionKey: env.MFA_ENCRYPTION_KEY || undefined,
    mfaRequired: bool(env.MFA_REQUIRED),
    totpToleranceSeconds: Math.min(30, int(env.MFA_TOTP_TOLERANCE_SECONDS, 30, 'MFA_TOTP_TOLERANCE_SECONDS')),
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || 'Session Gateway <no-reply@localhost>',
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    passwordResetTtlMs: int(env.PASSWORD_RESET_TTL_SECONDS, 30 * 60, 'PASSWORD_RESET_TTL_SECONDS') * 1000,
    invitationTtlMs: positive(env.INVITATION_TTL_SECONDS, INVITATION_TTL_DAYS * DAY / 1000, 'INVITATION_TTL_SECONDS') * 1000,
    webhooks: loadWebhookConfig(env),
    ...overrides,
  };
}
