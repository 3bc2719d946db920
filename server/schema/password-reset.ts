// Forgotten password: a link by mail (requestPasswordReset), then a new password with its token
// (resetPassword). The reset issues no session: signing in afterwards goes through MFA as ever.
import { AUDIT, audit } from '../audit/events.js';
import { hashPassword } from '../auth/passwords.js';
import { REVOKE_REASON } from '../sessions/revoke-reasons.js';
import { fail } from '../graphql/errors.js';
import { builder } from './builder.js';
import * as valid from './validate.js';

/** One answer for a token that is unknown, expired or already used: none tells the others apart. */
function badToken(): never {
  fail('BAD_USER_INPUT', { field: 'token', message: 'This reset link is invalid, expired or already used. Ask for a new one.' });
}

builder.mutationField('requestPasswordReset', (t) =>
  t.boolean({
    description:
      'Mails a single-use link (valid 30 minutes) to reset the password of the account with this e-mail address, if there is one. Always answers true, the same way and in the same time for any address: the look-up and the mail happen after the answer. A new request invalidates earlier links. Rate-limited per address and per account (RATE_LIMITED).',
    args: { email: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const email = valid.email('email', args.email);
      // Counted for unknown addresses too, so the limit says nothing about which accounts exist.
      const decision = await ctx.services.rateLimiter.passwordReset(email, ctx.client.ipAddress ?? 'unknown');
      if (!decision.allowed) fail('RATE_LIMITED', { retryAfterSeconds: decision.retryAfterSeconds });
      ctx.services.passwordResets.request(email, ctx.client);
      return true;
    },
  }),
);

const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({
    token: t.string({ required: true, description: 'From the link in the mail (its #token= fragment).' }),
    newPassword: t.string({ required: true }),
  }),
});

builder.mutationField('resetPassword', (t) =>
  t.boolean({
    description:
      'Sets a new password with the token of a reset link, once; signs out every session of the account (PASSWORD_RESET) and issues none. An unknown, expired or used token answers BAD_USER_INPUT with field `token`; a weak password, with field `newPassword` (the link stays usable).',
    args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { passwordResets, prisma, sessions } = ctx.services;
      const reset = await passwordResets.find(input.token);
      if (!reset) badToken();
      const { user } = reset;
      // Checked before the token is spent: a refused password leaves the link usable.
      const newPassword = await valid.newPassword('newPassword', input.newPassword, [...valid.emailWords(user.email), user.name]);
      if (!(await passwordResets.complete(reset, await hashPassword(newPassword)))) badToken();
      // Whoever held a session may have been the reason for the reset: all of them end, sockets included.
      const revoked = await sessions.revokeWhere(user.id, {}, REVOKE_REASON.PASSWORD_RESET);
      await audit(prisma, { type: AUDIT.PASSWORD_RESET, userId: user.id, client: ctx.client, details: { revokedCount: revoked.length } });
      return true;
    },
  }),
);
