// After the password changes (changePassword, resetPassword), nothing proved with the old one may
// still be spent: a pending MFA challenge (its password step was the old password) or another
// reset link. And the change is an event (user.credential_changed; CAEP credential-change), written
// in the same transaction as the new password hash.
import type { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/client.js';
import { enqueueCredentialChanged } from '../webhooks/events.js';

export async function forgetPendingProofs(db: PrismaClient | Prisma.TransactionClient, userId: string): Promise<void> {
  await db.mfaChallenge.deleteMany({ where: { userId } });
  await db.passwordReset.deleteMany({ where: { userId, usedAt: null } });
}

/** Everything that goes with a new password hash, in its transaction `tx`. */
export async function afterPasswordChange(tx: Prisma.TransactionClient, userId: string, change: 'PASSWORD_CHANGED' | 'PASSWORD_RESET', now: Date): Promise<void> {
  await forgetPendingProofs(tx, userId);
  await enqueueCredentialChanged(tx, userId, change, now);
}
