import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { gql, invalid, ok, PASSWORD, signIn, signUp, uniqueEmail, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const ME = graphql(`query Me { me { id email name currentOrganizationRole currentOrganization { id name slug } memberships { role organization { id } } } }`);

describe('sign-up and sign-in', () => {
  it('signs up: user, organisation with the user as OWNER, a session and an HttpOnly cookie', async () => {
    const email = uniqueEmail('Mixed.Case');
    const res = await gql(
      server,
      graphql(`mutation SignUpDetails($input: SignUpInput!) { signUp(input: $input) { token user { email } session { id isCurrent role } } }`),
      { input: { email, password: PASSWORD, name: 'Ada', organizationName: 'Analytical Engines' } },
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const payload = res.data!.signUp;
    expect(payload.user.email).toBe(email.toLowerCase());
    expect(payload.session.isCurrent).toBe(true);
    expect(payload.session.role).toBe('OWNER');
    expect(payload.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`sg_session=${payload.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const stored = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: payload.session.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(payload.token);
    const user = await server.app.services.prisma.user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('me answers with the current organisation and role, by bearer token and by cookie', async () => {
    const u = await signUp(server, { organizationName: 'Role Org' });
    const byBearer = await ok(server, ME, undefined, u.auth);
    expect(byBearer.me.email).toBe(u.email);
    expect(byBearer.me.currentOrganizationRole).toBe('OWNER');
    expect(byBearer.me.currentOrganization).toMatchObject({ id: u.organizationId, name: 'Role Org' });
    const byCookie = await ok(server, ME, undefined, { cookie: `sg_session=${u.token}` });
    expect(byCookie.me.email).toBe(u.email);
  });

  it('signs in with any letter case of the e-mail, to the first organisation by default', async () => {
    const u = await signUp(server);
    const again = await signIn(server, { email: u.email.toUpperCase(), password: u.password });
    expect(again.userId).toBe(u.userId);
    expect(again.organizationId).toBe(u.organizationId);
    expect(again.token).not.toBe(u.token);
  });

  it('refuses a duplicate e-mail on sign-up, whatever its case, and creates nothing', async () => {
    const u = await signUp(server);
    const res = await gql(server, graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`), {
      input: { email: u.email.toUpperCase(), password: PASSWORD, name: 'Dup', organizationName: 'Dup Org' },
    });
    expect(res.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.extensions?.field).toBe('email');
    expect(res.status).toBe(409);
    expect(await server.app.services.prisma.user.count({ where: { email: u.email } })).toBe(1);
  });

  it('answers a wrong password and an unknown e-mail alike, and audits both', async () => {
    const u = await signUp(server);
    const wrongPassword = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: u.email, password: 'wrong password!' } });
    const unknownEmail = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: uniqueEmail('nobody'), password: 'wrong password!' } });
    for (const res of [wrongPassword, unknownEmail]) {
      expect(res.status).toBe(401);
      expect(res.code).toBe('UNAUTHENTICATED');
    }
    expect(wrongPassword.errors?.[0]?.message).toBe(unknownEmail.errors?.[0]?.message);
    const failures = await server.app.services.prisma.auditEvent.findMany({ where: { userId: u.userId, type: 'SIGN_IN_FAILED' } });
    expect(failures).toHaveLength(1);
  });

  it('takes about the same time for a wrong e-mail and a wrong password (both run argon2)', async () => {
    const u = await signUp(server);
    const time = async (email: string) => {
      const started = performance.now();
      await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email, password: 'wrong password!' } });
      return performance.now() - started;
    };
    await time(uniqueEmail()); // warm-up of the dummy hash
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(u.email));
      unknown.push(await time(uniqueEmail()));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Without the dummy verification an unknown e-mail answers in ~2 ms against ~50 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it('signs in to a named organisation, and refuses one the user is not a member of', async () => {
    const owner = await signUp(server);
    const other = await signUp(server);
    const res = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), {
      input: { email: owner.email, password: owner.password, organizationId: other.organizationId },
    });
    expect(res.code).toBe('FORBIDDEN');
    expect(res.status).toBe(403);
    const garbage = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), {
      input: { email: owner.email, password: owner.password, organizationId: 'not-a-uuid' },
    });
    expect(garbage.code).toBe('FORBIDDEN');
  });

  it('signs out: the session is revoked, the cookie cleared, the token refused', async () => {
    const u = await signUp(server);
    const res = await gql(server, graphql(`mutation SignOut { signOut }`), undefined, u.auth);
    expect(res.data?.signOut).toBe(true);
    expect(res.headers.get('set-cookie')).toMatch(/sg_session=;.*Max-Age=0/);
    const after = await gql(server, ME, undefined, u.auth);
    expect(after.status).toBe(401);
    expect(after.code).toBe('UNAUTHENTICATED');
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.revokedReason).toBe('SIGNED_OUT');
    expect(await server.app.services.prisma.auditEvent.count({ where: { sessionId: u.sessionId, type: 'SIGN_OUT' } })).toBe(1);
  });

  it('judges a request with both a bearer token and a cookie by the bearer token alone', async () => {
    const a = await signUp(server);
    const b = await signUp(server);
    const data = await ok(server, WHO_AM_I, undefined, { token: b.token, cookie: `sg_session=${a.token}` });
    expect(data.me.id).toBe(b.userId);
    const badBearer = await gql(server, WHO_AM_I, undefined, { token: 'x'.repeat(43), cookie: `sg_session=${a.token}` });
    expect(badBearer.status).toBe(401);
  });
});

describe('input validation', () => {
  const SIGN_UP = graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`);
  const cases: [string, Record<string, string>, string][] = [
    ['an e-mail without @', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['a 257-character password', { password: 'p'.repeat(257) }, 'password'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a 101-character name', { name: 'n'.repeat(101) }, 'name'],
    ['an empty organisation name', { organizationName: '' }, 'organizationName'],
  ];
  it.each(cases)('refuses %s with BAD_USER_INPUT naming the field', async (_label, patch, field) => {
    const email = uniqueEmail();
    const res = await gql(server, SIGN_UP, { input: { email, password: PASSWORD, name: 'N', organizationName: 'O', ...patch } });
    expect(res.status).toBe(400);
    expect(res.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe(field);
    expect(await server.app.services.prisma.user.count({ where: { email } })).toBe(0);
  });

  it('accepts a 256-character password', async () => {
    // Strong as well as long: a run of one letter would be refused as guessable.
    await signUp(server, { password: `${PASSWORD} `.repeat(10).slice(0, 256) });
  });

  it('refuses an unknown enum value with BAD_USER_INPUT naming the field', async () => {
    const u = await signUp(server);
    const res = await gql(server, graphql(`mutation InviteBadRole($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`), {
      input: { organizationId: u.organizationId, email: u.email, role: invalid<Role>('SUPERUSER') },
    }, u.auth);
    expect(res.status).toBe(400);
    expect(res.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('input.role');
  });
});
