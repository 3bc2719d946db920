// A session change as it crosses Redis: what another instance needs of each row (never the token
// hashes), and the checks that a message from Redis gets, since it is input like any other.
import type { SessionRow } from './model.js';
import type { RevokeReason, UpdateReason } from './revoke-reasons.js';
import { fromWire } from './model.js';

export type SessionChangeType = 'CREATED' | 'REVOKED' | 'UPDATED';

/** One message per change, however many sessions it touches (a batch revocation is one message). */
export interface SessionChange {
  type: SessionChangeType;
  userId: string;
  sessionIds: string[];
  reason: RevokeReason | UpdateReason | null;
  /** The changed rows when the publisher has them: listeners need no query. Sent to Redis for small changes. */
  sessions?: SessionRow[];
}

export type ChangeListener = (change: SessionChange) => void;

/** Where the session store publishes its changes and the cache hears them (the live layer's bus). */
export interface SessionChanges {
  publish(change: SessionChange): Promise<void>;
  subscribe(listener: ChangeListener): () => void;
}

export const CHANNEL = 'session-gateway:session-changes';

export interface Envelope {
  origin: string;
  change: SessionChange;
}

export function isChange(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<Envelope>;
  return typeof e.origin === 'string' && typeof e.change?.userId === 'string' && Array.isArray(e.change.sessionIds);
}

/**
 * The rows of a small change travel with it, so that other instances kick without reading them
 * again; a batch of thousands is read there instead of crossing Redis.
 */
export const MAX_WIRE_ROWS = 100;

/**
 * Dates arrive as ISO strings. A message from Redis is input like any other: if one of its rows
 * does not look right, the rows are dropped and the listeners read them from the database.
 */
export function revive(change: SessionChange): SessionChange {
  const rows: unknown = change.sessions;
  if (rows === undefined) return change;
  const sessions = Array.isArray(rows) ? rows.map(fromWire) : [null];
  return sessions.every((r) => r !== null) ? { ...change, sessions: sessions as SessionRow[] } : { ...change, sessions: undefined };
}
