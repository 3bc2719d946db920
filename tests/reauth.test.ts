// Re-authentication (ASVS 5.0 7.5.2): ending sessions and managing members need a session that
// proved its password within REAUTH_WINDOW_SECONDS. Past it: REAUTHENTICATION_REQUIRED, and
// nothing changes; `reauthenticate` opens the window again; wrong passwords are limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/process/config.js';
import { graphql } from './gql/index.js';
import type { Auth, TestUser } from './helpers/graphql.js';
import { cookieOf, gql, joinAs, newTokenIn, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import { limited } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const REAUTH = graphql(`mutation Reauthenticate($p: String!) { reauthenticate(password: $p) { id isCurrent } }`);
const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);
const PAST_WINDOW = 301_000;

async function team() {
  const owner = await signUp(server, { organizationName: 'Reauth Co' });
  const member = await joinAs(server, owner, 'MEMBER');
  return { owner, member: member.inOrg, newcomer: await signUp(server), orgId: owner.organizationId };
}
type Team = Awaited<ReturnType<typeof team>>;

/** Every guarded mutation, aimed at a team's objects, sent with the given session. */
function guarded(t: Team, ownOther: TestUser) {
  const m = { organizationId: t.orgId, userId: t.member.userId };
  return {
    revokeSession: (auth: Auth) => gql(server, REVOKE, { id: ownOther.sessionId }, auth),
    revokeOtherSessions: (auth: Auth) => gql(server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), {}, auth),
    inviteMember: (auth: Auth) => gql(server, graphql(`mutation ReauthInviteMember($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`), { i: { organizationId: t.orgId, email: t.newcomer.email, role: 'MEMBER' } }, auth),
    updateMemberRole: (auth: Auth) => gql(server, graphql(`mutation ReauthUpdateMemberRole($i: UpdateMemberRoleInput!) { updateMemberRole(input: $i) { id } }`), { i: { ...m, role: 'ADMIN' } }, auth),
    removeMember: (auth: Auth) => gql(server, graphql(`mutation ReauthRemoveMember($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`), { i: m }, auth),
    revokeMemberSessions: (auth: Auth) => gql(server, graphql(`mutation RevokeMemberSessions($i: RevokeMemberSessionsInput!) { revokeMemberSessions(input: $i) { revokedCount } }`), { i: m }, auth),
    revokeOrganizationSessions: (auth: Auth) => gql(server, graphql(`mutation RevokeOrganizationSessions($o: ID!) { revokeOrganizationSessions(organizationId: $o) { revokedCount } }`), { o: t.orgId }, auth),
  };
}

