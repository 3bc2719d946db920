import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formErrors } from '../src/errors';
import { messageFor, revokeReason } from '../src/session-kick';
import { relativeTime } from '../src/time';

describe('relative times', () => {
  const now = Date.parse('2026-06-01T12:00:00.000Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('reads like a person would say it', () => {
    expect(relativeTime(ago(5), now)).toBe('just now');
    expect(relativeTime(ago(120), now)).toBe('2 minutes ago');
    expect(relativeTime(ago(3 * 3600), now)).toBe('3 hours ago');
    expect(relativeTime(ago(26 * 3600), now)).toBe('yesterday');
    expect(relativeTime(ago(-3 * 86400), now)).toBe('in 3 days');
  });
});

describe('kick messages', () => {
  it('says why the session ended', () => {
    expect(messageFor('REVOKED_BY_USER')).toBe('This session was signed out from another device.');
    expect(messageFor('EXPIRED')).toContain('expired');
    expect(messageFor(null)).toBe('Your session has ended. Please sign in again.');
    expect(messageFor(revokeReason('SOMETHING_NEW'))).toBe('Your session has ended. Please sign in again.');
  });

  it("reads the reason of the server's close frame as a RevokeReason, and nothing else", () => {
    expect(revokeReason('REVOKED_OTHER_SESSIONS')).toBe('REVOKED_OTHER_SESSIONS');
    // A refused socket's reason, the former "Session revoked: …" form, and anything else: no reason.
    for (const text of ['Forbidden', 'Session ended', 'Session revoked', 'Session revoked: REVOKED_BY_USER', 'revoked_by_user', 'constructor', '']) expect(revokeReason(text)).toBeNull();
  });
});

describe('form errors', () => {
  it('puts field errors by field, and the rest on the form', () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('An account with this e-mail address already exists.', { extensions: { code: 'CONFLICT', field: 'email' } }),
        new GraphQLError('Too many attempts.', { extensions: { code: 'RATE_LIMITED' } }),
      ],
    });
    expect(formErrors(error)).toEqual({ fields: { email: 'An account with this e-mail address already exists.' }, form: 'Too many attempts.' });
  });

  it('explains a network failure', () => {
    expect(formErrors(new CombinedError({ networkError: new Error('Failed to fetch') })).form).toContain('cannot be reached');
  });
});
