// MFA_REQUIRED (ASVS 5.0 6.3.3 for a whole deployment): no account holds a session without TOTP —
// a sign-up enrols before its first session, and TOTP cannot be turned off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, ok, uniqueEmail, WHO_AM_I } from './helpers/graphql.js';
import { challengeOf, codeAt, complete, mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const SIGN_UP = graphql(`mutation SignUpToken($i: SignUpInput!) { signUp(input: $i) { token } }`);
const START_WITH = graphql(`mutation StartTotpEnrollmentWithChallenge($c: String!) { startTotpEnrollment(challenge: $c) { secret } }`);
const CONFIRM_WITH = graphql(`mutation ConfirmEnrollmentWithChallenge($c: String!, $code: String!) { confirmTotpEnrollment(challenge: $c, code: $code) { recoveryCodes token session { id } } }`);
const DISABLE = graphql(`mutation DisableTotp($p: String!, $c: String!) { disableTotp(password: $p, code: $c) }`);

let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig({ mfaRequired: true }));
});
afterAll(() => server?.stop());

describe('MFA_REQUIRED', () => {
  it('a sign-up gets no session until it enrols; then sign-in asks for the code; TOTP cannot be turned off', async () => {
    const email = uniqueEmail('required');
    const password = 'required second factor passphrase';
    const res = await gql(server, SIGN_UP, { i: { email, password, name: 'R', organizationName: 'Required' } });
    expect(res.code).toBe('MFA_ENROLLMENT_REQUIRED');
    expect(res.status).toBe(403);
    const user = await server.app.services.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await server.app.services.prisma.session.count({ where: { userId: user.id } })).toBe(0);

    const challenge = res.errors![0]!.extensions!.challenge as string;
    const { startTotpEnrollment } = await ok(server, START_WITH, { c: challenge });
    const confirmed = await ok(server, CONFIRM_WITH, { c: challenge, code: await codeAt(server, startTotpEnrollment.secret) });
    const auth = { token: confirmed.confirmTotpEnrollment.token! };
    await ok(server, WHO_AM_I, undefined, auth);

    const signedIn = await complete(server, await challengeOf(server, { email, password }), await nextCode(server, startTotpEnrollment.secret));
    expect(signedIn.code).toBeUndefined();
    const off = await gql(server, DISABLE, { p: password, c: await nextCode(server, startTotpEnrollment.secret) }, auth);
    expect(off.code).toBe('FORBIDDEN');
    expect((await server.app.services.prisma.user.findUniqueOrThrow({ where: { email } })).totpEnabledAt).not.toBeNull();
  });

  it('MFA_TOTP_TOLERANCE_SECONDS=0: a code lives its own 30-s step only (ASVS 6.5.5); the default also takes the step before', async () => {
    const strict = await startServer(mfaConfig({ totpToleranceSeconds: 0 }));
    const lenient = await startServer(mfaConfig());
    try {
      for (const [target, previousAccepted] of [[strict, false], [lenient, true]] as const) {
        const u = await mfaUser(target);
        // One second into the step after next (the enrolment spent the current one), so that "now"
        // stays in it while the test runs.
        target.clock.advance(60_000 - (target.clock.now().getTime() % 30_000) + 1000);
        const challenge = await challengeOf(target, u);
        const previous = await complete(target, challenge, await codeAt(target, u.secret, -1));
        expect(previous.code === undefined, 'previous step').toBe(previousAccepted);
        if (!previousAccepted) expect((await complete(target, challenge, await codeAt(target, u.secret))).code).toBeUndefined();
      }
    } finally {
      await strict.stop();
      await lenient.stop();
    }
  });
});
