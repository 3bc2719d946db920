import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, BACKOFF_FLOOR_MS, backoffDelay, RESTART_MAX_MS, RESTART_MIN_MS, restartDelay } from '../src/backoff';
import { closeCode, closeKind, closeReason } from '../src/close-codes';
import { OFFLINE_AFTER, ReconnectPolicy } from '../src/reconnect-policy';

const always = (value: number) => () => value;
const TOP = 0.999_999;

describe('backoffDelay (full jitter)', () => {
  it('grows as base·2^n up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => backoffDelay(n, always(TOP)))).toEqual([999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
  });

  it('is random between the floor and the ceiling, never below the floor', () => {
    expect(backoffDelay(4, always(0.5))).toBe(8000);
    expect(backoffDelay(0, always(0))).toBe(BACKOFF_FLOOR_MS);
    expect(backoffDelay(10, always(0))).toBe(BACKOFF_FLOOR_MS);
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelay(i % 12);
      expect(delay).toBeGreaterThanOrEqual(BACKOFF_FLOOR_MS);
      expect(delay).toBeLessThan(BACKOFF_CAP_MS);
    }
  });

  it('spreads tabs: a thousand draws at the cap are not bunched', () => {
    const draws = Array.from({ length: 1000 }, () => backoffDelay(10));
    const lowHalf = draws.filter((d) => d < BACKOFF_CAP_MS / 2).length;
    expect(lowHalf).toBeGreaterThan(400);
    expect(lowHalf).toBeLessThan(600);
  });

  it('waits 0.5–5 s for a restarting server', () => {
    expect(restartDelay(always(0))).toBe(RESTART_MIN_MS);
    expect(restartDelay(always(TOP))).toBe(RESTART_MAX_MS - 1);
  });
});

describe('close codes', () => {
  it('only 4403 is a revocation', () => {
    expect(closeKind(4403)).toBe('revoked');
    for (const code of [1001, 1006, 1011, 1013, 4400, 4499, 4401, 4429, null]) expect(closeKind(code)).toBe('failure');
    expect(closeKind(1012)).toBe('restart');
    expect(closeKind(4008)).toBe('resync');
    expect(closeKind(1000)).toBe('normal');
  });

  it('reads code and reason from a close event, nothing from an error event', () => {
    const close = new CloseEvent('close', { code: 4403, reason: 'REVOKED_BY_USER' });
    expect(closeCode(close)).toBe(4403);
    expect(closeReason(close)).toBe('REVOKED_BY_USER');
    expect(closeCode(new Event('error'))).toBeNull();
    expect(closeReason(new Event('error'))).toBe('');
  });
});

describe('ReconnectPolicy', () => {
  function fail(policy: ReconnectPolicy, kind: 'failure' | 'restart' | 'resync' = 'failure'): number {
    policy.attempt();
    policy.ended(kind);
    return policy.nextDelay();
  }

  it(`backs off on each failure and calls itself offline after ${OFFLINE_AFTER}`, () => {
    const policy = new ReconnectPolicy(always(TOP));
    const delays: number[] = [];
    const offline: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      delays.push(fail(policy));
      offline.push(policy.offline);
    }
    expect(delays).toEqual([999, 1999, 3999, 7999, 15_999, 29_999, 29_999]);
    expect(offline).toEqual([false, false, true, true, true, true, true]);
  });

  it('counts a failed attempt once: its error and its close are one failure', () => {
    const policy = new ReconnectPolicy(always(TOP));
    policy.attempt();
    policy.ended('failure');
    policy.ended('failure');
    expect(policy.nextDelay()).toBe(999);
    expect(fail(policy)).toBe(1999);
  });

  it('1012 (restart) and 4008 (slow reader) are no failures', () => {
    const policy = new ReconnectPolicy(always(0.5));
    fail(policy);
    fail(policy);
    expect(fail(policy, 'restart')).toBe(RESTART_MIN_MS + Math.floor(0.5 * (RESTART_MAX_MS - RESTART_MIN_MS)));
    expect(fail(policy, 'resync')).toBe(BACKOFF_FLOOR_MS);
    expect(policy.offline).toBe(false);
    expect(fail(policy)).toBe(2000);
    expect(policy.offline).toBe(true);
  });

  it('a connection resets the count and tells a reconnection from a first connection', () => {
    const policy = new ReconnectPolicy(always(TOP));
    policy.attempt();
    expect(policy.connected()).toBe(false);
    for (let i = 0; i < 4; i++) fail(policy);
    policy.attempt();
    expect(policy.connected()).toBe(true);
    expect(policy.offline).toBe(false);
    expect(fail(policy)).toBe(999);
    policy.attempt();
    expect(policy.connected()).toBe(true);
    policy.attempt();
    expect(policy.connected()).toBe(false);
  });

  it('Reconnect tries at once and starts the backoff over; the tab shown again only skips the wait', () => {
    const policy = new ReconnectPolicy(always(TOP));
    for (let i = 0; i < 5; i++) fail(policy);
    policy.attempt();
    policy.ended('failure');
    policy.hurry(false);
    expect(policy.nextDelay()).toBe(0);
    expect(policy.offline).toBe(true);
    expect(fail(policy)).toBe(29_999);
    policy.hurry(true);
    expect(policy.nextDelay()).toBe(0);
    expect(policy.offline).toBe(false);
    expect(fail(policy)).toBe(999);
  });
});
