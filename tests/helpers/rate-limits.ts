// For the rate-limit tests: limits that never bite unless a test tightens one, and client
// addresses of each test's own. On PostgreSQL the counters are shared with every other test
// file's server, so a test never counts under 127.0.0.1 or an address another test may draw.
import { randomBytes } from 'node:crypto';
import type { Config } from '../../server/process/config.js';
import { parseTrustProxy } from '../../server/http/proxy.js';

type RateLimits = Config['rateLimits'];

const NO_LIMITS: RateLimits = {
  windowMs: 60_000,
  longWindowMs: 60_000,
  signInFailuresPerAccountAndIp: 1e6,
  signInFailuresPerIp: 1e6,
  signInFailuresPerAccount: 1e6,
  signInDelayMs: 1000,
  passwordChangeFailures: 1e6,
  signUpPerAccount: 1e6,
  signUpPerIp: 1e6,
  passwordResetPerAccount: 1e6,
  passwordResetPerIp: 1e6,
};

/** Server overrides: the client address from a one-hop proxy's X-Forwarded-For, and these limits. */
export function limited(limits: Partial<RateLimits>): Partial<Config> {
  return { trustProxy: parseTrustProxy('1'), rateLimits: { ...NO_LIMITS, ...limits } };
}

/** A random IPv6 documentation address (RFC 3849) in a /64 of its own: IPv6 counts per /64. */
export function newAddress(): string {
  const hex = randomBytes(6).toString('hex');
  return `2001:db8:${hex.slice(0, 4)}:${hex.slice(4, 8)}::${hex.slice(8, 12)}`;
}

/** Request headers that make the gateway see `address` as the client (a single-entry X-Forwarded-For). */
export function from(address: string): Record<string, string> {
  return { 'x-forwarded-for': address };
}
