// Session changes travel here: in-process by default, through Redis when REDIS_URL is set so that
// every gateway instance hears them. Local listeners are always called synchronously at publish,
// so this instance's cache and sockets never wait for Redis (and survive a Redis outage).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Session } from '../generated/prisma/client.js';

export type SessionChangeType = 'CREATED' | 'REVOKED' | 'UPDATED';

/** One message per change, however many sessions it touches (a batch revocation is one message). */
export interface SessionChange {
  type: SessionChangeType;
  userId: string;
  sessionIds: string[];
  reason: string | null;
  /** The changed rows when the publisher has them: this instance's listeners need no query. Not sent to Redis. */
  sessions?: Session[];
}

export type ChangeListener = (change: SessionChange) => void;

export interface EventBus {
  publish(change: SessionChange): Promise<void>;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'session-gateway:session-changes';

interface Envelope {
  origin: string;
  change: SessionChange;
}

function isChange(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<Envelope>;
  return typeof e.origin === 'string' && typeof e.change?.userId === 'string' && Array.isArray(e.change.sessionIds);
}

class LocalBus implements EventBus {
  protected readonly listeners = new Set<ChangeListener>();

  protected deliver(change: SessionChange): void {
    for (const listener of this.listeners) listener(change);
  }

  async publish(change: SessionChange): Promise<void> {
    this.deliver(change);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

class RedisBus extends LocalBus {
  private readonly origin = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(url: string, private readonly log: Logger) {
    super();
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true, autoResubscribe: false });
    for (const [name, client] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
      client.on('error', (err: Error) => log.warn({ redis: name, err: err.message }, 'redis error'));
      client.on('reconnecting', () => log.warn({ redis: name }, 'redis reconnecting'));
      client.on('ready', () => log.info({ redis: name }, 'redis ready'));
    }
    this.sub.on('message', (_channel: string, raw: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return;
      }
      if (isChange(parsed) && parsed.origin !== this.origin) this.deliver(parsed.change);
    });
  }

  /** Connects; a Redis that is down at start is not fatal: ioredis keeps retrying. */
  async connect(): Promise<void> {
    // (Re)subscribe whenever the subscriber connection becomes ready, including after an outage.
    this.sub.on('ready', () => {
      this.sub.subscribe(CHANNEL).catch((err: Error) => this.log.warn({ err: err.message }, 'redis subscribe failed'));
    });
    try {
      await Promise.all([this.pub.connect(), this.sub.connect()]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'redis unavailable at start; serving without cross-instance events until it answers');
    }
  }

  override async publish(change: SessionChange): Promise<void> {
    this.deliver(change);
    try {
      const { sessions: _rows, ...wire } = change;
      await this.pub.publish(CHANNEL, JSON.stringify({ origin: this.origin, change: wire } satisfies Envelope));
    } catch (err) {
      // Other instances miss this push, but still refuse the session: every request checks the database.
      this.log.warn({ err: (err as Error).message, type: change.type }, 'redis publish failed');
    }
  }

  override async close(): Promise<void> {
    await super.close();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

export async function createEventBus(redisUrl: string | undefined, log: Logger): Promise<EventBus> {
  if (!redisUrl) return new LocalBus();
  const bus = new RedisBus(redisUrl, log);
  await bus.connect();
  return bus;
}
