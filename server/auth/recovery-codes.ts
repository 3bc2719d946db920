// MFA recovery codes (ASVS 5.0 6.5.2, 6.5.3): ten at a time, each 120 random bits shown once as
// 24 base32 letters in groups of six, single use. With that much entropy a plain SHA-256 is a
// safe way to store them (no slow hash needed), and it lets a code be found by its hash.
import { hash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 15; // 120 bits: 24 base32 characters, no padding
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => base32(randomBytes(CODE_BYTES)).replace(/(.{6})(?=.)/g, '$1-'));
}

/** What a user typed, as stored: letter case, spaces and dashes do not matter. Null: not a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z2-7]{24}$/.test(compact) ? compact : null;
}

export function hashRecoveryCode(normalized: string): string {
  return hash('sha256', normalized, 'hex');
}