async function snapshot(orgId: string, userIds: string[]) {
  const { prisma } = server.app.services;
  return {
    sessions: await prisma.session.findMany({ where: { userId: { in: userIds } }, orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
    memberships: await prisma.membership.findMany({ where: { organizationId: orgId }, orderBy: { id: 'asc' } }),
  };
}

describe('the re-authentication window', () => {
  it('a fresh sign-up or sign-in needs no re-authentication', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    await ok(server, REVOKE, { id: other.sessionId }, u.auth);
    server.clock.advance(PAST_WINDOW);
    const again = await signIn(server, u);
    // From the injected clock (the sign-in's own time), not the column's default.
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: again.sessionId } });
    expect(row.authenticatedAt).toEqual(row.createdAt);
    expect(row.authenticatedAt.getTime()).toBeGreaterThan(Date.now() + PAST_WINDOW - 60_000);
    const third = await signIn(server, u);
    await ok(server, REVOKE, { id: third.sessionId }, again.auth);
  });

  it('past the window every guarded mutation answers REAUTHENTICATION_REQUIRED (403) and changes nothing', async () => {
    const t = await team();
    const ownOther = await signIn(server, t.owner);
    server.clock.advance(PAST_WINDOW);
    const before = await snapshot(t.orgId, [t.owner.userId, t.member.userId, t.newcomer.userId]);
    for (const [name, send] of Object.entries(guarded(t, ownOther))) {
      const res = await send(t.owner.auth);
      expect(res.code, name).toBe('REAUTHENTICATION_REQUIRED');
      expect(res.status, name).toBe(403);
    }
    expect(await snapshot(t.orgId, [t.owner.userId, t.member.userId, t.newcomer.userId])).toEqual(before);
    // Reading and signing out need nothing.
    await ok(server, graphql(`query MeAndSessions { me { id } sessions { id } }`), undefined, t.owner.auth);
    await ok(server, graphql(`mutation SignOut { signOut }`), undefined, ownOther.auth);
  });

  it('after reauthenticate each of them works again, until the window passes once more', async () => {
    const t = await team();
    const ownOther = await signIn(server, t.owner);
    server.clock.advance(PAST_WINDOW);
    // The session check is cached (10 s): the reauthentication must reach the next request anyway.
    await ok(server, WHO_AM_I, undefined, t.owner.auth);
    const { reauthenticate } = await ok(server, REAUTH, { p: t.owner.password }, t.owner.auth);
    expect(reauthenticate).toEqual({ id: t.owner.sessionId, isCurrent: true });
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: t.owner.sessionId } });
    expect(row.authenticatedAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(PAST_WINDOW);
    expect(row.authenticatedAt.getTime()).toBeLessThanOrEqual(server.clock.now().getTime());
    const ops = guarded(t, ownOther);
    for (const name of ['revokeSession', 'inviteMember', 'updateMemberRole'] as const) {
      const res = await ops[name](t.owner.auth);
      expect(res.errors, name).toBeUndefined();
    }
    server.clock.advance(299_000); // still inside
    const revoked = await ops.revokeMemberSessions(t.owner.auth);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data?.revokeMemberSessions.revokedCount).toBe(1);
    server.clock.advance(2_000);
    expect((await ops.removeMember(t.owner.auth)).code).toBe('REAUTHENTICATION_REQUIRED');
    expect(await server.app.services.prisma.auditEvent.count({ where: { sessionId: t.owner.sessionId, type: 'REAUTHENTICATED' } })).toBe(1);
  });

  it('is per session: re-authenticating one session leaves the others outside the window', async () => {
    const u = await signUp(server);
    const laptop = await signIn(server, u);
    const phone = await signIn(server, u);
    server.clock.advance(PAST_WINDOW);
    await ok(server, REAUTH, { p: u.password }, laptop.auth);
    expect((await gql(server, REVOKE, { id: u.sessionId }, phone.auth)).code).toBe('REAUTHENTICATION_REQUIRED');
    await ok(server, REVOKE, { id: phone.sessionId }, laptop.auth);
  });

  it('a password change proves the password too: that session is fresh again', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    server.clock.advance(PAST_WINDOW);
    const changed = await ok(server, graphql(`mutation ReauthChangePasswordToken($i: ChangePasswordInput!) { changePassword(input: $i) { token } }`), { i: { currentPassword: u.password, newPassword: 'a changed long passphrase' } }, u.auth);
    const fresh = await signIn(server, { email: u.email, password: 'a changed long passphrase' });
    await ok(server, REVOKE, { id: fresh.sessionId }, { token: changed.changePassword.token });
    expect((await gql(server, REVOKE, { id: u.sessionId }, other.auth)).status).toBe(401);
  });

  it('gives a cookie session a new token and ends the old one at once (ASVS 7.2.4); a bearer client keeps its token', async () => {
    const u = await signUp(server);
    const res = await gql(server, REAUTH, { p: u.password }, cookieOf(u.token));
    expect(res.code).toBeUndefined();
    const fresh = newTokenIn(res.headers);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(u.token);
    const late = await gql(server, WHO_AM_I, undefined, cookieOf(u.token));
    expect(late.status).toBe(401);
    // A late request of the old cookie must not clear the new one the browser holds.
    expect(late.headers.get('set-cookie')).toBeNull();
    await ok(server, WHO_AM_I, undefined, cookieOf(fresh!));
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.revokedAt).toBeNull();

    const api = await signIn(server, u);
    const byBearer = await gql(server, REAUTH, { p: u.password }, api.auth);
    expect(byBearer.headers.get('set-cookie')).toBeNull();
    await ok(server, WHO_AM_I, undefined, api.auth);
  });

  it('switching organisation is no proof of the password: the new session is as old as the one it replaced', async () => {
    const u = await signUp(server);
    server.clock.advance(PAST_WINDOW);
    const { createOrganization } = await ok(server, graphql(`mutation ReauthCreateOrganization($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }`), { i: { name: 'Escape hatch' } }, u.auth);
    const switched = await ok(server, graphql(`mutation SwitchTo($o: ID!) { switchOrganization(organizationId: $o) { token } }`), { o: createOrganization.id }, u.auth);
    const res = await gql(server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), undefined, { token: switched.switchOrganization.token });
    expect(res.code).toBe('REAUTHENTICATION_REQUIRED');
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    const res = await gql(server, REAUTH, { p: 'whatever it is' });
    expect(res.code).toBe('UNAUTHENTICATED');
  });

  it('reads REAUTH_WINDOW_SECONDS (default 300)', () => {
    expect(loadConfig({}).reauthWindowMs).toBe(300_000);
    expect(loadConfig({ REAUTH_WINDOW_SECONDS: '60' }).reauthWindowMs).toBe(60_000);
    expect(() => loadConfig({ REAUTH_WINDOW_SECONDS: 'soon' })).toThrow(/REAUTH_WINDOW_SECONDS/);
  });
});

