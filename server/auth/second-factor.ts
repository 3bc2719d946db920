// Checking a second factor: a TOTP code (each 30-s step accepted once) or a recovery code (each
// code once). Both are spent by one conditional UPDATE, so two requests racing with one code
// cannot both succeed (ASVS 5.0 6.5.1).
import { AUDIT, audit } from '../audit/events.js';
import type { Context } from '../graphql/context.js';
import { badInput } from '../graphql/errors.js';
import type { User } from '../generated/prisma/client.js';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import { isTotpCode, matchTotp } from './totp.js';

export type SecondFactor = 'TOTP' | 'RECOVERY_CODE';
export type ParsedCode = { kind: 'TOTP'; code: string } | { kind: 'RECOVERY_CODE'; hash: string };

/** A code as typed; anything that is neither form is BAD_USER_INPUT, before any attempt is spent. */
export function parseCode(field: string, input: string, options: { recovery: boolean }): ParsedCode {
  const trimmed = input.replace(/\s/g, '');
  if (isTotpCode(trimmed)) return { kind: 'TOTP', code: trimmed };
  const recovery = options.recovery && input.length <= 64 ? normalizeRecoveryCode(input) : null;
  if (recovery) return { kind: 'RECOVERY_CODE', hash: hashRecoveryCode(recovery) };
  return badInput(field, options.recovery ? 'Enter the 6-digit code of your authenticator app, or a recovery code.' : 'Enter the 6-digit code of your authenticator app.');
}

type TotpUser = Pick<User, 'id' | 'totpSecret' | 'totpLastStep'>;

/** Checks and spends a code of `user`; the factor that matched, or null. `sessionId`: for the audit row. */
export async function checkSecondFactor(ctx: Context, user: TotpUser, code: ParsedCode, audited: { sessionId?: string; organizationId?: string } = {}): Promise<SecondFactor | null> {
  const { prisma, clock, mfaSecrets, config } = ctx.services;
  if (code.kind === 'TOTP') {
    if (!user.totpSecret) return null;
    const secret = await mfaSecrets.decrypt(user.totpSecret, user.id);
    const step = await matchTotp(secret, code.code, clock.now(), user.totpLastStep, config.totpToleranceSeconds);
    if (step === null) return null;
    // Only a step later than the last accepted one: a replay in the same step loses this race too.
    const { count } = await prisma.user.updateMany({ where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step } });
    return count === 1 ? 'TOTP' : null;
  }
  const { count } = await prisma.recoveryCode.updateMany({ where: { userId: user.id, codeHash: code.hash, usedAt: null }, data: { usedAt: clock.now() } });
  if (count !== 1) return null;
  const left = await prisma.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
  await audit(prisma, { type: AUDIT.RECOVERY_CODE_USED, userId: user.id, ...audited, client: ctx.client, details: { remaining: left } });
  return 'RECOVERY_CODE';
}

/**
 * For an account change that proves the user again (password change, deletion): with TOTP on, the
 * second factor too, as a sign-in asks (ASVS 5.0 7.5.1). BAD_USER_INPUT on `code` when it is
 * missing or wrong.
 */
export async function requireSecondFactorOf(ctx: Context, user: TotpUser & Pick<User, 'totpEnabledAt'>, code: string | null | undefined, sessionId: string): Promise<void> {
  if (!user.totpEnabledAt) return;
  if (!code) badInput('code', 'Enter the 6-digit code of your authenticator app, or a recovery code.');
  if (!(await checkSecondFactor(ctx, user, parseCode('code', code, { recovery: true }), { sessionId }))) badInput('code', 'This code is wrong or was already used.');
}
