// The session store: create, authenticate, list, revoke. No GraphQL here.
import type { Logger } from 'pino';
import { AUDIT, audit } from '../audit.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Organization, Role, Session } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/client.js';
import type { EventBus } from '../live/bus.js';
import type { ClientInfo } from './client-info.js';
import type { JoinedSession } from './session-rows.js';
import { revokeSessionRows, sessionView } from './session-rows.js';
import { SessionCache } from './session-cache.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

export const REVOKE_REASON = {
  SIGNED_OUT: 'SIGNED_OUT',
  REVOKED_BY_USER: 'REVOKED_BY_USER',
  REVOKED_OTHER_SESSIONS: 'REVOKED_OTHER_SESSIONS',
  ORGANIZATION_SWITCHED: 'ORGANIZATION_SWITCHED',
  EXPIRED: 'EXPIRED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  TOKEN_REUSE: 'TOKEN_REUSE',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
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
  userCreatedAt: Date;
  expiresAt: Date;
  lastActiveAt: Date;
}

/**
 * A session as the API shows it (no token hashes). Rows of a list, of a revocation and of a change
 * event carry their organisation and the user's role there; anything else loads those on demand.
 */
export interface SessionView {
  id: string;
  organizationId: string;
  ipAddress: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  role?: Role;
  organization?: Organization;
  /** Set on the rows of a list, which knows the current session. */
  isCurrent?: boolean;
}

/** A session with its user, organisation and role there: what revocations return and change events carry (session-rows.ts). */
export type SessionRow = SessionView & { userId: string; organization: Organization };

type LiveSessionRow = JoinedSession & { role: Role };

export type Refusal = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'idle' | 'no_membership' | 'reused';
export type AuthResult = { ok: true; auth: AuthState; rotatedToken?: string } | { ok: false; reason: Refusal };

