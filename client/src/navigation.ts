// Moves to a page with a brand-new client. Used wherever the identity changes: the app re-mounts
// under the new client (see app.tsx), and the router picks the new location up as it mounts.
import type { Client } from '@urql/core';
import { ROUTES, isPublicPath } from '../../server/http/web-routes';
import { renewClient } from './client-store';
import { ViewerQuery } from './operations';
import { markSignedIn, mayHoldSession } from './signed-in-flag';

export function onPublicPage(): boolean {
  return isPublicPath(window.location.pathname);
}

export function leaveTo(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  renewClient();
}

/**
 * Sign-in and sign-up are for someone without a session: one who has one goes on to the sessions
 * page. Only the server can tell (the cookie is HttpOnly); its 401 here is no kick, as on every
 * public page. The form shows meanwhile, so that nobody waits for the answer.
 */
export function leaveIfSignedIn(client: Client): void {
  // Nothing to ask without the flag or the server's hint: a signed-out visitor sends no request.
  if (!mayHoldSession()) return;
  const from = window.location.pathname;
  void client
    .query(ViewerQuery, {}, { requestPolicy: 'network-only' })
    .toPromise()
    .then((result) => {
      // Still where it asked from: the user may have moved on, or signed in, meanwhile.
      if (!result.data?.me || window.location.pathname !== from) return;
      markSignedIn(true);
      leaveTo(ROUTES.sessions, { replace: true });
    });
}
