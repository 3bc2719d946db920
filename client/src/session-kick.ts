// The instant kick: the moment this tab learns that its session is gone (its own REVOKED event,
// a 4403 close, a 401, or another tab of this browser saying so) it leaves for /login with the
// reason, on a new client so that nothing of the previous user stays in memory.
import { renewClient } from './client-store';
import { leaveTo, onPublicPage } from './navigation';
import { setNotice } from './notice';
import { markSignedIn, wasSignedIn } from './signed-in-flag';
import type { RevokeReason } from './gql/graphql';
import { tellOtherTabs } from './tab-sync';

/** Keyed by the schema's RevokeReason (generated): a new reason fails the typecheck until it has its words here. */
const MESSAGES: Record<RevokeReason, string> = {
  REVOKED_BY_USER: 'This session was signed out from another device.',
  REVOKED_OTHER_SESSIONS: 'This session was signed out from another device.',
  SIGNED_OUT: 'This session was signed out.',
  ORGANIZATION_SWITCHED: 'This session was replaced by a switch to another organisation.',
  EXPIRED: 'Your session expired. Please sign in again.',
  MEMBER_REMOVED: 'You were removed from the organisation of this session.',
  TOKEN_REUSE: 'This session was signed out for your safety: its sign-in token was used again after it had been replaced.',
  MFA_CHANGED: 'This session was signed out because two-factor authentication was changed for your account.',
  MFA_REQUIRED: 'Your organisation now requires two-factor authentication. Sign in again to set it up.',
  REVOKED_BY_ADMIN: 'An administrator of your organisation signed this session out.',
  PASSWORD_RESET: 'This session was signed out because the password of your account was reset.',
  PASSWORD_CHANGED: 'This session was signed out because the password of your account was changed.',
  ACCOUNT_DELETED: 'The account was deleted, and every one of its sessions signed out.',
};
const DEFAULT_MESSAGE = 'Your session has ended. Please sign in again.';

/**
 * A reason as the server (a REVOKED event, the reason of a 4403 close) or another tab gives it:
 * one of RevokeReason's values, else null (no reason known: the generic words).
 */
export function revokeReason(value: unknown): RevokeReason | null {
  return typeof value === 'string' && Object.hasOwn(MESSAGES, value) ? (value as RevokeReason) : null;
}

export function messageFor(reason: RevokeReason | null): string {
  return reason === null ? DEFAULT_MESSAGE : MESSAGES[reason];
}

/** While this tab ends its own session on purpose (sign-out, switch), the news is not a kick. */
let endingOnPurpose = 0;

export async function endingSessionOnPurpose<T>(work: () => Promise<T>): Promise<T> {
  endingOnPurpose++;
  try {
    return await work();
  } finally {
    endingOnPurpose--;
  }
}

export interface KickOptions {
  /** The news came from another tab: do not echo it back. */
  fromOtherTab?: boolean;
  /** A 401 on a first visit is no kick: no message then. */
  quietIfNeverSignedIn?: boolean;
}

export function kick(reason: RevokeReason | null, options: KickOptions = {}): void {
  if (endingOnPurpose > 0 || onPublicPage()) return;
  const say = !options.quietIfNeverSignedIn || wasSignedIn();
  markSignedIn(false);
  setNotice(say ? { text: messageFor(reason), tone: 'warning' } : null);
  if (!options.fromOtherTab) tellOtherTabs({ type: 'session-ended', reason });
  leaveTo('/login', { replace: true });
}

/** This tab's session was revoked; a switch made in another tab of this browser is no kick. */
export function ownSessionRevoked(reason: RevokeReason | null, options: KickOptions = {}): void {
  if (endingOnPurpose > 0) return;
  // The shared cookie now holds the new session: a new client finds out whether it does
  // (a 401 from its first request still kicks).
  if (reason === 'ORGANIZATION_SWITCHED') renewClient();
  else kick(reason, options);
}
