// What the sign-in page needs to know of MFA errors: the two codes that carry a challenge, and
// which failures of a second step mean "start again from the password".
import type { CombinedError } from '@urql/core';
import { createQuery } from '@urql/solid';
import { errorCode } from './errors';
import { TwoFactorStatusQuery } from './operations';

export type SecondStep = { kind: 'MFA_REQUIRED' | 'MFA_ENROLLMENT_REQUIRED'; challenge: string };

/** signIn's answer when the password was right but a second step is due; null otherwise. */
export function secondStepOf(error: CombinedError | undefined): SecondStep | null {
  const kind = errorCode(error);
  const challenge = error?.graphQLErrors[0]?.extensions.challenge;
  if ((kind !== 'MFA_REQUIRED' && kind !== 'MFA_ENROLLMENT_REQUIRED') || typeof challenge !== 'string') return null;
  return { kind, challenge };
}

/**
 * The challenge is dead (expired, used, out of tries): UNAUTHENTICATED with no field. A wrong code
 * names its field and the challenge lives on.
 */
export function challengeEnded(error: CombinedError | undefined): boolean {
  return errorCode(error) === 'UNAUTHENTICATED' && error?.graphQLErrors[0]?.extensions.field === undefined;
}

export const CHALLENGE_ENDED_MESSAGE = 'That took too long or too many tries. Sign in again with your password.';

/**
 * Whether the signed-in user has two-factor authentication on, from the Account page's status
 * query (one document for every section, so that turning it on or off updates them all).
 */
export function createMfaEnabled(): () => boolean {
  const [status] = createQuery({ query: TwoFactorStatusQuery });
  return () => status.data?.me.mfaEnabled ?? false;
}
