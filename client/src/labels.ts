// Words for the values the API returns as codes.
import type { Role } from './gql/graphql';

export const ROLES: Role[] = ['OWNER', 'ADMIN', 'MEMBER'];

/** A form's string back to a Role, if it is one. */
export function toRole(value: string): Role | undefined {
  return ROLES.find((r) => r === value);
}

export function roleLabel(role: Role): string {
  return role.charAt(0) + role.slice(1).toLowerCase();
}

export function canManageMembers(role: Role | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN';
}

interface SessionLike {
  browser: string | null;
  os: string | null;
  device: string | null;
}

export function sessionTitle(s: SessionLike): string {
  const browser = s.browser ?? 'Unknown client';
  return s.os ? `${browser} on ${s.os}` : browser;
}

export function deviceLabel(device: string | null): string {
  if (!device || device === 'unknown') return 'Unknown device';
  return device.charAt(0).toUpperCase() + device.slice(1);
}

const AUDIT: Record<string, string> = {
  SIGN_UP: 'Created the account',
  SIGN_IN: 'Signed in',
  SIGN_IN_FAILED: 'Failed sign-in attempt',
  SIGN_OUT: 'Signed out',
  SESSION_REVOKED: 'Revoked a session',
  OTHER_SESSIONS_REVOKED: 'Signed out all other sessions',
  SESSION_EXPIRED: 'Session expired',
  ORGANIZATION_SWITCHED: 'Switched organisation',
  ORGANIZATION_CREATED: 'Created an organisation',
  MEMBER_ADDED: 'Added a member',
  MEMBER_ROLE_CHANGED: "Changed a member's role",
  MEMBER_REMOVED: 'Removed a member',
  MEMBER_SESSIONS_REVOKED: 'Signed out a member',
  ORGANIZATION_SESSIONS_REVOKED: 'Signed everyone out of the organisation',
  REAUTHENTICATED: 'Confirmed the password',
  REAUTHENTICATION_FAILED: 'Wrong password when confirming',
  PASSWORD_RESET_REQUESTED: 'Asked for a password-reset link',
  PASSWORD_RESET: 'Reset the password with a link',
};

export function auditLabel(type: string): string {
  return AUDIT[type] ?? type.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

function firstMatch(table: [RegExp, string][], ua: string): string | undefined {
  return table.find(([pattern]) => pattern.test(ua))?.[1];
}

/** "Firefox on Windows" from a User-Agent header, for the activity list (the full text is in a tooltip). */
export function shortUserAgent(ua: string): string {
  const browser = firstMatch(BROWSERS, ua);
  const os = firstMatch(SYSTEMS, ua);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? (ua.length > 40 ? `${ua.slice(0, 40)}…` : ua);
}
