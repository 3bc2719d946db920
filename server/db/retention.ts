// What is kept, and for how long (ASVS 5.0 14.1.2, 14.2.4): ended sessions and audit events carry
// IP addresses and user agents, so they go after their retention period; superseded token hashes
// of ended sessions serve nothing once the session is over, nor do used or expired reset links and
// MFA challenges; expired rate-limit counters are clutter.
import type { Services } from '../process/services.js';

export interface Pruned {
  sessions: number;
  supersededTokens: number;
  auditEvents: number;
  /** Password-reset links and MFA challenges used or expired: single-use secrets, and the requester's IP. */
  challenges: number;
  /** Webhook deliveries delivered or failed (their payloads carry addresses and user agents), with their attempts. */
  webhookDeliveries: number;
}

/** One pass; run now and then (app.ts) and callable from tests. */
export async function pruneRetained(services: Pick<Services, 'prisma' | 'clock' | 'config' | 'rateLimiter'>): Promise<Pruned> {
  const { prisma, clock, config } = services;
  const now = clock.now().getTime();
  const sessionsBefore = new Date(now - config.sessionRetentionMs);
  // A superseded token of a session that ended is refused as that session's anyway.
  const tokensBefore = new Date(now - config.tokenReuseGraceMs);
  const supersededTokens = await prisma.supersededToken.deleteMany({
    where: { session: { OR: [{ revokedAt: { lt: tokensBefore } }, { expiresAt: { lt: tokensBefore } }] } },
  });
  const sessions = await prisma.session.deleteMany({
    where: { OR: [{ revokedAt: { lt: sessionsBefore } }, { expiresAt: { lt: sessionsBefore } }] },
  });
  const auditEvents = await prisma.auditEvent.deleteMany({ where: { createdAt: { lt: new Date(now - config.auditRetentionMs) } } });
  const done = { OR: [{ usedAt: { not: null } }, { expiresAt: { lt: new Date(now) } }] };
  const resets = await prisma.passwordReset.deleteMany({ where: done });
  const mfa = await prisma.mfaChallenge.deleteMany({ where: done });
  const webhookDeliveries = await prisma.webhookDelivery.deleteMany({ where: { status: { not: 'PENDING' }, finishedAt: { lt: sessionsBefore } } });
  await services.rateLimiter.prune();
  return { sessions: sessions.count, supersededTokens: supersededTokens.count, auditEvents: auditEvents.count, challenges: resets.count + mfa.count, webhookDeliveries: webhookDeliveries.count };
}
