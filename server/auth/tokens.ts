// Session tokens: 256 random bits, sent to the client once; only their SHA-256 is stored.
import { createHmac, hash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
/** base64url of 32 bytes is 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** One-shot `hash`: no Hash object made on every authenticated request. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Rejects anything that cannot be one of our tokens before it costs a database query. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** 128 random bits that make a rotation's successor token unguessable without the token itself. */
export function newRotationNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The token that replaces `token` in a rotation: HMAC-SHA256 keyed by the token itself. Whoever
 * holds the old token within its grace window can be handed the same successor (concurrent
 * refreshes agree on one), while the database, which keeps only hashes and the nonce, cannot
 * produce it.
 */
export function successorToken(token: string, nonce: string): string {
  return createHmac('sha256', token).update(nonce).digest('base64url');
}
