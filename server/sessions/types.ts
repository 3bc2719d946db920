// What a checked session and a listed session look like: the shapes the store, the schema and the
// live layer share (no behaviour here, so that none of them imports another for a type).
import type { Organization, Role } from '../generated/prisma/client.js';

export interface AuthState {
  sessionId: string;
  userId: string;
  organizationId: string;
  role: Role;
  email: string;
  name: string;
  userCreatedAt: Date;
  expiresAt: Date;
  lastActiveAt: Date;
  /** When the user last proved their password in this session: its sign-in, or `reauthenticate`. */
  authenticatedAt: Date;
}

/**
 * A session as the API shows it (no token hashes). Rows of a list, of a revocation and of a change
 * event carry their organisation and the user's role there; anything else loads those on demand.
 */
export interface SessionView {
  id: string;
  organizationId: string;
  ipAddress: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  role?: Role;
  organization?: Organization;
  /** Set on the rows of a list, which knows the current session. */
  isCurrent?: boolean;
}

/** A session with its user, organisation and role there: what revocations return and change events carry (session-rows.ts). */
export type SessionRow = SessionView & { userId: string; organization: Organization };

/** `replaced`: a token its session ended on purpose (a password change) while the session lives on. */
export type Refusal = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'idle' | 'no_membership' | 'reused' | 'replaced';
/**
 * `token`: the token this request now holds (the one it presented, or its rotation's successor);
 * `rotatedToken`: set when that token is new to the client (a cookie to send). Sockets have neither.
 */
export type AuthResult = { ok: true; auth: AuthState; token?: string; rotatedToken?: string } | { ok: false; reason: Refusal };
