// The session store: create, authenticate, list, revoke. No GraphQL here.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AUDIT, audit } from '../audit/events.js';
import type { Clock } from '../process/clock.js';
import type { Config } from '../process/config.js';
import type { Role, Session } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/client.js';
import type { SessionChanges } from './change.js';
import type { ClientInfo } from './user-agent.js';
import type { SessionAuthRow } from './auth-rows.js';
import { readAuthRows, readBySupersededToken, touchSessions } from './auth-rows.js';
import type { SessionRow, SessionView } from './model.js';
import { readLiveRows, REVOKE_BATCH_ROWS, revokeSessionRows } from './rows.js';
import { Batcher } from './batch.js';
import { SessionCache } from './cache.js';
import { AuthEpochs } from './auth-epochs.js';
import { ENDED, currentToken, rotateToken } from '../auth/token-rotation.js';
import { REVOKE_REASON } from './revoke-reasons.js';
import type { RevokeReason, UpdateReason } from './revoke-reasons.js';
import type { AuthResult, Refusal } from './types.js';
import { hashToken, isWellFormedToken, newToken } from '../auth/tokens.js';
import { actorOf, insertWithCreatedDeliveries } from '../webhooks/events.js';

export class SessionStore {
  private readonly cache: SessionCache<SessionAuthRow> | null;
  /** Sockets' checks, batched per turn (a reconnect storm): by token at connection_init, by id after. */
  private readonly byToken = new Batcher<string, SessionAuthRow>((hashes) => this.loadMany(Prisma.sql`s."tokenHash" = ANY(${hashes})`, (r) => r.tokenHash));
  private readonly byId = new Batcher<string, SessionAuthRow>((ids) => this.loadMany(Prisma.sql`s."id" = ANY(${ids}::uuid[])`, (r) => r.id));
  private readonly touches = new Batcher<string, true>((ids) => this.touchMany(ids));

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly bus: SessionChanges,
    private readonly log: Logger,
    /** With Redis: set on every change, whether or not this instance caches (others may). */
    private readonly epochs: AuthEpochs | null = config.redisUrl ? new AuthEpochs(config.redisUrl, config.sessionCacheTtlMs, log) : null,
  ) {
    this.cache = config.sessionCacheTtlMs > 0 ? new SessionCache(bus, clock, config.sessionCacheTtlMs, epochs) : null;
  }

  close(): void {
    this.cache?.close();
    this.epochs?.close();
  }

  /** Issues a new session (the token is returned once and never stored); `authenticatedAt`: when the user last proved a credential, if not now (a switch keeps its session's). */
  async create(userId: string, organizationId: string, client: ClientInfo, authenticatedAt?: Date): Promise<{ session: Session; token: string }> {
    const token = newToken();
    const now = this.clock.now();
    const id = randomUUID();
    const insert = this.prisma.session.create({
      data: {
        id,
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
        // From the injected clock, not the column's default: a sign-in is a fresh authentication.
        authenticatedAt: authenticatedAt ?? now,
        expiresAt: new Date(now.getTime() + this.config.sessionLifetimeMs),
      },
    });
    const session = await insertWithCreatedDeliveries(this.prisma, insert, id, now);
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
    const current = options.cache === false ? await this.byToken.load(tokenHash) : await this.lookup(tokenHash);
    // Only a token that is not the current one costs the second look-up.
    const found = current ? { row: current, superseded: undefined } : await readBySupersededToken(this.prisma, tokenHash);
    if (!found) return { ok: false, reason: 'unknown' };
    const { row, superseded } = found;
    const refusal = this.refusalOf(row);
    if (refusal) return { ok: false, reason: refusal };
    const now = this.clock.now();
    if (superseded) {
      if (superseded.successorNonce === ENDED) return { ok: false, reason: 'replaced' };
      if (now.getTime() - superseded.supersededAt.getTime() <= this.config.tokenReuseGraceMs) {
        // In flight during a rotation: a cookie client is handed the token that replaced it.
        const successor = options.rotate ? await currentToken(this.prisma, row.id, token) : undefined;
        return this.accept(row, now, successor ?? token, successor);
      }
      await this.revokeWhere(row.userId, { ids: [row.id] }, REVOKE_REASON.TOKEN_REUSE);
      await audit(this.prisma, { type: AUDIT.TOKEN_REUSE_DETECTED, userId: row.userId, sessionId: row.id, organizationId: row.organizationId });
      this.log.warn({ sessionId: row.id }, 'superseded session token presented after the grace window: session revoked');
      return { ok: false, reason: 'reused' };
    }
    const rotationDue = this.config.tokenRotationMs > 0 && now.getTime() - row.tokenRotatedAt.getTime() >= this.config.tokenRotationMs;
    let rotatedToken: string | undefined;
    if (options.rotate && rotationDue) {
      rotatedToken = await rotateToken(this.prisma, row.id, token, now);
      await this.changed(row.userId, [row.id]);
    }
    return this.accept(row, now, rotatedToken ?? token, rotatedToken, options.cache === false);
  }

  /** Checks a session by id (sockets, which authenticated once with their token): batched per turn. */
  async check(sessionId: string): Promise<AuthResult> {
    const row = await this.byId.load(sessionId);
    if (!row) return { ok: false, reason: 'unknown' };
    const refusal = this.refusalOf(row);
    return refusal ? { ok: false, reason: refusal } : this.accept(row, this.clock.now(), undefined, undefined, true);
  }

  /**
   * Replaces the session's token. `held`: the token the request holds; when it is the current one
   * it is rotated (racing callers all get the same successor), when it was already superseded
   * within its grace window the caller gets the current token, so that concurrent refreshes make
   * one rotation. Without `held` (a socket) a random token replaces the current one; with
   * `endHeld` (a password change) too, and the replaced token is refused at once (no grace window)
   * without counting as stolen.
   */
  async rotate(sessionId: string, held: string | undefined, options: { endHeld?: boolean } = {}): Promise<string | undefined> {
    const now = this.clock.now();
    // Whose session it is (its epoch changes) and whether `held` is its current token, in one read.
    const session = await this.prisma.session.findUnique({ where: { id: sessionId }, select: { userId: true, tokenHash: true } });
    if (!session) return undefined;
    let token: string | undefined;
    if (options.endHeld) token = await rotateToken(this.prisma, sessionId, undefined, now, true);
    else if (held === undefined || session.tokenHash === hashToken(held)) token = await rotateToken(this.prisma, sessionId, held, now);
    else token = await currentToken(this.prisma, sessionId, held);
    await this.changed(session.userId, [sessionId]);
    return token;
  }

  /** Only live sessions presented by their current token are cached: anything else is read again. */
  private lookup(tokenHash: string): Promise<SessionAuthRow | undefined> {
    const read = async () => (await readAuthRows(this.prisma, Prisma.sql`s."tokenHash" = ${tokenHash}`))[0];
    return this.cache ? this.cache.lookup(tokenHash, read, (row) => !this.refusalOf(row)) : read();
  }

  /** After a change to the user's auth rows commits, before it answers: dropped here, a new epoch for the others. */
  private async changed(userId: string, sessionIds: string[] = []): Promise<void> {
    for (const id of sessionIds) this.cache?.forgetSession(id);
    await this.epochs?.bump(userId);
  }

  private async loadMany(where: Prisma.Sql, keyOf: (row: SessionAuthRow) => string): Promise<Map<string, SessionAuthRow>> {
    const rows = await readAuthRows(this.prisma, where);
    return new Map(rows.map((r) => [keyOf(r), r]));
  }

  private async touchMany(ids: string[]): Promise<Map<string, true>> {
    await touchSessions(this.prisma, ids, this.clock.now());
    return new Map(ids.map((id) => [id, true]));
  }

  private async accept(row: SessionAuthRow, now: Date, token?: string, rotatedToken?: string, batched = false): Promise<AuthResult> {
    if (now.getTime() - row.lastActiveAt.getTime() >= this.config.activityWriteIntervalMs) {
      // At most one write per interval and session, whatever the request rate.
      if (batched) await this.touches.load(row.id);
      else await this.prisma.session.updateMany({ where: { id: row.id, lastActiveAt: { lt: now } }, data: { lastActiveAt: now } });
      row.lastActiveAt = now;
    }
    return {
      ok: true,
      token,
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
        authenticatedAt: row.authenticatedAt,
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

  /** Live sessions of a user in every organisation they still belong to: the current one first, then the most recently active. */
  async listLive(userId: string, currentSessionId: string | null): Promise<SessionView[]> {
    const now = this.clock.now();
    const rows = await readLiveRows(this.prisma, userId, now, new Date(now.getTime() - this.config.sessionIdleTimeoutMs), currentSessionId);
    const current = rows.findIndex((row) => row.isCurrent);
    if (current > 0) rows.unshift(...rows.splice(current, 1));
    return rows;
  }

  /** The live sessions (not revoked, expired or idle at `now`) that `scope` and every given filter select. */
  private revocable(now: Date, scope: Prisma.Sql, ...filters: (Prisma.Sql | undefined | '')[]): Prisma.Sql {
    const idleCutoff = new Date(now.getTime() - this.config.sessionIdleTimeoutMs);
    const live = Prisma.sql`"revokedAt" IS NULL AND "expiresAt" > ${now} AND "lastActiveAt" > ${idleCutoff}`;
    return Prisma.join([scope, live, ...filters.filter((f): f is Prisma.Sql => Boolean(f))], ' AND ');
  }

  /**
   * Revokes sessions of one user, all or none (rows.ts: one statement for a few known ids, else
   * batches in one transaction), then pushes one change
   * message for the whole batch, which carries the rows (with organisation and role) so that no
   * listener reads them again. Returns the sessions actually revoked.
   */
  async revokeWhere(userId: string, filter: { ids?: string[]; exceptId?: string; organizationId?: string; by?: string }, reason: RevokeReason): Promise<SessionRow[]> {
    const now = this.clock.now();
    const where = this.revocable(now, Prisma.sql`"userId" = ${userId}::uuid`, filter.ids && Prisma.sql`"id" = ANY(${filter.ids}::uuid[])`, filter.exceptId && Prisma.sql`"id" <> ${filter.exceptId}::uuid`, filter.organizationId && Prisma.sql`"organizationId" = ${filter.organizationId}::uuid`);
    const result = await revokeSessionRows(this.prisma, where, now, reason, filter.by ?? actorOf(reason, userId), !filter.ids || filter.ids.length > REVOKE_BATCH_ROWS);
    // Even when none was live: a caller may have changed the rows' membership just before.
    await this.changed(userId);
    if (result.length > 0) {
      this.log.info({ userId, count: result.length, reason }, 'sessions revoked');
      await this.bus.publish({ type: 'REVOKED', userId, sessionIds: result.map((r) => r.id), reason, sessions: result });
    }
    return result;
  }

  /**
   * Revokes the live sessions bound to one organisation — of one user, or of everyone — all or
   * none (batches in one transaction, rows.ts), then pushes one change message per affected user: the live
   * registry fans a message out to that user's sockets, so each revoked socket hears its own
   * REVOKED and is closed with 4403. `exceptId`: the caller's own session stays.
   */
  async revokeInOrganization(organizationId: string, filter: { userId?: string; id?: string; exceptId?: string; by?: string }, reason: RevokeReason): Promise<SessionRow[]> {
    const now = this.clock.now();
    const where = this.revocable(now, Prisma.sql`"organizationId" = ${organizationId}::uuid`, filter.userId && Prisma.sql`"userId" = ${filter.userId}::uuid`, filter.id && Prisma.sql`"id" = ${filter.id}::uuid`, filter.exceptId && Prisma.sql`"id" <> ${filter.exceptId}::uuid`);
    const result = await revokeSessionRows(this.prisma, where, now, reason, filter.by ?? null, !filter.id);
    const byUser = new Map<string, SessionRow[]>();
    for (const row of result) {
      const rows = byUser.get(row.userId);
      if (rows) rows.push(row);
      else byUser.set(row.userId, [row]);
    }
    if (result.length > 0) this.log.info({ organizationId, users: byUser.size, count: result.length, reason }, 'organisation sessions revoked');
    await Promise.all([...byUser.keys()].map((userId) => this.changed(userId)));
    for (const [userId, rows] of byUser) {
      await this.bus.publish({ type: 'REVOKED', userId, sessionIds: rows.map((r) => r.id), reason, sessions: rows });
    }
    return result;
  }

  /** Records that the user just proved their password again in this session (`reauthenticate`). */
  async markAuthenticated(sessionId: string): Promise<Session> {
    const session = await this.prisma.session.update({ where: { id: sessionId }, data: { authenticatedAt: this.clock.now() } });
    // A cached row still carries the old time.
    await this.changed(session.userId, [sessionId]);
    return session;
  }

  /** Tells a user's live sessions in one organisation that something about them changed (a role). */
  async notifyUpdated(userId: string, organizationId: string, reason: UpdateReason): Promise<void> {
    const now = this.clock.now();
    const live = await this.prisma.session.findMany({
      where: { userId, organizationId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    });
    await this.changed(userId);
    if (live.length > 0) await this.bus.publish({ type: 'UPDATED', userId, sessionIds: live.map((s) => s.id), reason });
  }

  /** Marks a session that reached its end as revoked (EXPIRED, with its webhook deliveries: revokeSessionRows) and pushes that to its sockets. */
  async expire(userId: string, sessionId: string): Promise<boolean> {
    const where = Prisma.sql`"id" = ${sessionId}::uuid AND "userId" = ${userId}::uuid AND "revokedAt" IS NULL`;
    if ((await revokeSessionRows(this.prisma, where, this.clock.now(), REVOKE_REASON.EXPIRED)).length === 0) return false;
    await this.changed(userId);
    await audit(this.prisma, { type: AUDIT.SESSION_EXPIRED, userId, sessionId });
    await this.bus.publish({ type: 'REVOKED', userId, sessionIds: [sessionId], reason: REVOKE_REASON.EXPIRED });
    return true;
  }
}
