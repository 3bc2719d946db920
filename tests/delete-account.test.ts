// deleteAccount (ASVS 5.0 7.4.2): the password again, no organisation orphaned, every session
// ended live (REVOKED, then 4403) before the user row goes; what others own stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { inviteAndAccept, createOrganization, gql, ok, signIn, signUp } from './helpers/graphql.js';
import { mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import { limited } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive, untilStreams } from './helpers/ws.js';

const DELETE = graphql(`mutation DeleteAccount($p: String!) { deleteAccount(password: $p) }`);
const ME = graphql(`query WhoAmI { me { id } }`);

let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig());
});
afterAll(() => server?.stop());

const db = () => server.app.services.prisma;

async function liveSessions(userId: string): Promise<number> {
  return db().session.count({ where: { userId, revokedAt: null } });
}

describe('refusals', () => {
  it('refuses a wrong password (field password) and deletes nothing', async () => {
    const u = await signUp(server);
    const res = await gql(server, DELETE, { p: 'not the password at all' }, u.auth);
    expect(res.status).toBe(400);
    expect(res.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('password');
    expect(await db().user.count({ where: { id: u.userId } })).toBe(1);
    expect(await db().organization.count({ where: { id: u.organizationId } })).toBe(1);
    expect(await liveSessions(u.userId)).toBe(1);
    await ok(server, ME, {}, u.auth);
  });

  it('needs a session', async () => {
    const res = await gql(server, DELETE, { p: 'whatever it is' });
    expect(res.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the only OWNER of an organisation with other members (CONFLICT), changing nothing', async () => {
    const owner = await signUp(server, { organizationName: 'Shared Works' });
    const member = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, member, 'ADMIN');
    const res = await gql(server, DELETE, { p: owner.password }, owner.auth);
    expect(res.status).toBe(409);
    expect(res.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.message).toMatch(/only owner of Shared Works.*owner/);
    expect(await db().user.count({ where: { id: owner.userId } })).toBe(1);
    expect(await db().membership.count({ where: { organizationId: owner.organizationId } })).toBe(2);
    expect(await liveSessions(owner.userId)).toBe(1);
    await ok(server, ME, {}, owner.auth);
    // Once another member is an owner too, the account can go; the organisation stays with them.
    await ok(server, graphql(`mutation SetMemberRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`), { input: { organizationId: owner.organizationId, userId: member.userId, role: 'OWNER' } }, owner.auth);
    expect(await ok(server, DELETE, { p: owner.password }, owner.auth)).toEqual({ deleteAccount: true });
    expect(await db().membership.findMany({ where: { organizationId: owner.organizationId }, select: { userId: true, role: true } })).toEqual([{ userId: member.userId, role: 'OWNER' }]);
  });

  it('counts wrong passwords with changePassword, per user (RATE_LIMITED)', async () => {
    const tight = await startServer(limited({ passwordChangeFailures: 2 }));
    try {
      const u = await signUp(tight);
      for (let i = 0; i < 2; i++) expect((await gql(tight, DELETE, { p: 'wrong password!' }, u.auth)).code).toBe('BAD_USER_INPUT');
      const other = await signIn(tight, u);
      const limitedRes = await gql(tight, DELETE, { p: u.password }, other.auth);
      expect(limitedRes.code).toBe('RATE_LIMITED');
      expect(limitedRes.status).toBe(429);
      expect(await tight.app.services.prisma.user.count({ where: { id: u.userId } })).toBe(1);
    } finally {
      await tight.stop();
    }
  });
});

describe('deleting', () => {
  let ada: TestUser;
  let bob: TestUser;
  let adaSessions: TestUser[];
  let sharedWithBob: string;
  let coOwned: string;

  beforeAll(async () => {
    ada = await signUp(server, { name: 'Ada', organizationName: 'Ada Alone' });
    bob = await signUp(server, { name: 'Bob', organizationName: 'Bob Works' });
    // Ada is a MEMBER of Bob's organisation, and co-owns another with Bob.
    sharedWithBob = bob.organizationId;
    await inviteAndAccept(server, bob, sharedWithBob, ada, 'MEMBER');
    coOwned = await createOrganization(server, ada, 'Co-owned');
    await inviteAndAccept(server, ada, coOwned, bob, 'OWNER');
    const soloSecond = await createOrganization(server, ada, 'Ada Second');
    adaSessions = [ada, await signIn(server, ada, sharedWithBob), await signIn(server, ada, soloSecond)];
  });

  it('signs out every session live, then removes the user and the organisations only they were in', async () => {
    const stats = () => server.app.registry.stats();
    const before = stats().streams;
    const sockets = await Promise.all(adaSessions.map((s) => openLive(server.wsUrl, { token: s.token })));
    sockets.forEach((s) => s.subscribe());
    const bobSocket = await openLive(server.wsUrl, { token: bob.token });
    bobSocket.subscribe();
    await untilStreams(stats, before + 4);
    const soloIds = (await db().membership.findMany({ where: { userId: ada.userId }, select: { organizationId: true } })).map((m) => m.organizationId).filter((id) => id !== sharedWithBob && id !== coOwned);
    expect(soloIds).toHaveLength(2);

    expect(await ok(server, DELETE, { p: ada.password }, adaSessions[1]!.auth)).toEqual({ deleteAccount: true });

    for (const [i, socket] of sockets.entries()) {
      const own = await socket.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === adaSessions[i]!.sessionId);
      expect(own.reason).toBe('ACCOUNT_DELETED');
      const closed = await socket.closed;
      expect(closed.code).toBe(4403);
      // The close reason is the RevokeReason itself.
      expect(closed.reason).toBe('ACCOUNT_DELETED');
      expect(closed.at).toBeGreaterThanOrEqual(own.at);
    }
    for (const s of adaSessions) {
      const res = await gql(server, ME, {}, s.auth);
      expect(res.status).toBe(401);
      expect(res.code).toBe('UNAUTHENTICATED');
    }
    expect(await db().user.count({ where: { id: ada.userId } })).toBe(0);
    expect(await db().session.count({ where: { userId: ada.userId } })).toBe(0);
    expect(await db().organization.count({ where: { id: { in: soloIds } } })).toBe(0);
    // What others are in stays, with them.
    expect(await db().organization.count({ where: { id: { in: [sharedWithBob, coOwned] } } })).toBe(2);
    expect(await db().membership.findMany({ where: { organizationId: { in: [sharedWithBob, coOwned] } }, select: { userId: true } })).toEqual([{ userId: bob.userId }, { userId: bob.userId }]);
    expect(bobSocket.ws.readyState).toBe(bobSocket.ws.OPEN);
    await ok(server, ME, {}, bob.auth);
    bobSocket.close();
  });

  it('keeps an audit row without the user relation (it would cascade), the id in its details', async () => {
    const rows = await db().auditEvent.findMany({ where: { type: 'ACCOUNT_DELETED' } });
    const row = rows.find((r) => (r.details as { userId?: string }).userId === ada.userId);
    expect(row).toBeDefined();
    expect(row!.userId).toBeNull();
    expect(row!.details).toMatchObject({ revokedCount: 3, leftOrganizationIds: expect.arrayContaining([sharedWithBob, coOwned]) });
    expect((row!.details as { deletedOrganizationIds: string[] }).deletedOrganizationIds).toHaveLength(2);
    expect(JSON.stringify(row)).not.toContain(ada.email);
  });

  it('lets the e-mail address sign up again, as a new account', async () => {
    const again = await signUp(server, { email: ada.email });
    expect(again.userId).not.toBe(ada.userId);
    await ok(server, ME, {}, again.auth);
  });
});

describe('with two-factor authentication on', () => {
  const DELETE_WITH_CODE = graphql(`mutation DeleteAccountWithCode($p: String!, $c: String) { deleteAccount(password: $p, code: $c) }`);

  it('takes both factors: the password alone or a wrong code deletes nothing, a current code deletes', async () => {
    const u = await mfaUser(server);
    const alone = await gql(server, DELETE_WITH_CODE, { p: u.password }, u.auth);
    expect(alone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const wrong = await gql(server, DELETE_WITH_CODE, { p: u.password, c: '000000' }, u.auth);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(await db().user.count({ where: { id: u.userId } })).toBe(1);
    await ok(server, DELETE_WITH_CODE, { p: u.password, c: await nextCode(server, u.secret) }, u.auth);
    expect(await db().user.count({ where: { id: u.userId } })).toBe(0);
  });
});
