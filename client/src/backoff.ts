// How long the live socket waits before its next attempt. Full jitter spreads the reconnections of
// many tabs after an outage, so that a server coming back is not hit by all of them at once.

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 30_000;
/** Never 0: a tight loop of attempts against a dead server helps no one. */
export const BACKOFF_FLOOR_MS = 250;
/** A restarting server (1012) is back within seconds; the tabs spread over this window. */
export const RESTART_MIN_MS = 500;
export const RESTART_MAX_MS = 5000;

/** `failures` before this attempt (0 for the first retry): random(0, min(cap, base·2^n)), at least the floor. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures));
  return Math.max(BACKOFF_FLOOR_MS, Math.floor(random() * ceiling));
}

export function restartDelay(random: () => number = Math.random): number {
  return RESTART_MIN_MS + Math.floor(random() * (RESTART_MAX_MS - RESTART_MIN_MS));
}
