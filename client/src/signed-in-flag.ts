// Whether this browser believes it holds a session. It tells a kick (a session that was there and
// is gone: say why) from a first visit to a protected page (just show the sign-in form), and it
// keeps a signed-out visitor's page quiet: only a tab that may hold a session mounts the signed-in
// shell, whose queries and socket would otherwise be refused.
const KEY = 'sg.signedIn';
/** Set by the server beside the HttpOnly session cookie (same lifetime); it holds no secret. */
const HINT_COOKIE = 'sg_signed_in';

export function markSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Without storage every 401 is treated as a first visit: no message, still /login.
  }
  // The server clears the hint with the cookie when it can; a kick learns it first.
  if (!signedIn) document.cookie = `${HINT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${window.location.protocol === 'https:' ? '; Secure' : ''}`;
}

export function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

function hinted(): boolean {
  return document.cookie.split(';').some((part) => part.trim() === `${HINT_COOKIE}=1`);
}

/** The flag, or the server's hint (a first visit after the storage was cleared, or without storage). */
export function mayHoldSession(): boolean {
  return wasSignedIn() || hinted();
}
