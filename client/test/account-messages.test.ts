import { describe, expect, it } from 'vitest';
import { changedMessage } from '../src/components/ChangePassword';
import { messageFor } from '../src/session-kick';

describe('account messages', () => {
  it('counts the sessions a password change signed out', () => {
    expect(changedMessage(0)).toBe('Password changed. 0 other sessions were signed out.');
    expect(changedMessage(1)).toBe('Password changed. 1 other session was signed out.');
    expect(changedMessage(3)).toBe('Password changed. 3 other sessions were signed out.');
  });

  it('says why a session ended after a password change or an account deletion', () => {
    expect(messageFor('PASSWORD_CHANGED')).toMatch(/password of your account was changed/);
    expect(messageFor('ACCOUNT_DELETED')).toMatch(/account was deleted/);
  });
});
