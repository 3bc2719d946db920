// Session changes travel here: in-process by default, through Redis when REDIS_URL is set so that
// every gateway instance hears them. Local listeners are called synchronously at publish, and a
// publish never waits for Redis: a mutation commits and answers whatever Redis does. Redis
// pub/sub is at-most-once, so the Redis bus says when it may have missed messages (`onHealth`):
// the live layer then settles its sockets against the database (./reconcile.ts).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChangeListener, Envelope, SessionChange, SessionChanges } from '../sessions/change.js';
import { CHANNEL, isChange, MAX_WIRE_ROWS, revive } from '../sessions/change.js';
import { toWire } from '../sessions/model.js';
import type { LiveNotice, NoticeListener } from './notices.js';
import { isNotice, NOTICE_CHANNEL } from './notices.js';

export type { SessionChange, SessionChangeType } from '../sessions/change.js';

/** `degraded`: messages may be missed from now on. `recovered`: heard again; missed any since `since`. */
export type BusHealth = { state: 'degraded' } | { state: 'recovered'; since: Date };
export type HealthListener = (health: BusHealth) => void;

export interface EventBus extends SessionChanges {
  /** True when messages can be lost (Redis): listeners must not trust that they heard everything. */
  readonly lossy: boolean;
  onHealth(listener: HealthListener): () => void;
  /** Presence and membership notices (./notices.ts): heard here at once, by the other instances through Redis. */
  publishNotice(notice: LiveNotice): void;
  onNotice(listener: NoticeListener): () => void;
  close(): Promise<void>;
}

/** How long a Redis command may take before Redis counts as hung (a paused server never answers). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** How often both Redis connections are pinged, to find a hung Redis that keeps its sockets open. */
const HEALTH_PING_MS = 1000;

export class LocalBus implements EventBus {
  readonly lossy: boolean = false;
  protected readonly listeners = new Set<ChangeListener>();
  protected readonly healthListeners = new Set<HealthListener>();
  protected readonly noticeListeners = new Set<NoticeListener>();

  protected deliver(change: SessionChange): void {
    for (const listener of this.listeners) listener(change);
  }

  protected deliverNotice(notice: LiveNotice): void {
    for (const listener of this.noticeListeners) listener(notice);
  }

  publishNotice(notice: LiveNotice): void {
    this.deliverNotice(notice);
  }

  onNotice(listener: NoticeListener): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  async publish(change: SessionChange): Promise<void> {
    this.deliver(change);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onHealth(listener: HealthListener): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.healthListeners.clear();
    this.noticeListeners.clear();
  }
}

class RedisBus extends LocalBus {
  override readonly lossy = true;
  private readonly origin = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  /** Since when messages may have been missed; null while every message is heard. */
  private gapSince: Date | null;
  private subscribed = false;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {
    super();
    // Until the first subscription, nothing is heard: an instance that just started has no sockets.
    this.gapSince = now();
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true, autoResubscribe: false });
    for (const [name, client] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
      client.on('error', (err: Error) => log.warn({ redis: name, err: err.message }, 'redis error'));
      client.on('reconnecting', () => log.warn({ redis: name }, 'redis reconnecting'));
      client.on('ready', () => log.info({ redis: name }, 'redis ready'));
    }
    this.sub.on('close', () => {
      this.subscribed = false;
      this.degraded('subscriber connection closed');
    });
    this.sub.on('ready', () => void this.resubscribe());
    this.sub.on('message', (channel: string, raw: string) => (channel === NOTICE_CHANNEL ? this.receivedNotice(raw) : this.received(raw)));
    this.pinger = setInterval(() => void this.ping(), HEALTH_PING_MS);
    this.pinger.unref();
  }

  /** Connects; a Redis that is down at start is not fatal: ioredis keeps retrying. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.pub.connect(), this.sub.connect()]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'redis unavailable at start; serving without cross-instance events until it answers');
    }
  }

  override async publish(change: SessionChange): Promise<void> {
    this.deliver(change);
    // Not awaited: the other instances hear it when Redis answers, or settle from the database.
    void this.send(change);
  }

  override publishNotice(notice: LiveNotice): void {
    this.deliverNotice(notice);
    this.pub.publish(NOTICE_CHANNEL, JSON.stringify({ origin: this.origin, notice })).catch((err: unknown) => this.log.warn({ err: (err as Error).message, kind: notice.kind }, 'redis notice publish failed'));
  }

  override async close(): Promise<void> {
    clearInterval(this.pinger);
    await super.close();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private received(raw: string): void {
    let change: SessionChange;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isChange(parsed) || parsed.origin === this.origin) return;
      change = revive(parsed.change);
    } catch {
      this.log.warn('redis message ignored: not a session change');
      return;
    }
    this.deliver(change);
  }

  private receivedNotice(raw: string): void {
    try {
      const parsed = JSON.parse(raw) as { origin?: unknown; notice?: unknown };
      if (parsed.origin === this.origin) return;
      if (isNotice(parsed.notice)) return this.deliverNotice(parsed.notice);
    } catch {
      // below
    }
    this.log.warn('redis message ignored: not a live notice');
  }

  private async send(change: SessionChange): Promise<void> {
    try {
      const { sessions: rows, ...rest } = change;
      const wire: SessionChange = rows && rows.length <= MAX_WIRE_ROWS ? { ...rest, sessions: rows.map(toWire) } : rest;
      await this.pub.publish(CHANNEL, JSON.stringify({ origin: this.origin, change: wire } satisfies Envelope));
    } catch (err) {
      // The other instances miss this push: their sweep finds the change in the database.
      this.log.warn({ err: (err as Error).message, type: change.type, userId: change.userId }, 'redis publish failed; other instances settle it from the database');
    }
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.sub.subscribe(CHANNEL, NOTICE_CHANNEL);
      this.subscribed = true;
      await this.ping();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'redis subscribe failed');
    }
  }

  /** Both connections must answer: a subscriber that does not answer hears nothing either. */
  private async ping(): Promise<void> {
    try {
      await Promise.all([this.pub.ping(), this.sub.ping()]);
    } catch {
      this.subscribed = this.subscribed && this.sub.status === 'ready';
      this.degraded('redis did not answer a ping');
      return;
    }
    if (this.subscribed && this.gapSince) {
      const since = this.gapSince;
      this.gapSince = null;
      this.log.info({ since }, 'redis heard again: settling sockets against the database');
      for (const listener of this.healthListeners) listener({ state: 'recovered', since });
    }
  }

  private degraded(why: string): void {
    if (this.gapSince) return;
    this.gapSince = this.now();
    this.log.warn({ why }, 'redis messages may be missed: sockets are checked against the database');
    for (const listener of this.healthListeners) listener({ state: 'degraded' });
  }
}

export async function createEventBus(redisUrl: string | undefined, log: Logger, now: () => Date = () => new Date()): Promise<EventBus> {
  if (!redisUrl) return new LocalBus();
  const bus = new RedisBus(redisUrl, log, now);
  await bus.connect();
  return bus;
}
