// Relative times ("2 minutes ago") that stay true while the page is open.
import { createSignal } from 'solid-js';

const [now, setNow] = createSignal(Date.now());
let ticking = false;

/** The current time, updated every 15 s; components that read it re-render with it. */
export function clock(): number {
  if (!ticking && typeof window !== 'undefined') {
    ticking = true;
    window.setInterval(() => setNow(Date.now()), 15_000);
  }
  return now();
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function relativeTime(iso: string, at: number): string {
  const seconds = Math.round((new Date(iso).getTime() - at) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'minute') return rtf.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

const full = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export function absoluteTime(iso: string): string {
  return full.format(new Date(iso));
}
