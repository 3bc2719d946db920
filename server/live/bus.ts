// Session changes travel here: in-process by default, through Redis when REDIS_URL is set so that
// every gateway instance hears them. Local listeners are always called synchronously at publish,
// so this instance's cache and sockets never wait for Redis (and survive a Redis outage).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionRow } from '../auth/session-types.js';
import { Role } from '../generated/prisma/enums.js';

export type SessionChangeType = 'CREATED' | 'REVOKED' | 'UPDATED';

/** One message per change, however many sessions it touches (a batch revocation is one message). */
export interface SessionChange {
  type: SessionChangeType;
  userId: string;
  sessionIds: string[];
  reason: string | null;
  /** The changed rows when the publisher has them: listeners need no query. Sent to Redis for small changes. */
  sessions?: SessionRow[];
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

/**
 * The rows of a small change travel with it, so that other instances kick without reading them
 * again (bench scenario 5); a batch of thousands is read there instead of crossing Redis.
 */
const MAX_WIRE_ROWS = 100;

/** What another instance needs of a row: what the API shows, never the token hashes. */
function toWire(row: SessionRow): SessionRow {
  const { organization } = row;
  return {
    id: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    browser: row.browser,
    os: row.os,
    deviceType: row.deviceType,
    createdAt: row.createdAt,
    lastActiveAt: row.lastActiveAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
    role: row.role,
    organization: { id: organization.id, name: organization.name, slug: organization.slug, createdAt: organization.createdAt, requireMfa: organization.requireMfa },
  };
}

const ROLES = new Set<unknown>(Object.values(Role));

/** An ISO string that parses to a real instant, else null. */
function wireDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function reviveRow(r: unknown): SessionRow | null {
  if (typeof r !== 'object' || r === null) return null;
  const row = r as Record<string, unknown> & { organization?: Record<string, unknown> };
  const org = row.organization;
  if (typeof row.id !== 'string' || typeof row.userId !== 'string' || typeof row.organizationId !== 'string') return null;
  if (typeof org !== 'object' || org === null || typeof org.id !== 'string' || typeof org.name !== 'string' || typeof org.slug !== 'string' || typeof org.requireMfa !== 'boolean') return null;
  const [createdAt, lastActiveAt, expiresAt, orgCreatedAt] = [row.createdAt, row.lastActiveAt, row.expiresAt, org.createdAt].map(wireDate);
  const revokedAt = row.revokedAt === null ? null : wireDate(row.revokedAt);
  if (!createdAt || !lastActiveAt || !expiresAt || !orgCreatedAt || (row.revokedAt !== null && !revokedAt)) return null;
  // Absent when the row has none (a removed member's session): the API then asks the viewer's roles.
  if (row.role !== undefined && !ROLES.has(row.role)) return null;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    id: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    ipAddress: text(row.ipAddress),
    userAgent: text(row.userAgent),
    browser: text(row.browser),
    os: text(row.os),
    deviceType: text(row.deviceType),
    createdAt,
    lastActiveAt,
    expiresAt,
    revokedAt,
    revokedReason: text(row.revokedReason),
    role: row.role as Role | undefined,
    organization: { id: org.id, name: org.name, slug: org.slug, createdAt: orgCreatedAt, requireMfa: org.requireMfa },
  };
}

/**
 * Dates arrive as ISO strings. A message from Redis is input like any other: if one of its rows
 * does not look right, the rows are dropped and the listeners read them from the database.
 */
function revive(change: SessionChange): SessionChange {
  const rows: unknown = change.sessions;
  if (rows === undefined) return change;
  const sessions = Array.isArray(rows) ? rows.map(reviveRow) : [null];
  return sessions.every((r) => r !== null) ? { ...change, sessions: sessions as SessionRow[] } : { ...change, sessions: undefined };
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
      let change: SessionChange;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (!isChange(parsed) || parsed.origin === this.origin) return;
        change = revive(parsed.change);
      } catch {
        log.warn('redis message ignored: not a session change');
        return;
      }
      this.deliver(change);
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
    // The Redis write goes out first, so that other instances fan out while this one does.
    const sent = this.send(change);
    this.deliver(change);
    await sent;
  }

  private async send(change: SessionChange): Promise<void> {
    try {
      const { sessions: rows, ...rest } = change;
      const wire: SessionChange = rows && rows.length <= MAX_WIRE_ROWS ? { ...rest, sessions: rows.map(toWire) } : rest;
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
