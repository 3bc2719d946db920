// Input rules shared by the mutations; each failure names its field (BAD_USER_INPUT).
import { badInput } from '../errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function email(field: string, value: string): string {
  const normalized = value.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) badInput(field, 'Enter a valid e-mail address.');
  return normalized;
}

export function password(field: string, value: string): string {
  if (value.length < 8) badInput(field, 'The password must be at least 8 characters long.');
  if (value.length > 256) badInput(field, 'The password must be at most 256 characters long.');
  return value;
}

export function text(field: string, value: string, max: number, label: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) badInput(field, `${label} is required.`);
  if (trimmed.length > max) badInput(field, `${label} must be at most ${max} characters long.`);
  return trimmed;
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function range(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) badInput(field, `${field} must be between ${min} and ${max}.`);
  return value;
}