describe('wrong passwords', () => {
  let tight: TestServer;
  beforeAll(async () => {
    tight = await startServer(limited({ passwordChangeFailures: 3 }));
  });
  afterAll(() => tight?.stop());

  it('answer BAD_USER_INPUT (field password), change nothing, and count with changePassword: RATE_LIMITED after 3', async () => {
    const u = await signUp(tight);
    tight.clock.advance(PAST_WINDOW);
    const stampBefore = (await tight.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } })).authenticatedAt;
    for (const p of ['wrong password 1', '']) {
      const res = await gql(tight, REAUTH, { p }, u.auth);
      expect(res.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('password');
    }
    // The third wrong one through changePassword: one counter per user.
    const change = await gql(tight, graphql(`mutation ReauthChangePassword($i: ChangePasswordInput!) { changePassword(input: $i) { revokedCount } }`), { i: { currentPassword: 'wrong password 3', newPassword: 'another long passphrase' } }, u.auth);
    expect(change.code).toBe('BAD_USER_INPUT');
    const limitedRes = await gql(tight, REAUTH, { p: u.password }, u.auth);
    expect(limitedRes.code).toBe('RATE_LIMITED');
    expect(limitedRes.status).toBe(429);
    // A new session gives no new guesses.
    const other = await signIn(tight, u);
    expect((await gql(tight, REAUTH, { p: 'wrong password 4' }, other.auth)).code).toBe('RATE_LIMITED');
    const row = await tight.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.authenticatedAt).toEqual(stampBefore);
    expect(await tight.app.services.prisma.auditEvent.count({ where: { userId: u.userId, type: 'REAUTHENTICATION_FAILED' } })).toBe(2);
  });

  it('a right password clears the count', async () => {
    const u = await signUp(tight);
    for (const p of ['wrong 1 wrong 1', 'wrong 2 wrong 2']) expect((await gql(tight, REAUTH, { p }, u.auth)).code).toBe('BAD_USER_INPUT');
    await ok(tight, REAUTH, { p: u.password }, u.auth);
    for (const p of ['wrong 3 wrong 3', 'wrong 4 wrong 4']) expect((await gql(tight, REAUTH, { p }, u.auth)).code).toBe('BAD_USER_INPUT');
    await ok(tight, REAUTH, { p: u.password }, u.auth);
  });
});
