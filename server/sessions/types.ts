// What a checked session looks like: the shapes the store, the GraphQL context and the schema
// share (no behaviour here). A listed or changed session's shape is in model.ts.
import type { Role } from '../generated/prisma/client.js';

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

/** `replaced`: a token its session ended on purpose (a password change) while the session lives on. */
export type Refusal = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'idle' | 'no_membership' | 'reused' | 'replaced';
/**
 * `token`: the token this request now holds (the one it presented, or its rotation's successor);
 * `rotatedToken`: set when that token is new to the client (a cookie to send). Sockets have neither.
 */
export type AuthResult = { ok: true; auth: AuthState; token?: string; rotatedToken?: string } | { ok: false; reason: Refusal };
