// TOTP (RFC 6238) through otplib: SHA-1, 6 digits, 30-s steps, as every authenticator app does.
// Time comes from the injected clock (tests step it). A code is accepted in its own step and in
// the one before (a code typed as the step turned), never a later one, and each step once: the
// caller stores the step returned and passes it back as `afterStep` (ASVS 5.0 6.5.1, 6.5.5).
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'session-gateway';
const CODE = /^\d{6}$/;

/** 160 random bits (RFC 4226's recommendation), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: ISSUER, label: accountName, secret, period: TOTP_PERIOD_SECONDS });
}

export function isTotpCode(code: string): boolean {
  return CODE.test(code);
}

/** The step of `code` when it is valid now (or `toleranceSeconds` ago) and later than `afterStep`; null otherwise. */
export async function matchTotp(secret: string, code: string, now: Date, afterStep: number | null, toleranceSeconds = TOTP_PERIOD_SECONDS): Promise<number | null> {
  if (!isTotpCode(code)) return null;
  const result = await verify({
    secret,
    token: code,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(now.getTime() / 1000),
    // Codes of the past `toleranceSeconds` (clock drift, a code typed as its step turned), no future one.
    epochTolerance: [toleranceSeconds, 0],
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  // otplib's result type covers HOTP too; a TOTP match carries its step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
