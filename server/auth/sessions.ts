// The session store: create, authenticate, list, revoke. No GraphQL here.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Prisma, Role, Session } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/client.js';
import type { EventBus } from '../live/bus.js';
import type { ClientInfo } from './client-info.js';
import { SessionCache } from './session-cache.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

export const REVOKE_REASON = {
  SIGNED_OUT: 'SIGNED_OUT',
  REVOKED_BY_USER: 'REVOKED_BY_USER',
  REVOKED_OTHER_SESSIONS: 'REVOKED_OTHER_SESSIONS',
  ORGANIZATION_SWITCHED: 'ORGANIZATION_SWITCHED',
  EXPIRED: 'EXPIRED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
} as const;
export type RevokeReason = (typeof REVOKE_REASON)[keyof typeof REVOKE_REASON];

/** What a request knows once its session checks out. */
export interface AuthState {
  sessionId: string;
  userId: string;
  organizationId: string;
  role: Role;
  email: string;
  name: string;
  expiresAt: Date;
  lastActiveAt: Date;
}

export type Refusal = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'idle' | 'no_membership';
export type AuthResult = { ok: true; auth: AuthState } | { ok: false; reason: Refusal };

interface SessionAuthRow {
  id: string;
  userId: string;
  organizationId: string;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  email: string;
  name: string;
  role: Role | null;
}

export class SessionStore {
  private readonly cache: SessionCache<SessionAuthRow> | null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {
    this.cache = config.sessionCacheTtlMs > 0 ? new SessionCache(bus, clock, config.sessionCacheTtlMs) : null;
  }

  close(): void {
    this.cache?.close();
  }

  /** Issues a new session; the token is returned once and never stored. */
  async create(userId: string, organizationId: string, client: ClientInfo): Promise<{ session: Session; token: string }> {
    const token = newToken();
    const now = this.clock.now();
    const session = await this.prisma.session.create({
      data: {
        userId,
        organizationId,
        tokenHash: hashToken(token),
        ipAddress: client.ipAddress,
        userAgent: client.userAgent,
        browser: client.browser,
        os: client.os,
        deviceType: client.deviceType,
        createdAt: now,
        lastActiveAt: now,
        expiresAt: new Date(now.getTime() + this.config.sessionLifetimeMs),
      },
    });
    await this.bus.publish({ type: 'CREATED', userId, sessionIds: [session.id], reason: null });
    return { session, token };
  }

  /** Checks a token against the database: one query (session, user and membership joined). */
  async authenticate(token: string | null): Promise<AuthResult> {
    if (token === null) return { ok: false, reason: 'missing' };
    if (!isWellFormedToken(token)) return { ok: false, reason: 'malformed' };
    const tokenHash = hashToken(token);
    let row = this.cache?.get(tokenHash);
    if (!row) {
      const rows = await this.prisma.$queryRaw<SessionAuthRow[]>`
        SELECT s."id", s."userId", s."organizationId", s."lastActiveAt", s."expiresAt", s."revokedAt",
               u."email", u."name", m."role"
        FROM "Session" s
        JOIN "User" u ON u."id" = s."userId"
        LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"
        WHERE s."tokenHash" = ${tokenHash}`;
      row = rows[0];
      if (!row) return { ok: false, reason: 'unknown' };
      // Only live sessions are cached: a refusal is always read from the database again.
      if (!this.refusalOf(row)) this.cache?.set(tokenHash, row);
    }
    const refusal = this.refusalOf(row);
    if (refusal) {
      this.cache?.forgetSession(row.id);
      return { ok: false, reason: refusal };
    }
    const now = this.clock.now();
    let lastActiveAt = row.lastActiveAt;
    if (now.getTime() - lastActiveAt.getTime() >= this.config.activityWriteIntervalMs) {
      // At most one write per interval and session, whatever the request rate.
      await this.prisma.session.updateMany({ where: { id: row.id, lastActiveAt: { lt: now } }, data: { lastActiveAt: now } });
      lastActiveAt = now;
      row.lastActiveAt = now;
    }
    return {
      ok: true,
      auth: {
        sessionId: row.id,
        userId: row.userId,
        organizationId: row.organizationId,
        role: row.role as Role,
        email: row.email,
        name: row.name,
        expiresAt: row.expiresAt,
        lastActiveAt,
      },
    };
  }

