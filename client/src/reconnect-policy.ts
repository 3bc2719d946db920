// The live socket's reconnection bookkeeping: failures in a row, whether the tab calls itself
// offline, how long to wait before the next attempt. No timers here: urql.ts does the waiting.
import { BACKOFF_FLOOR_MS, backoffDelay, restartDelay } from './backoff';
import type { CloseKind } from './close-codes';

/** After this many failures in a row the banner says "offline" and offers Reconnect. */
export const OFFLINE_AFTER = 3;

export class ReconnectPolicy {
  private failures = 0;
  private pendingDelay: number | null = null;
  /** Set once this attempt's end was noted: a failed attempt reports an error and then a close. */
  private endNoted = false;
  /** Something ended since the last acknowledged connection. */
  private interrupted = false;

  constructor(private readonly random: () => number = Math.random) {}

  /** A new attempt starts. */
  attempt(): void {
    this.endNoted = false;
  }

  /** The server acknowledged the socket. True when this is a reconnection after a loss or a failure. */
  connected(): boolean {
    const reconnection = this.interrupted;
    this.failures = 0;
    this.pendingDelay = null;
    this.interrupted = false;
    return reconnection;
  }

  /** The attempt (or the connection) ended; only the first report of an attempt counts. */
  ended(kind: Exclude<CloseKind, 'normal' | 'revoked'>): void {
    if (this.endNoted) return;
    this.endNoted = true;
    this.interrupted = true;
    if (kind === 'restart') this.pendingDelay = restartDelay(this.random);
    else if (kind === 'resync') this.pendingDelay = BACKOFF_FLOOR_MS;
    else this.pendingDelay = backoffDelay(this.failures++, this.random);
  }

  /** The wait before the next attempt. */
  nextDelay(): number {
    const delay = this.pendingDelay ?? backoffDelay(this.failures, this.random);
    this.pendingDelay = null;
    return delay;
  }

  /** An attempt is wanted now (Reconnect, the tab shown, back online): no wait before it. `fresh`: the backoff starts over. */
  hurry(fresh: boolean): void {
    if (fresh) this.failures = 0;
    this.pendingDelay = 0;
  }

  get offline(): boolean {
    return this.failures >= OFFLINE_AFTER;
  }
}
