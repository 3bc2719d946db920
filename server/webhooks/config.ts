// WEBHOOK_* → typed configuration (docs/WEBHOOKS.md). Read by process/config.ts into Config.webhooks.

export interface WebhookConfig {
  /** WEBHOOK_URL: the operator's endpoint, sent every event of every organisation. */
  url: string | undefined;
  /** WEBHOOK_SECRET (`whsec_…`): the operator endpoint's signing secret (Standard Webhooks). */
  secret: string | undefined;
  /** WEBHOOK_FORMAT: `standard-webhooks` (default) or `caep` (Security Event Tokens, caep.ts) for the operator endpoint. */
  format: 'STANDARD_WEBHOOKS' | 'CAEP';
  /** CAEP_SIGNING_KEY: private key(s) as a JWK, a JWK Set (first signs) or PKCS#8 PEM; unset, generated and kept in the database. */
  caepSigningKey: string | undefined;
  /** CAEP_ISSUER: the SETs' `iss`; unset, PUBLIC_URL (or http://localhost:PORT). */
  caepIssuer: string | undefined;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: loopback, private, link-local … targets allowed (tests, on-premises receivers). */
  allowPrivateTargets: boolean;
  /** The first retry's delay; each next one doubles, up to retryMaxMs (schedule.ts). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts before a delivery is marked FAILED (the default schedule spans more than 24 hours). */
  maxAttempts: number;
  /** Connect + response, per attempt. */
  timeoutMs: number;
  /** Between two looks at the outbox for due deliveries. */
  pollMs: number;
  /** Attempts in flight at once, per endpoint and instance: a slow endpoint holds only its own. */
  concurrencyPerEndpoint: number;
}

function num(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

function parseFormat(value: string | undefined): WebhookConfig['format'] {
  const v = (value ?? '').toLowerCase().replace(/_/g, '-');
  if (v === '' || v === 'standard-webhooks' || v === 'standard') return 'STANDARD_WEBHOOKS';
  if (v === 'caep') return 'CAEP';
  throw new Error(`WEBHOOK_FORMAT must be standard-webhooks or caep, got "${value}"`);
}

/** Throws on a malformed value: a webhook that silently never signs must not start. */
export function loadWebhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  const url = env.WEBHOOK_URL || undefined;
  const secret = env.WEBHOOK_SECRET || undefined;
  const format = parseFormat(env.WEBHOOK_FORMAT);
  // A CAEP endpoint is signed with the gateway's key (JWKS), not a shared secret.
  if (url && !secret && format === 'STANDARD_WEBHOOKS') throw new Error('WEBHOOK_URL needs WEBHOOK_SECRET (whsec_ + base64 of at least 24 random bytes)');
  if (secret && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) throw new Error('WEBHOOK_SECRET must be whsec_ followed by base64');
  if (url) {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw new Error(`WEBHOOK_URL must be an http(s) URL, got "${url}"`);
  }
  return {
    url,
    secret,
    format,
    caepSigningKey: env.CAEP_SIGNING_KEY || undefined,
    caepIssuer: env.CAEP_ISSUER || undefined,
    allowPrivateTargets: ['1', 'true', 'yes', 'on'].includes((env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? '').toLowerCase()),
    retryBaseMs: num(env.WEBHOOK_RETRY_BASE_MS, 10_000, 'WEBHOOK_RETRY_BASE_MS'),
    retryMaxMs: num(env.WEBHOOK_RETRY_MAX_MS, 4 * 3600_000, 'WEBHOOK_RETRY_MAX_MS'),
    maxAttempts: num(env.WEBHOOK_MAX_ATTEMPTS, 18, 'WEBHOOK_MAX_ATTEMPTS'),
    timeoutMs: num(env.WEBHOOK_TIMEOUT_MS, 5000, 'WEBHOOK_TIMEOUT_MS'),
    pollMs: num(env.WEBHOOK_POLL_MS, 1000, 'WEBHOOK_POLL_MS'),
    concurrencyPerEndpoint: num(env.WEBHOOK_CONCURRENCY_PER_ENDPOINT, 4, 'WEBHOOK_CONCURRENCY_PER_ENDPOINT'),
  };
}
