// The one-line message the sign-in page shows after a session ended ("… signed out from another
// device"). Kept in sessionStorage so that a reload of /login still says why.
import { createSignal } from 'solid-js';

export interface Notice {
  text: string;
  tone: 'info' | 'warning';
}

const KEY = 'sg.notice';

function load(): Notice | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Notice) : null;
  } catch {
    return null;
  }
}

const [notice, setNoticeSignal] = createSignal<Notice | null>(load());

export { notice };

export function setNotice(next: Notice | null): void {
  setNoticeSignal(next);
  try {
    if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage may be disabled; the in-memory signal still works.
  }
}
