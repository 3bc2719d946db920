// Per-user auth epochs in Redis: what lets every instance keep a session cache (cache.ts). Each
// change to what a user's cached auth rows say (revocation, role, token, re-authentication) gives
// the user a new epoch after it commits and before it answers; a cached row is used only while
// the user's epoch is still the one read before that row was read. An epoch is a random tag, not
// a counter: a key that expired, or a Redis that restarted empty, can never bring back a value
// some instance still holds. A Redis that does not answer confirms nothing: the cache is then
// emptied and bypassed until it answers again (docs/SECURITY.md, "Several instances").
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

const KEY_PREFIX = 'session-gateway:auth-epoch:';
/** Per command: a read past it sends the request to the database; an increment past it is retried. */
export const EPOCH_TIMEOUT_MS = 500;
/** While healthy, a ping this often finds a hung Redis even when no request asks. */
const HEARTBEAT_MS = 1000;
/** While unhealthy, how often Redis is pinged (and failed bumps retried). */
const PROBE_MS = 250;

/** The user's epoch, created when missing: a cached row never rests on "no epoch", which would come back when the key expires. */
const CURRENT = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

const newEpoch = (): string => randomBytes(9).toString('base64url');

export class AuthEpochs {
  private readonly redis: Redis;
  /** Comfortably above the cache TTL: a user's key is dropped once no instance can hold a row it confirms. */
  private readonly keyTtlMs: number;
  private healthy = false;
  private readonly timer: NodeJS.Timeout;
  /** Users whose new epoch Redis did not take, with until when it is worth trying again. */
  private readonly unsent = new Map<string, number>();
  private readonly suspendListeners = new Set<() => void>();
  private probing = false;
  private lastPing = 0;

  constructor(
    url: string,
    ttlMs: number,
    private readonly log: Logger,
  ) {
    this.keyTtlMs = Math.max(2 * ttlMs, 60_000);
    // Concurrent requests' commands share one write; nothing queues while disconnected.
    this.redis = new Redis(url, { enableAutoPipelining: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: EPOCH_TIMEOUT_MS, retryStrategy: (n: number) => Math.min(n * 200, 2000) });
    this.redis.on('error', (err: Error) => this.suspend(err.message));
    this.redis.on('close', () => this.suspend('connection closed'));
    this.redis.on('ready', () => void this.probe());
    this.timer = setInterval(() => void this.probe(), PROBE_MS);
    this.timer.unref();
  }

  /** Called when cached rows can no longer be trusted (Redis stopped answering): the cache empties itself. */
  onSuspend(listener: () => void): () => void {
    this.suspendListeners.add(listener);
    return () => this.suspendListeners.delete(listener);
  }

  /** The epoch now, or null when Redis cannot confirm it (or it was never set: then no row cached under it matches). */
  async read(userId: string): Promise<string | null> {
    if (!this.healthy) return null;
    try {
      return await this.redis.get(KEY_PREFIX + userId);
    } catch (err) {
      this.suspend((err as Error).message);
      return null;
    }
  }

  /** The epoch to cache a row under, read before the row; null when Redis cannot confirm it. */
  async current(userId: string): Promise<string | null> {
    if (!this.healthy) return null;
    try {
      return String(await this.redis.eval(CURRENT, 1, KEY_PREFIX + userId, newEpoch(), String(this.keyTtlMs)));
    } catch (err) {
      this.suspend((err as Error).message);
      return null;
    }
  }

  /**
   * After a change of the user's auth rows has committed, before it answers. Never fails: the
   * change stands (the database is the truth); when Redis does not take it in time it is retried
   * for max(2 × TTL, 60 s), by when the rows other instances cached before it have expired (given
   * the same SESSION_CACHE_TTL_SECONDS; this one may cache nothing itself).
   */
  async bump(userId: string): Promise<void> {
    if (await this.send(userId)) return;
    const until = performance.now() + this.keyTtlMs;
    this.unsent.set(userId, Math.max(until, this.unsent.get(userId) ?? 0));
    this.log.warn({ userId }, 'auth epoch not stored in redis: other instances may trust their cached session rows until it is (at most the session cache TTL)');
  }

  close(): void {
    clearInterval(this.timer);
    this.suspendListeners.clear();
    this.healthy = false;
    this.redis.disconnect();
  }

  private async send(userId: string): Promise<boolean> {
    try {
      await this.redis.set(KEY_PREFIX + userId, newEpoch(), 'PX', this.keyTtlMs);
      return true;
    } catch (err) {
      this.suspend((err as Error).message);
      return false;
    }
  }

  private suspend(why: string): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.log.warn({ why }, 'redis does not confirm auth epochs: the session cache is emptied and bypassed until it answers');
    for (const listener of this.suspendListeners) listener();
  }

  /** Heartbeat while healthy, probe while not; and the retries of bumps Redis did not take. */
  private async probe(): Promise<void> {
    const heartbeatDue = performance.now() - this.lastPing >= HEARTBEAT_MS;
    if (this.probing || (this.healthy && this.unsent.size === 0 && !heartbeatDue)) return;
    this.probing = true;
    try {
      await this.redis.ping();
      const now = performance.now();
      const retried = [...this.unsent].map(async ([userId, until]) => {
        const done = now > until || (await this.send(userId));
        // Unless a later change of the user failed meanwhile: its own retry stays.
        if (done && this.unsent.get(userId) === until) this.unsent.delete(userId);
        return done;
      });
      const answered = (await Promise.all(retried)).every(Boolean);
      if (answered && !this.healthy && this.redis.status === 'ready') {
        this.healthy = true;
        this.log.info('redis confirms auth epochs: the session cache is used');
      }
    } catch (err) {
      this.suspend((err as Error).message);
    } finally {
      this.lastPing = performance.now();
      this.probing = false;
    }
  }
}
