// After the password changes (changePassword, resetPassword), nothing proved with the old one may
// still be spent: a pending MFA challenge (its password step was the old password) or another
// reset link.
import type { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/client.js';

export async function forgetPendingProofs(db: PrismaClient | Prisma.TransactionClient, userId: string): Promise<void> {
  await db.mfaChallenge.deleteMany({ where: { userId } });
  await db.passwordReset.deleteMany({ where: { userId, usedAt: null } });
}