interface SessionAuthRow {
  id: string;
  userId: string;
  organizationId: string;
  tokenHash: string;
  previousTokenHash: string | null;
  tokenRotatedAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  email: string;
  name: string;
  userCreatedAt: Date;
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
        tokenRotatedAt: now,
        expiresAt: new Date(now.getTime() + this.config.sessionLifetimeMs),
      },
    });
    await this.bus.publish({ type: 'CREATED', userId, sessionIds: [session.id], reason: null });
    return { session, token };
  }

  /**
   * Checks a token: one query joining session, user and membership (or the cache). A token
   * that was rotated out is accepted for a short grace window (requests already in flight);
   * presented later, it proves the token was copied, and the whole session is revoked.
   * `rotate`: the token may be replaced (cookie sessions); the new one is returned once.
   * `cache: false`: a check made once (a socket's), which would only fill the cache.
   */
  async authenticate(token: string | null, options: { rotate?: boolean; cache?: boolean } = {}): Promise<AuthResult> {
    if (token === null) return { ok: false, reason: 'missing' };
    if (!isWellFormedToken(token)) return { ok: false, reason: 'malformed' };
    const tokenHash = hashToken(token);
    const row = this.cache?.get(tokenHash) ?? (await this.load(Prisma.sql`s."tokenHash" = ${tokenHash} OR s."previousTokenHash" = ${tokenHash}`, options.cache === false ? undefined : tokenHash));
    if (!row) return { ok: false, reason: 'unknown' };
    const refusal = this.refusalOf(row);
    if (refusal) return { ok: false, reason: refusal };
    const now = this.clock.now();
    if (row.tokenHash !== tokenHash) {
      if (now.getTime() - row.tokenRotatedAt.getTime() <= this.config.tokenReuseGraceMs) return this.accept(row, now);
      await this.revokeWhere(row.userId, { ids: [row.id] }, REVOKE_REASON.TOKEN_REUSE);
      await audit(this.prisma, { type: AUDIT.TOKEN_REUSE_DETECTED, userId: row.userId, sessionId: row.id, organizationId: row.organizationId });
      this.log.warn({ sessionId: row.id }, 'rotated-out session token presented after the grace window: session revoked');
      return { ok: false, reason: 'reused' };
    }
    const rotationDue = this.config.tokenRotationMs > 0 && now.getTime() - row.tokenRotatedAt.getTime() >= this.config.tokenRotationMs;
    const rotatedToken = options.rotate && rotationDue ? await this.rotate(row, now) : undefined;
    return this.accept(row, now, rotatedToken);
  }

  /** Checks a session by id (sockets, which authenticated once with their token). */
  async check(sessionId: string): Promise<AuthResult> {
    const row = await this.load(Prisma.sql`s."id" = ${sessionId}::uuid`);
    if (!row) return { ok: false, reason: 'unknown' };
    const refusal = this.refusalOf(row);
    return refusal ? { ok: false, reason: refusal } : this.accept(row, this.clock.now());
  }

  /** Issues a new token for the session; the old one stays valid for the grace window. */
  async rotate(row: Pick<SessionAuthRow, 'id' | 'tokenHash'>, now = this.clock.now()): Promise<string | undefined> {
    const token = newToken();
    // Conditional on the hash it read: of requests racing a rotation, exactly one wins.
    const { count } = await this.prisma.session.updateMany({
      where: { id: row.id, tokenHash: row.tokenHash },
      data: { previousTokenHash: row.tokenHash, tokenHash: hashToken(token), tokenRotatedAt: now },
    });
    this.cache?.forgetSession(row.id);
    return count === 1 ? token : undefined;
  }

  /** Rotates a live session's token unconditionally (refreshSession, password change). */
  async rotateSession(sessionId: string): Promise<string | undefined> {
    const token = newToken();
    const count = await this.prisma.$executeRaw`
      UPDATE "Session" SET "previousTokenHash" = "tokenHash", "tokenHash" = ${hashToken(token)}, "tokenRotatedAt" = ${this.clock.now()}
      WHERE "id" = ${sessionId}::uuid AND "revokedAt" IS NULL`;
    this.cache?.forgetSession(sessionId);
    return count === 1 ? token : undefined;
  }

  private async load(where: Prisma.Sql, cacheAs?: string): Promise<SessionAuthRow | undefined> {
    const rows = await this.prisma.$queryRaw<SessionAuthRow[]>`
      SELECT s."id", s."userId", s."organizationId", s."tokenHash", s."previousTokenHash", s."tokenRotatedAt",
             s."lastActiveAt", s."expiresAt", s."revokedAt", u."email", u."name", u."createdAt" AS "userCreatedAt", m."role"
      FROM "Session" s
      JOIN "User" u ON u."id" = s."userId"
      LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"
      WHERE ${where}`;
    const row = rows[0];
    // Only live sessions presented by their current token are cached: anything else is read again.
    if (row && cacheAs === row.tokenHash && !this.refusalOf(row)) this.cache?.set(cacheAs, row);
    return row;
  }

  private async accept(row: SessionAuthRow, now: Date, rotatedToken?: string): Promise<AuthResult> {
    if (now.getTime() - row.lastActiveAt.getTime() >= this.config.activityWriteIntervalMs) {
      // At most one write per interval and session, whatever the request rate.
      await this.prisma.session.updateMany({ where: { id: row.id, lastActiveAt: { lt: now } }, data: { lastActiveAt: now } });
      row.lastActiveAt = now;
    }
    return {
      ok: true,
      rotatedToken,
      auth: {
        sessionId: row.id,
        userId: row.userId,
        organizationId: row.organizationId,
        role: row.role as Role,
        email: row.email,
        name: row.name,
        userCreatedAt: row.userCreatedAt,
        expiresAt: row.expiresAt,
        lastActiveAt: row.lastActiveAt,
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

  /**
   * Live sessions of a user, in every organisation they still belong to: not revoked, not
   * expired, not idle; the current one first, then the most recently active. One statement with
   * the organisation and the role joined, and only the columns the API shows (bench scenario 2:
   * Prisma's row mapping of whole rows was a fifth of the time of a 1,000-row list).
   */
  async listLive(userId: string, currentSessionId: string | null): Promise<SessionView[]> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.config.sessionIdleTimeoutMs);
    const rows = await this.prisma.$queryRaw<LiveSessionRow[]>`
      SELECT s."id", s."organizationId", s."ipAddress", s."userAgent", s."browser", s."os", s."deviceType",
             s."createdAt", s."lastActiveAt", s."expiresAt", m."role",
             o."name" AS "organizationName", o."slug" AS "organizationSlug", o."createdAt" AS "organizationCreatedAt"
      FROM "Session" s
      JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"
      JOIN "Organization" o ON o."id" = s."organizationId"
      WHERE s."userId" = ${userId}::uuid AND s."revokedAt" IS NULL AND s."expiresAt" > ${now} AND s."lastActiveAt" > ${idleCutoff}
      ORDER BY s."lastActiveAt" DESC, s."id"`;
    const list: SessionView[] = [];
    for (const r of rows) {
      const view = sessionView(r, r.role, r.id === currentSessionId);
      if (view.isCurrent) list.unshift(view);
      else list.push(view);
    }
    return list;
  }

  /**
   * Revokes sessions of one user in a single statement (all or none), then pushes one change
   * message for the whole batch, which carries the rows (with organisation and role) so that no
   * listener reads them again. Returns the sessions actually revoked.
   */
  async revokeWhere(userId: string, filter: { ids?: string[]; exceptId?: string; organizationId?: string }, reason: RevokeReason): Promise<SessionRow[]> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.config.sessionIdleTimeoutMs);
    const where = [
      Prisma.sql`"userId" = ${userId}::uuid AND "revokedAt" IS NULL AND "expiresAt" > ${now} AND "lastActiveAt" > ${idleCutoff}`,
      ...(filter.ids ? [Prisma.sql`"id" = ANY(${filter.ids}::uuid[])`] : []),
      ...(filter.exceptId ? [Prisma.sql`"id" <> ${filter.exceptId}::uuid`] : []),
      ...(filter.organizationId ? [Prisma.sql`"organizationId" = ${filter.organizationId}::uuid`] : []),
    ];
    const result = await revokeSessionRows(this.prisma, Prisma.join(where, ' AND '), now, reason);
    if (result.length > 0) {
      this.log.info({ userId, count: result.length, reason }, 'sessions revoked');
      await this.bus.publish({ type: 'REVOKED', userId, sessionIds: result.map((r) => r.id), reason, sessions: result });
    }
    return result;
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
    await audit(this.prisma, { type: AUDIT.SESSION_EXPIRED, userId, sessionId });
    await this.bus.publish({ type: 'REVOKED', userId, sessionIds: [sessionId], reason: REVOKE_REASON.EXPIRED });
    return true;
  }
}
