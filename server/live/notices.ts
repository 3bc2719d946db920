// What the live layer tells every instance besides session changes (../sessions/change.ts), on a
// channel of its own so that the session listeners (registry, cache) never see them: presence
// transitions (a session's first socket opened anywhere, its last one closed) and membership
// changes (a role changed, a member removed: organisation subscribers are checked again at once).
export interface PresenceRef {
  sessionId: string;
  userId: string;
  organizationId: string;
}

export type LiveNotice =
  /** Sessions that went online / offline across every instance (one notice per batch of transitions). */
  | { kind: 'presence'; online: PresenceRef[]; offline: PresenceRef[] }
  /** A membership changed: subscribers of that user to that organisation's events are checked again. */
  | { kind: 'member'; userId: string; organizationId: string };

export type NoticeListener = (notice: LiveNotice) => void;

export const NOTICE_CHANNEL = 'session-gateway:live-notices';

const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;

function isRef(value: unknown): value is PresenceRef {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return isString(r.sessionId) && isString(r.userId) && isString(r.organizationId);
}

/** A notice from Redis is input like any other: checked field by field. */
export function isNotice(value: unknown): value is LiveNotice {
  if (typeof value !== 'object' || value === null) return false;
  const n = value as Record<string, unknown>;
  if (n.kind === 'member') return isString(n.userId) && isString(n.organizationId);
  if (n.kind === 'presence') return Array.isArray(n.online) && Array.isArray(n.offline) && n.online.every(isRef) && n.offline.every(isRef);
  return false;
}
