// When a failed delivery is tried again: exponential backoff with jitter. With the defaults
// (10 s doubling up to 4 h, 18 attempts) the last attempt comes about 27 to 33 hours after the
// first: a receiver down for a day still gets everything.
import type { WebhookConfig } from './config.js';

type Schedule = Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs' | 'maxAttempts'>;

/**
 * The delay after failed attempt number `attempt` (1-based), or null when it was the last.
 * `random` ∈ [0, 1): ±10 % jitter, so that receivers coming back are not hit by every instance's
 * retries at the same instant.
 */
export function retryDelayMs(schedule: Schedule, attempt: number, random: number = Math.random()): number | null {
  if (attempt >= schedule.maxAttempts) return null;
  const base = Math.min(schedule.retryMaxMs, schedule.retryBaseMs * 2 ** (attempt - 1));
  return Math.round(base * (0.9 + 0.2 * random));
}

/** From the first attempt to the last, with a given jitter (for the docs and the unit test). */
export function scheduleSpanMs(schedule: Schedule, random: number): number {
  let total = 0;
  for (let attempt = 1; attempt < schedule.maxAttempts; attempt++) total += retryDelayMs(schedule, attempt, random) ?? 0;
  return total;
}
