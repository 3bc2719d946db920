// `organizationSessionEvents`: every change of any session bound to one organisation (any
// member's, heard from any instance through the bus), and its presence transitions, for that
// organisation's OWNERs and ADMINs. What arrives in one turn is delivered in one pass: the changes
// of a kick of thousands of users (one bus message per user, with their rows) cost no query, the
// rows that did not come with their change are read in one statement, and the subscribers whose
// membership changed are checked again in one statement too. A subscriber that is no longer OWNER
// or ADMIN has its subscription ended at once with FORBIDDEN (the socket stays). Only sessions
// bound to the subscribed organisation are ever delivered: events are routed by each row's own
// organisationId, never by its user.
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.js';
import { appError } from '../graphql/errors.js';
import type { SessionChange } from '../sessions/change.js';
import type { SessionRow } from '../sessions/model.js';
import { readSessionRows } from '../sessions/rows.js';
import type { EventBus } from './bus.js';
import type { SessionEvent, SessionEventType } from './connection.js';
import type { LiveNotice } from './notices.js';
import { EventStream } from './stream.js';

interface Subscriber {
  organizationId: string;
  userId: string;
  stream: EventStream<SessionEvent>;
}

/** What the next pass delivers, in the order it was heard. */
type Pending =
  | { kind: 'rows'; type: SessionEventType; reason: string | null; rows: SessionRow[] }
  | { kind: 'ids'; type: SessionEventType; reason: string | null; ids: string[] }
  | { kind: 'member'; userId: string; organizationId: string };

const MANAGES = new Set(['OWNER', 'ADMIN']);

export class OrgFeed {
  private readonly byOrg = new Map<string, Set<Subscriber>>();
  private queue: Pending[] = [];
  private scheduled = false;
  private passes: Promise<void> = Promise.resolve();
  private readonly stops: (() => void)[];
  private readonly sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    bus: EventBus,
    private readonly log: Logger,
    /** With a lossy bus (Redis), how often every subscriber's role is checked again: a lost notice is bounded. */
    sweepMs: number,
  ) {
    this.stops = [
      bus.subscribe((change) => this.onChange(change)),
      bus.onNotice((notice) => this.onNotice(notice)),
      bus.onHealth((health) => {
        if (health.state === 'recovered') this.recheckAll();
      }),
    ];
    if (bus.lossy) {
      this.sweeper = setInterval(() => this.recheckAll(), sweepMs);
      this.sweeper.unref();
    }
  }

  /** A subscription of `userId` (checked OWNER or ADMIN at subscribe) to `organizationId`'s events. */
  open(organizationId: string, userId: string): EventStream<SessionEvent> {
    let set = this.byOrg.get(organizationId);
    if (!set) this.byOrg.set(organizationId, (set = new Set()));
    const subscriber: Subscriber = {
      organizationId,
      userId,
      stream: new EventStream(() => {
        set.delete(subscriber);
        if (set.size === 0 && this.byOrg.get(organizationId) === set) this.byOrg.delete(organizationId);
      }),
    };
    set.add(subscriber);
    // A demotion between the subscribe's check and now was told to nobody: checked once more.
    this.enqueue({ kind: 'member', userId, organizationId });
    return subscriber.stream;
  }

  /** Subscriptions open on this instance. */
  get size(): number {
    let n = 0;
    for (const set of this.byOrg.values()) n += set.size;
    return n;
  }

  close(): void {
    for (const stop of this.stops) stop();
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private onChange(change: SessionChange): void {
    if (this.byOrg.size === 0) return;
    if (!change.sessions) return this.enqueue({ kind: 'ids', type: change.type, reason: change.reason, ids: change.sessionIds });
    const rows = change.sessions.filter((r) => this.byOrg.has(r.organizationId));
    if (rows.length > 0) this.enqueue({ kind: 'rows', type: change.type, reason: change.reason, rows });
  }

  private onNotice(notice: LiveNotice): void {
    if (this.byOrg.size === 0) return;
    if (notice.kind === 'member') {
      if (this.subscribersOf(notice.userId, notice.organizationId).length > 0) this.enqueue(notice);
      return;
    }
    for (const [type, refs] of [['ONLINE', notice.online], ['OFFLINE', notice.offline]] as const) {
      const ids = refs.filter((r) => this.byOrg.has(r.organizationId)).map((r) => r.sessionId);
      if (ids.length > 0) this.enqueue({ kind: 'ids', type, reason: null, ids });
    }
  }

  private recheckAll(): void {
    for (const set of this.byOrg.values()) for (const s of set) this.enqueue({ kind: 'member', userId: s.userId, organizationId: s.organizationId });
  }

  private subscribersOf(userId: string, organizationId: string): Subscriber[] {
    return [...(this.byOrg.get(organizationId) ?? [])].filter((s) => s.userId === userId);
  }

  private enqueue(item: Pending): void {
    this.queue.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    // After this turn's I/O: every change of a batch revocation joins the same pass.
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue;
      this.queue = [];
      this.passes = this.passes.then(() => this.pass(batch)).catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'organisation fan-out failed'));
    });
  }

  /** One pass: at most one read of rows and one of roles, then every event in the order heard. */
  private async pass(batch: Pending[]): Promise<void> {
    const ids = [...new Set(batch.flatMap((p) => (p.kind === 'ids' ? p.ids : [])))];
    const members = batch.filter((p) => p.kind === 'member');
    let rows: Map<string, SessionRow>;
    let roles: Map<string, string>;
    try {
      const [read, memberships] = await Promise.all([
        readSessionRows(this.prisma, ids),
        members.length === 0
          ? []
          : this.prisma.membership.findMany({ where: { OR: members.map(({ userId, organizationId }) => ({ userId, organizationId })) }, select: { userId: true, organizationId: true, role: true } }),
      ]);
      rows = new Map(read.map((r) => [r.id, r]));
      roles = new Map(memberships.map((m) => [`${m.userId}/${m.organizationId}`, m.role]));
    } catch (err) {
      // Nothing that needed the database is delivered, and nobody is kept on a role not checked: ended, they resubscribe.
      this.log.warn({ err: (err as Error).message }, 'organisation fan-out: the database did not answer');
      for (const m of members) for (const s of this.subscribersOf(m.userId, m.organizationId)) s.stream.fail(appError('SERVICE_UNAVAILABLE'));
      for (const p of batch) if (p.kind === 'rows') this.deliver(p.type, p.reason, p.rows);
      return;
    }
    for (const p of batch) {
      if (p.kind === 'rows') this.deliver(p.type, p.reason, p.rows);
      else if (p.kind === 'ids') this.deliver(p.type, p.reason, p.ids.flatMap((id) => rows.get(id) ?? []));
      else if (!MANAGES.has(roles.get(`${p.userId}/${p.organizationId}`) ?? '')) {
        for (const s of this.subscribersOf(p.userId, p.organizationId)) s.stream.fail(appError('FORBIDDEN', { message: 'No longer an owner or an admin of this organisation.' }));
      }
    }
  }

  private deliver(type: SessionEventType, reason: string | null, rows: SessionRow[]): void {
    for (const session of rows) {
      const subscribers = this.byOrg.get(session.organizationId);
      if (!subscribers) continue;
      const event: SessionEvent = { type, session, reason };
      for (const s of [...subscribers]) s.stream.push(event);
    }
  }
}
