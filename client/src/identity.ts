// A new session was issued to this browser (sign-in, sign-up, switch): start over on a new client
// and let the other tabs, which share the cookie, do the same.
import { leaveTo } from './navigation';
import { setNotice } from './notice';
import { markSignedIn } from './signed-in-flag';
import { tellOtherTabs } from './tab-sync';

export function enterSession(path: string): void {
  markSignedIn(true);
  setNotice(null);
  tellOtherTabs({ type: 'identity-changed' });
  leaveTo(path);
}

/** Only same-site paths: a `next` parameter must not send the user elsewhere. */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?!\/)[\w\-/]*$/.test(next) && next !== '/login' && next !== '/signup' ? next : '/sessions';
}
