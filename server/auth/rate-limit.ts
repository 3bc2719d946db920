// Fixed-window attempt counters in the database, so that every instance shares them.
import type { Clock } from '../clock.js';
import type { PrismaClient } from '../db/client.js';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * The key under which an e-mail's attempts are counted: letter case, "+tags" and (for Gmail)
 * dots in the local part all reach the same mailbox, so they count together.
 */
export function accountKey(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split(/@(?=[^@]*$)/);
  let name = local.split('+')[0] ?? '';
  let host = domain;
  if (host === 'googlemail.com') host = 'gmail.com';
  if (host === 'gmail.com') name = name.replace(/\./g, '');
  return `${name}@${host}`;
}

export class RateLimiter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Counts one attempt under `key`; one atomic statement, safe under concurrency. */
  async hit(key: string, limit: Limit): Promise<RateDecision> {
    const now = this.clock.now();
    const windowFloor = new Date(now.getTime() - limit.windowMs);
    // A window that starts in the future (a clock that moved back) starts again too.
    const rows = await this.prisma.$queryRaw<{ count: number; windowStart: Date }[]>`
      INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${now}, 1)
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimit"."windowStart" <= ${windowFloor} OR "RateLimit"."windowStart" > ${now} THEN 1 ELSE "RateLimit"."count" + 1 END,
        "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${windowFloor} OR "RateLimit"."windowStart" > ${now} THEN ${now} ELSE "RateLimit"."windowStart" END
      RETURNING "count", "windowStart"`;
    const row = rows[0];
    if (!row) return { allowed: true, retryAfterSeconds: 0 };
    const retryAfterSeconds = Math.max(1, Math.ceil((row.windowStart.getTime() + limit.windowMs - now.getTime()) / 1000));
    return { allowed: Number(row.count) <= limit.max, retryAfterSeconds };
  }

  /** Counts the attempt under every key; refused when any of them is over its limit. */
  async hitAll(entries: [string, Limit][]): Promise<RateDecision> {
    let refused: RateDecision | null = null;
    for (const [key, limit] of entries) {
      const decision = await this.hit(key, limit);
      if (!decision.allowed && (!refused || decision.retryAfterSeconds > refused.retryAfterSeconds)) refused = decision;
    }
    return refused ?? { allowed: true, retryAfterSeconds: 0 };
  }

  /** Forgets windows that ended long ago (called now and then). */
  async prune(olderThanMs: number): Promise<void> {
    await this.prisma.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(this.clock.now().getTime() - olderThanMs) } } });
  }
}
