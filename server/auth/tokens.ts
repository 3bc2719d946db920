// Session tokens: 256 random bits, sent to the client once; only their SHA-256 is stored.
import { hash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
/** base64url of 32 bytes is 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** One-shot `hash`: no Hash object per request (bench scenario 1). */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Rejects anything that cannot be one of our tokens before it costs a database query. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
