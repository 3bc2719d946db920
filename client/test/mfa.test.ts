import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { challengeEnded, secondStepOf } from '../src/mfa';
import { messageFor } from '../src/session-kick';

const error = (extensions: Record<string, unknown>) => new CombinedError({ graphQLErrors: [new GraphQLError('x', { extensions })] });

describe('sign-in second steps', () => {
  it('reads the challenge of MFA_REQUIRED and MFA_ENROLLMENT_REQUIRED only', () => {
    expect(secondStepOf(error({ code: 'MFA_REQUIRED', challenge: 'c1' }))).toEqual({ kind: 'MFA_REQUIRED', challenge: 'c1' });
    expect(secondStepOf(error({ code: 'MFA_ENROLLMENT_REQUIRED', challenge: 'c2' }))).toEqual({ kind: 'MFA_ENROLLMENT_REQUIRED', challenge: 'c2' });
    expect(secondStepOf(error({ code: 'MFA_REQUIRED' }))).toBeNull();
    expect(secondStepOf(error({ code: 'UNAUTHENTICATED', challenge: 'c3' }))).toBeNull();
    expect(secondStepOf(undefined)).toBeNull();
  });

  it('tells a dead challenge (no field) from a wrong code (field `code`)', () => {
    expect(challengeEnded(error({ code: 'UNAUTHENTICATED' }))).toBe(true);
    expect(challengeEnded(error({ code: 'UNAUTHENTICATED', field: 'code' }))).toBe(false);
    expect(challengeEnded(error({ code: 'BAD_USER_INPUT', field: 'code' }))).toBe(false);
    expect(challengeEnded(error({ code: 'RATE_LIMITED' }))).toBe(false);
  });

  it('says why a session ended when its organisation started requiring MFA', () => {
    expect(messageFor('MFA_REQUIRED')).toMatch(/requires two-factor authentication/);
  });
});
