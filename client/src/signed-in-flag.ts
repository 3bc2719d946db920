// Whether this browser believes it holds a session. It tells a kick (a session that was there and
// is gone: say why) from a first visit to a protected page (just show the sign-in form).
const KEY = 'sg.signedIn';

export function markSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Without storage every 401 is treated as a first visit: no message, still /login.
  }
}

export function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
