// `reauthenticate`: the password again, in this session, so that it may end sessions and manage
// members for REAUTH_WINDOW_SECONDS more (auth/reauth.ts holds the rule).
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { verifyPassword } from '../auth/passwords.js';
import { badInput } from '../graphql/errors.js';
import { builder } from './builder.js';
import { limitAttempts } from './auth.js';
import { SessionType } from './session.js';
import { passwordLength } from './validate.js';

builder.mutationField('reauthenticate', (t) =>
  t.field({
    type: SessionType,
    description:
      "Proves the password again in this session: for the next REAUTH_WINDOW_SECONDS (default 300) it may revoke sessions and manage members, which otherwise answer REAUTHENTICATION_REQUIRED. A cookie session gets a new token (Set-Cookie) and its old one ends; a bearer client keeps its token (refreshSession gives a new one). A wrong password is BAD_USER_INPUT (field `password`) and counts with changePassword's wrong current passwords (RATE_LIMITED past them).",
    args: { password: t.arg.string({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      const auth = ctx.auth();
      const { prisma, sessions } = ctx.services;
      // changePassword's counter: a stolen session gets no more guesses here than there.
      const attempt = await limitAttempts(ctx, 'changePassword', auth.userId);
      const user = await prisma.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { passwordHash: true } });
      // Longer than any password we accept: refused without hashing it.
      const right = args.password.length > 0 && passwordLength(args.password) <= 256 && (await verifyPassword(user.passwordHash, args.password));
      const entry = { ...byCaller(auth, ctx.client) };
      if (!right) {
        await audit(prisma, { ...entry, type: AUDIT.REAUTHENTICATION_FAILED });
        badInput('password', 'The password is wrong.');
      }
      await attempt.succeeded();
      const session = await sessions.markAuthenticated(auth.sessionId);
      // A re-authentication gives a browser session a new token and ends the old one (ASVS 5.0
      // 7.2.4). An API client could not learn it from this answer: it calls refreshSession.
      if (ctx.fromCookie) {
        const token = await sessions.rotate(auth.sessionId, undefined, { endHeld: true });
        if (token) ctx.setSessionCookie(token, auth.expiresAt);
      }
      await audit(prisma, { ...entry, type: AUDIT.REAUTHENTICATED });
      return session;
    },
  }),
);
