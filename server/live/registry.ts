// Every socket this instance holds, by session and by user. Session changes from the bus are
// fanned out here: the revoked sockets get their own REVOKED event and are closed with 4403; the
// user's other sockets get the event for their session lists. When the bus can lose messages
// (Redis), a socket hears an event only once the database says its session is still live, so
// that a socket whose revocation was missed hears nothing after it: it is kicked instead.
import type { Logger } from 'pino';
import type { Role } from '../generated/prisma/enums.js';
import type { PrismaClient } from '../db/client.js';
import { readSessionRows } from '../sessions/rows.js';
import type { SessionRow } from '../sessions/model.js';
import { UPDATE_REASON } from '../sessions/revoke-reasons.js';
import type { EventBus, SessionChange } from './bus.js';
import type { LiveConnection, SessionEvent } from './connection.js';
import { Connection } from './connection.js';
import type { PresenceRef } from './notices.js';
import type { Transport } from './transport.js';

export type { LiveConnection, SessionEvent } from './connection.js';

export interface RegistryStats {
  connections: number;
  sessions: number;
  users: number;
  streams: number;
}

const revokedEvent = (session: SessionRow): SessionEvent => ({ type: 'REVOKED', session, reason: session.revokedReason });

export class LiveRegistry {
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly unsubscribe: () => void;
  /** Each user's list updates in order, though each may wait for its rows or its check. */
  private readonly deliveries = new Map<string, Promise<void>>();
  private readonly verify: boolean;
  /** Told when a session's first socket here opens and its last one closes (./presence.ts). */
  onPresence: ((online: PresenceRef[], offline: PresenceRef[]) => void) | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    bus: EventBus,
    private readonly log: Logger,
    /** How long a kicked socket waits for its REVOKED event to be sent before it is closed anyway. */
    private readonly kickGraceMs = 1000,
  ) {
    this.verify = bus.lossy;
    this.unsubscribe = bus.subscribe((change) => this.onChange(change));
  }

  /** Registers a socket, held through the transport's declared interface (close, gathered). */
  add(sessionId: string, userId: string, role: Role | undefined, transport: Transport, organizationId = ''): LiveConnection {
    const conn = new Connection(sessionId, userId, role, transport, organizationId);
    const first = !this.bySession.has(sessionId);
    addTo(this.bySession, sessionId, conn);
    addTo(this.byUser, userId, conn);
    if (first) this.onPresence?.([{ sessionId, userId, organizationId }], []);
    return conn;
  }

  remove(live: LiveConnection): void {
    const conn = live as Connection;
    removeFrom(this.bySession, conn.sessionId, conn);
    removeFrom(this.byUser, conn.userId, conn);
    for (const stream of [...conn.streams]) stream.return();
    if (!this.bySession.has(conn.sessionId)) this.onPresence?.([], [{ sessionId: conn.sessionId, userId: conn.userId, organizationId: conn.organizationId }]);
  }

  /** Sockets this instance holds for one user. */
  countForUser(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** The sessions and users of every socket here. */
  held(): { sessionIds: string[]; userIds: string[] } {
    return { sessionIds: [...this.bySession.keys()], userIds: [...this.byUser.keys()] };
  }

  stats(): RegistryStats {
    let connections = 0;
    let streams = 0;
    for (const set of this.bySession.values()) {
      connections += set.size;
      for (const c of set) streams += c.streams.length;
    }
    return { connections, sessions: this.bySession.size, users: this.byUser.size, streams };
  }

  close(): void {
    this.unsubscribe();
  }

  /**
   * Applies the database's truth (./reconcile.ts): sockets whose session is revoked or gone are
   * kicked, a changed role is told; with `since`, the other sockets of each user also hear of
   * the sessions created or revoked since then. Returns the number of sockets kicked.
   */
  settle(rows: SessionRow[], heldIds: string[], since: Date | null): number {
    const byId = new Map(rows.map((r) => [r.id, r]));
    let kicked = 0;
    for (const id of heldIds) {
      const own = byId.get(id);
      for (const conn of this.bySession.get(id) ?? []) {
        if (conn.kicked) continue;
        if (own && !own.revokedAt) {
          if (own.role && own.role !== conn.role) conn.push({ type: 'UPDATED', session: own, reason: UPDATE_REASON.ROLE_CHANGED });
          continue;
        }
        this.endFromRow(conn, own);
        kicked++;
      }
    }
    if (since) {
      for (const row of rows) {
        const event: SessionEvent | null = row.revokedAt && row.revokedAt >= since ? revokedEvent(row) : !row.revokedAt && row.createdAt >= since ? { type: 'CREATED', session: row, reason: null } : null;
        if (!event) continue;
        for (const conn of this.byUser.get(row.userId) ?? []) if (conn.sessionId !== row.id) conn.push(event);
      }
    }
    return kicked;
  }

  private onChange(change: SessionChange): void {
    const local = this.byUser.get(change.userId);
    if (!local || local.size === 0) return;
    const changed = new Set(change.sessionIds);
    const revoked: Connection[] = [];
    const others: Connection[] = [];
    for (const conn of local) (change.type === 'REVOKED' && changed.has(conn.sessionId) ? revoked : others).push(conn);
    // The revoked sockets first, in one synchronous pass when the rows came with the change: their
    // kick waits for nothing, neither the others' list updates nor a query.
    if (change.sessions && revoked.length > 0) this.kick(change, change.sessions, revoked);
    if (!change.sessions || (others.length > 0 && this.verify)) {
      const previous = this.deliveries.get(change.userId) ?? Promise.resolve();
      const next = previous.then(() => this.deliverChecked(change, revoked, others)).catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'live fan-out failed'));
      this.deliveries.set(change.userId, next);
      void next.then(() => {
        if (this.deliveries.get(change.userId) === next) this.deliveries.delete(change.userId);
      });
    } else {
      this.pushAll(change, change.sessions, others);
    }
  }

  /** With one query: the change's rows when they did not come with it, and whether the other sockets' sessions still live. */
  private async deliverChecked(change: SessionChange, revoked: Connection[], others: Connection[]): Promise<void> {
    const checked = this.verify ? [...new Set(others.filter((c) => !c.kicked).map((c) => c.sessionId))] : [];
    const wanted = change.sessions ? checked : [...change.sessionIds, ...checked];
    let rows: SessionRow[];
    try {
      rows = await readSessionRows(this.prisma, [...new Set(wanted)]);
    } catch (err) {
      // Nothing is delivered that could not be checked; the kick, if any, already went out.
      this.log.warn({ err: (err as Error).message, userId: change.userId }, 'live fan-out skipped: the database did not answer');
      return;
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const changeRows = change.sessions ?? change.sessionIds.flatMap((id) => byId.get(id) ?? []);
    if (!change.sessions && revoked.length > 0) this.kick(change, changeRows, revoked);
    const alive = this.verify ? others.filter((c) => this.stillLive(c, byId.get(c.sessionId))) : others;
    this.pushAll(change, changeRows, alive);
  }

  /** A socket whose session the database no longer holds live is kicked, not told. */
  private stillLive(conn: Connection, row: SessionRow | undefined): boolean {
    if (row && !row.revokedAt) return true;
    this.endFromRow(conn, row);
    this.log.info({ sessionId: conn.sessionId }, 'socket of a revoked session kicked on delivery: its revocation was not heard');
    return false;
  }

  /** Closes a socket whose session the database holds revoked (its REVOKED event first) or no longer holds. */
  private endFromRow(conn: Connection, row: SessionRow | undefined): void {
    if (!row) return conn.end();
    conn.kick(revokedEvent(row), this.kickGraceMs)?.catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'kick failed'));
  }

  private kick(change: SessionChange, rows: SessionRow[], revoked: Connection[]): void {
    const byId = new Map(rows.map((session) => [session.id, session]));
    const kicks: Promise<void>[] = [];
    for (const conn of revoked) {
      const row = byId.get(conn.sessionId);
      const pending = row ? conn.kick({ type: 'REVOKED', session: row, reason: change.reason }, this.kickGraceMs) : conn.end();
      if (pending) kicks.push(pending);
    }
    this.log.debug({ userId: change.userId, sockets: revoked.length, reason: change.reason }, 'kicking revoked sockets');
    if (kicks.length > 0) Promise.all(kicks).catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'kick failed'));
  }

  private pushAll(change: SessionChange, rows: SessionRow[], conns: Connection[]): void {
    const events = rows.map((session): SessionEvent => ({ type: change.type, session, reason: change.reason }));
    for (const conn of conns) for (const event of events) conn.push(event);
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
