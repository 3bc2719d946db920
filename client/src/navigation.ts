// Moves to a page with a brand-new client. Used wherever the identity changes: the app re-mounts
// under the new client (see app.tsx), and the router picks the new location up as it mounts.
import { renewClient } from './client-store';

export const PUBLIC_PATHS = ['/login', '/signup', '/forgot-password', '/reset-password'];

export function onPublicPage(): boolean {
  return PUBLIC_PATHS.includes(window.location.pathname);
}

export function leaveTo(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  renewClient();
}
