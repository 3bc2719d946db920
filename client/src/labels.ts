// Words for the values the API returns as codes.
import UAParser from 'ua-parser-js';
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
  // Written before invitations (kept for the history).
  MEMBER_ADDED: 'Added a member',
  MEMBER_INVITED: 'Invited someone',
  INVITATION_ACCEPTED: 'Accepted an invitation',
  INVITATION_DECLINED: 'Declined an invitation',
  INVITATION_REVOKED: 'Revoked an invitation',
  MEMBER_ROLE_CHANGED: "Changed a member's role",
  MEMBER_REMOVED: 'Removed a member',
  MEMBER_SESSIONS_REVOKED: 'Signed out a member',
  MEMBER_SESSION_REVOKED: "Ended a member's session",
  ORGANIZATION_SESSIONS_REVOKED: 'Signed everyone out of the organisation',
  REAUTHENTICATED: 'Confirmed the password',
  REAUTHENTICATION_FAILED: 'Wrong password when confirming',
  PASSWORD_RESET_REQUESTED: 'Asked for a password-reset link',
  PASSWORD_RESET: 'Reset the password with a link',
};

export function auditLabel(type: string): string {
  return AUDIT[type] ?? type.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

// ---- clients ---------------------------------------------------------------------------------
// One name for a client, from its User-Agent header, wherever one is shown (sessions, activity).
// ua-parser-js is the parser the server uses for a session's browser, OS and device.

/** The names people know: ua-parser says "Mac OS" and "Mobile Safari". */
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };
const MAX_LABEL = 40;

function withVersion(name: string, version: string | undefined): string {
  return version ? `${name} ${version}` : name;
}

/** A program that is no browser (curl, node, a library): its first product token, "curl/8.5.0" → "curl 8.5.0". */
function programName(ua: string): string {
  const [, name = ua, version] = /^([^\s/;()]+)(?:\/([^\s;()]+))?/.exec(ua) ?? [];
  const label = withVersion(name, version);
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL)}…` : label;
}

/**
 * "Safari 17 on macOS 14.4", "Chrome 126 on Linux", "curl 8.5.0", "node": what a person would
 * call the client that sent `userAgent` (the full text belongs in a tooltip).
 */
export function clientLabel(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return 'Unknown client';
  const { browser, os } = new UAParser(ua).getResult();
  const system = os.name ? withVersion(OS_NAMES[os.name] ?? os.name, os.version) : undefined;
  const client = browser.name ? withVersion(browser.name.replace(/^Mobile /, ''), browser.major) : programName(ua);
  return system ? `${client} on ${system}` : client;
}