  private refusalOf(row: Pick<SessionAuthRow, 'revokedAt' | 'expiresAt' | 'lastActiveAt' | 'role'>): Refusal | null {
    const now = this.clock.now().getTime();
    if (row.revokedAt) return 'revoked';
    if (row.expiresAt.getTime() <= now) return 'expired';
    if (now - row.lastActiveAt.getTime() > this.config.sessionIdleTimeoutMs) return 'idle';
    if (!row.role) return 'no_membership';
    return null;
  }

  /** The moment after which a session is no longer live: absolute lifetime or idle timeout. */
  endOf(session: Pick<Session, 'expiresAt' | 'lastActiveAt'>): Date {
    const idleEnd = session.lastActiveAt.getTime() + this.config.sessionIdleTimeoutMs;
    return new Date(Math.min(session.expiresAt.getTime(), idleEnd));
  }

  /** Live sessions of a user, in every organisation: not revoked, not expired, not idle. */
  listLive(userId: string, query: Pick<Prisma.SessionFindManyArgs, 'include' | 'select'> = {}): Promise<Session[]> {
    const now = this.clock.now();
    return this.prisma.session.findMany({
      ...query,
      where: {
        userId,
        revokedAt: null,
        expiresAt: { gt: now },
        lastActiveAt: { gt: new Date(now.getTime() - this.config.sessionIdleTimeoutMs) },
        organization: { memberships: { some: { userId } } },
      },
      orderBy: { lastActiveAt: 'desc' },
    });
  }

  /**
   * Revokes sessions of one user in a single statement (all or none), then pushes one change
   * message for the whole batch. Returns the ids actually revoked.
   */
  async revokeWhere(userId: string, filter: { ids?: string[]; exceptId?: string; organizationId?: string }, reason: RevokeReason): Promise<string[]> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.config.sessionIdleTimeoutMs);
    const result = await this.prisma.session.updateManyAndReturn({
      where: {
        userId,
        revokedAt: null,
        expiresAt: { gt: now },
        lastActiveAt: { gt: idleCutoff },
        ...(filter.ids ? { id: { in: filter.ids } } : {}),
        ...(filter.exceptId ? { NOT: { id: filter.exceptId } } : {}),
        ...(filter.organizationId ? { organizationId: filter.organizationId } : {}),
      },
      data: { revokedAt: now, revokedReason: reason },
      select: { id: true },
    });
    const ids = result.map((r) => r.id);
    if (ids.length > 0) {
      this.log.info({ userId, count: ids.length, reason }, 'sessions revoked');
      await this.bus.publish({ type: 'REVOKED', userId, sessionIds: ids, reason });
    }
    return ids;
  }

  /** Tells a user's live sessions in one organisation that something about them changed (a role). */
  async notifyUpdated(userId: string, organizationId: string, reason: string): Promise<void> {
    const now = this.clock.now();
    const live = await this.prisma.session.findMany({
      where: { userId, organizationId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    });
    if (live.length > 0) await this.bus.publish({ type: 'UPDATED', userId, sessionIds: live.map((s) => s.id), reason });
  }

  /** Marks a session that reached its end as revoked (EXPIRED) and pushes that to its sockets. */
  async expire(userId: string, sessionId: string): Promise<boolean> {
    const { count } = await this.prisma.session.updateMany({
      where: { id: sessionId, userId, revokedAt: null },
      data: { revokedAt: this.clock.now(), revokedReason: REVOKE_REASON.EXPIRED },
    });
    if (count === 0) return false;
    await this.prisma.auditEvent.create({ data: { type: 'SESSION_EXPIRED', userId, sessionId } });
    await this.bus.publish({ type: 'REVOKED', userId, sessionIds: [sessionId], reason: REVOKE_REASON.EXPIRED });
    return true;
  }
}
