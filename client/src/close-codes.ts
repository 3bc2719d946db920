// What the server's WebSocket close codes mean to this tab. Only REVOKED signs the tab out: every
// other close is the server or the network being unwell, and the user stays where they are.

/** The session is gone (revoked, expired, or refused at connection_init): kick, never retry. */
export const CLOSE_REVOKED = 4403;
/** Service Restart: the server is draining for a deploy. Reconnect soon; not a failure. */
export const CLOSE_SERVICE_RESTART = 1012;
/** Try Again Later: the server could not check the session (its database is unreachable). Back off. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** The server dropped a socket that read too slowly; events may be lost: reconnect, refetch the list. */
export const CLOSE_SLOW_READER = 4008;
/** Normal Closure: this tab closed its own socket (no subscription left): nothing to recover. */
export const CLOSE_NORMAL = 1000;

/**
 * - `normal`: closed on purpose, nothing to do;
 * - `revoked`: kick;
 * - `restart`: reconnect after a short jitter, not counted towards "offline";
 * - `resync`: reconnect at once (not counted), the list is refetched as on any reconnection;
 * - `failure`: anything else (network down, server gone, 1013): counted, with backoff.
 */
export type CloseKind = 'normal' | 'revoked' | 'restart' | 'resync' | 'failure';

export function closeKind(code: number | null): CloseKind {
  if (code === CLOSE_NORMAL) return 'normal';
  if (code === CLOSE_REVOKED) return 'revoked';
  if (code === CLOSE_SERVICE_RESTART) return 'restart';
  if (code === CLOSE_SLOW_READER) return 'resync';
  return 'failure';
}

/** The code of a CloseEvent (or anything shaped like one); null for an error event. */
export function closeCode(event: unknown): number | null {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number' ? event.code : null;
}

export function closeReason(event: unknown): string {
  return typeof event === 'object' && event !== null && 'reason' in event && typeof event.reason === 'string' ? event.reason : '';
}
