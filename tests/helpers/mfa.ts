// For the MFA tests: codes computed from the secret the API returned, at the server's clock, and
// a user with TOTP on. The server's key is in memory on PGlite; on PostgreSQL a test passes one.
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { Config } from '../../server/process/config.js';
import { graphql } from '../gql/index.js';
import type { Auth, TestUser } from './graphql.js';
import { gql, ok, signUp } from './graphql.js';
import type { TestServer } from './server.js';
import { onPostgres } from './server.js';

/** Server overrides: with DATABASE_URL enrolment needs MFA_ENCRYPTION_KEY. */
export function mfaConfig(extra: Partial<Config> = {}): Partial<Config> {
  return { ...(onPostgres ? { mfaEncryptionKey: randomBytes(32).toString('base64') } : {}), ...extra };
}

/** The code of `secret` at the server's time, `steps` 30-s steps from now (negative: past). */
export function codeAt(server: TestServer, secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(server.clock.now().getTime() / 1000) + steps * 30 });
}

/** Moves the server's clock to the next 30-s step, then gives that step's code (each step is usable once). */
export async function nextCode(server: TestServer, secret: string): Promise<string> {
  server.clock.advance(30_000);
  return codeAt(server, secret);
}

export interface MfaUser extends TestUser {
  secret: string;
  recoveryCodes: string[];
}

export const START = graphql(`mutation StartTotpEnrollment($p: String!) { startTotpEnrollment(password: $p) { secret otpauthUri } }`);
export const CONFIRM = graphql(`mutation ConfirmTotpEnrollment($c: String!, $r: Boolean) { confirmTotpEnrollment(code: $c, revokeOtherSessions: $r) { recoveryCodes revokedCount } }`);
export const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);
export const COMPLETE = graphql(`mutation CompleteSignInSession($input: CompleteSignInInput!) { completeSignIn(input: $input) { token user { id } session { id organization { id } } } }`);

export async function enableTotp(server: TestServer, user: TestUser, auth: Auth = user.auth): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { startTotpEnrollment } = await ok(server, START, { p: user.password }, auth);
  const code = await codeAt(server, startTotpEnrollment.secret);
  const { confirmTotpEnrollment } = await ok(server, CONFIRM, { c: code, r: false }, auth);
  return { secret: startTotpEnrollment.secret, recoveryCodes: confirmTotpEnrollment.recoveryCodes };
}

export async function mfaUser(server: TestServer, input: Parameters<typeof signUp>[1] = {}): Promise<MfaUser> {
  const user = await signUp(server, input);
  return { ...user, ...(await enableTotp(server, user)) };
}

/** signIn's first step: the challenge of its MFA_REQUIRED answer (throws on anything else). */
export async function challengeOf(server: TestServer, user: Pick<TestUser, 'email' | 'password'>, organizationId?: string, headers?: Record<string, string>): Promise<string> {
  const res = await gql(server, SIGN_IN, { input: { email: user.email, password: user.password, organizationId } }, { headers });
  const challenge = res.errors?.[0]?.extensions?.challenge;
  if (res.code !== 'MFA_REQUIRED' || typeof challenge !== 'string') throw new Error(`expected MFA_REQUIRED, got ${res.status} ${JSON.stringify(res.errors)}`);
  return challenge;
}

export function complete(server: TestServer, challenge: string, code: string, auth: Auth = {}) {
  return gql(server, COMPLETE, { input: { challenge, code } }, auth);
}
