// Input rules shared by the mutations; each failure names its field (BAD_USER_INPUT).
import { passwordWeakness } from '../auth/password-strength.js';
import { badInput } from '../graphql/errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Control characters (C0, DEL, C1), line and paragraph separators, lone surrogates: no name or
// address holds them, and they would break a log line or a list shown to others.
const NOT_TEXT = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

export function email(field: string, value: string): string {
  const normalized = value.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized) || NOT_TEXT.test(normalized)) badInput(field, 'Enter a valid e-mail address.');
  return normalized;
}

/** Length in Unicode code points (ASVS 6.2.1, 6.2.9): an emoji is one character, not two UTF-16 units. */
export function passwordLength(value: string): number {
  return [...value].length;
}

export function password(field: string, value: string): string {
  const length = passwordLength(value);
  if (length < 8) badInput(field, 'The password must be at least 8 characters long.');
  if (length > 256) badInput(field, 'The password must be at most 256 characters long.');
  return value;
}

/**
 * A password being chosen (sign-up, change, reset): the length bounds, then strength against the
 * common-password lists, the product's words and `accountWords` (e-mail, name, organisation).
 * Never at sign-in, which checks the stored hash only.
 */
export async function newPassword(field: string, value: string, accountWords: string[]): Promise<string> {
  password(field, value);
  const weakness = await passwordWeakness(value, accountWords);
  if (weakness) badInput(field, weakness);
  return value;
}

/** The words of an e-mail worth guessing with: the address, its local part and its domain. */
export function emailWords(address: string): string[] {
  const at = address.lastIndexOf('@');
  return at < 0 ? [address] : [address, address.slice(0, at), address.slice(at + 1)];
}

export function text(field: string, value: string, max: number, label: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) badInput(field, `${label} is required.`);
  if (trimmed.length > max) badInput(field, `${label} must be at most ${max} characters long.`);
  if (NOT_TEXT.test(trimmed)) badInput(field, `${label} cannot contain control characters or line breaks.`);
  return trimmed;
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function range(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) badInput(field, `${field} must be between ${min} and ${max}.`);
  return value;
}
