// Forgotten-password reset (ASVS 5.0 6.4.3): single-use, short-lived links sent by mail. No GraphQL here.
import type { Logger } from 'pino';
import { AUDIT, audit } from '../audit/events.js';
import type { Clock } from '../process/clock.js';
import type { Config } from '../process/config.js';
import type { PrismaClient } from '../db/client.js';
import type { User } from '../generated/prisma/client.js';
import type { Mailer } from '../mail/mailer.js';
import { passwordResetMail, resetLink } from '../mail/password-reset-mail.js';
import type { ClientInfo } from '../sessions/user-agent.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';
import { afterPasswordChange } from './credential-change.js';

/** Reset tasks waiting for the database or the relay; past this, requests are dropped (a flood). */
const MAX_PENDING = 200;

export interface UsableReset {
  id: string;
  user: User;
}

export class PasswordResets {
  private readonly pending = new Set<Promise<void>>();
  /** The base of links when PUBLIC_URL is unset: app.ts sets http://localhost:PORT once listening. */
  fallbackBase = 'http://localhost:4000';

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly log: Logger,
  ) {}

  /**
   * Takes a request and returns at once, the same for every address: the look-up, the token row
   * and the mail all happen after the answer, so neither the database nor the relay's latency can
   * tell whether the account exists. Without SMTP_URL nothing is done at all.
   */
  request(email: string, client: ClientInfo): void {
    if (!this.mailer.enabled) return;
    if (this.pending.size >= MAX_PENDING) {
      this.log.warn({ pending: this.pending.size }, 'password-reset requests are piling up: one dropped');
      return;
    }
    const task: Promise<void> = this.deliver(email, client)
      // Neither the address nor the token is logged; a relay's error text may quote the address.
      .catch((err: unknown) => this.log.warn({ err: errorCode(err) }, 'password-reset mail not sent'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  private async deliver(email: string, client: ClientInfo): Promise<void> {
    // Let the response leave first.
    await new Promise((resolve) => setImmediate(resolve));
    // The token is made for every address alike (the same work whether or not the account exists).
    const token = newToken();
    const tokenHash = hashToken(token);
    const user = await this.prisma.user.findUnique({ where: { email } });
    if (!user) {
      await audit(this.prisma, { type: AUDIT.PASSWORD_RESET_REQUESTED, client, details: { reason: 'UNKNOWN_ACCOUNT' } });
      return;
    }
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.passwordResetTtlMs);
    await this.prisma.$transaction(async (tx) => {
      // The user's row lock orders two concurrent requests, so only the later link stays valid.
      await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${user.id}::uuid FOR UPDATE`;
      // A new request invalidates every earlier link (and keeps one row per user).
      await tx.passwordReset.deleteMany({ where: { userId: user.id } });
      await tx.passwordReset.create({ data: { tokenHash, userId: user.id, expiresAt, ipAddress: client.ipAddress, createdAt: now } });
      await audit(tx, { type: AUDIT.PASSWORD_RESET_REQUESTED, userId: user.id, client, details: { expiresAt: expiresAt.toISOString() } });
    });
    const link = resetLink(this.config.publicUrl ?? this.fallbackBase, token);
    await this.mailer.send(passwordResetMail(user.email, user.name, link, Math.round(this.config.passwordResetTtlMs / 60_000)));
  }

  /** The unused, unexpired reset a token names, with its user; null for anything else, alike. */
  async find(token: string): Promise<UsableReset | null> {
    if (!isWellFormedToken(token)) return null;
    const row = await this.prisma.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!row || row.usedAt !== null || row.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    return { id: row.id, user: row.user };
  }

  /**
   * Spends the reset and sets the password in one transaction. The conditional UPDATE is the
   * decision: of two concurrent uses one matches the row, the other (re-checking after the first
   * committed) matches nothing and gets false.
   */
  async complete(reset: UsableReset, passwordHash: string): Promise<boolean> {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (count === 0) return false;
      await tx.user.update({ where: { id: reset.user.id }, data: { passwordHash } });
      await afterPasswordChange(tx, reset.user.id, 'PASSWORD_RESET', now);
      return true;
    });
  }

  /** Waits for the tasks in flight (stop(), before the database closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

function errorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const { code, responseCode } = err as { code?: unknown; responseCode?: unknown };
    if (typeof code === 'string') return typeof responseCode === 'number' ? `${code} ${responseCode}` : code;
  }
  return err instanceof Error ? err.name : 'unknown';
}
