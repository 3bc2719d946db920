// Administrators end members' sessions (ASVS 5.0 7.4.5): one member's sessions in this
// organisation (OWNER or ADMIN; an ADMIN not an OWNER's), or everyone's but the caller's (OWNER).
// Their sockets hear their own REVOKED (REVOKED_BY_ADMIN) and are closed with 4403; sessions in
// other organisations are untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { inviteAndAccept, createOrganization, gql, joinAs, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import type { LiveSocket } from './helpers/ws.js';
import { openLive, untilStreams } from './helpers/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const MEMBER_SESSIONS = graphql(`mutation RevokeMemberSessions($i: RevokeMemberSessionsInput!) { revokeMemberSessions(input: $i) { revokedCount } }`);
const ORG_SESSIONS = graphql(`mutation RevokeOrganizationSessions($o: ID!) { revokeOrganizationSessions(organizationId: $o) { revokedCount } }`);

/** Org X: its owner, and an ADMIN and a MEMBER signed in there; `memberHome`: the member's session in their own organisation (Y). */
async function team() {
  const owner = await signUp(server, { organizationName: 'Org X' });
  const admin = await joinAs(server, owner, 'ADMIN');
  const member = await joinAs(server, owner, 'MEMBER', { organizationName: 'Org Y' });
  return { orgId: owner.organizationId, owner, admin: admin.inOrg, member: member.inOrg, memberHome: member.home };
}
type Team = Awaited<ReturnType<typeof team>>;

const revokeMember = (by: TestUser, organizationId: string, userId: string) => gql(server, MEMBER_SESSIONS, { i: { organizationId, userId } }, by.auth);

async function sessionRows(...users: TestUser[]) {
  return server.app.services.prisma.session.findMany({ where: { userId: { in: users.map((u) => u.userId) } }, orderBy: { id: 'asc' }, select: { id: true, organizationId: true, revokedAt: true, revokedReason: true } });
}

async function live(...users: TestUser[]): Promise<LiveSocket[]> {
  const before = server.app.registry.stats().streams;
  const sockets = await Promise.all(users.map((u) => openLive(server.wsUrl, { token: u.token })));
  sockets.forEach((s) => s.subscribe());
  await untilStreams(() => server.app.registry.stats(), before + users.length);
  return sockets;
}

describe('revokeMemberSessions', () => {
  it("revokes the member's sessions in this organisation only; their sockets there are kicked, elsewhere not", async () => {
    const t = await team();
    const memberAgain = await signIn(server, t.memberHome, t.orgId);
    const [xSocket, ySocket] = await live(t.member, t.memberHome);
    const res = await revokeMember(t.owner, t.orgId, t.memberHome.userId);
    expect(res.data?.revokeMemberSessions.revokedCount).toBe(2);

    expect((await xSocket!.closed).code).toBe(4403);
    expect(xSocket!.events).toEqual([expect.objectContaining({ type: 'REVOKED', reason: 'REVOKED_BY_ADMIN', session: expect.objectContaining({ id: t.member.sessionId, isCurrent: true }) })]);
    // The member's tab in Y stays, and its list loses the two sessions in X.
    await ySocket!.waitForEvent(() => ySocket!.events.filter((e) => e.type === 'REVOKED').length === 2);
    expect(ySocket!.ws.readyState).toBe(ySocket!.ws.OPEN);
    ySocket!.close();

    const rows = await sessionRows(t.memberHome);
    for (const row of rows) {
      if (row.organizationId === t.orgId) expect(row).toMatchObject({ revokedReason: 'REVOKED_BY_ADMIN', revokedAt: expect.any(Date) });
      else expect(row.revokedAt).toBeNull();
    }
    expect(rows.filter((r) => r.revokedAt).map((r) => r.id).sort()).toEqual([t.member.sessionId, memberAgain.sessionId].sort());
    expect((await gql(server, WHO_AM_I, undefined, t.member.auth)).status).toBe(401);
    await ok(server, WHO_AM_I, undefined, t.memberHome.auth);
    // Still a member: signing in again works.
    await signIn(server, t.memberHome, t.orgId);

    const event = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { organizationId: t.orgId, type: 'MEMBER_SESSIONS_REVOKED' } });
    expect(event).toMatchObject({ userId: t.owner.userId, sessionId: t.owner.sessionId, details: { memberUserId: t.memberHome.userId, memberRole: 'MEMBER', revokedCount: 2 } });
  });

  it('lets an ADMIN sign out a MEMBER or another ADMIN, never an OWNER', async () => {
    const t = await team();
    const before = await sessionRows(t.owner);
    const res = await revokeMember(t.admin, t.orgId, t.owner.userId);
    expect(res.code).toBe('FORBIDDEN');
    expect(res.status).toBe(403);
    expect(await sessionRows(t.owner)).toEqual(before);
    expect((await revokeMember(t.admin, t.orgId, t.memberHome.userId)).data?.revokeMemberSessions.revokedCount).toBe(1);
    // An owner may sign out another owner.
    const second = await signUp(server);
    await inviteAndAccept(server, t.owner, t.orgId, second, 'OWNER');
    const there = await signIn(server, second, t.orgId);
    expect((await revokeMember(t.owner, t.orgId, second.userId)).data?.revokeMemberSessions.revokedCount).toBe(1);
    expect((await gql(server, WHO_AM_I, undefined, there.auth)).status).toBe(401);
  });

  it('refuses a MEMBER (FORBIDDEN), and answers NOT_FOUND for a foreign organisation or a non-member, changing nothing', async () => {
    const t = await team();
    const outsider = await signUp(server);
    const all = [t.owner, t.admin, t.memberHome, outsider];
    const before = await sessionRows(...all);
    expect((await revokeMember(t.member, t.orgId, t.admin.userId)).code).toBe('FORBIDDEN');
    expect((await gql(server, ORG_SESSIONS, { o: t.orgId }, t.member.auth)).code).toBe('FORBIDDEN');
    for (const [by, org, target] of [
      [outsider, t.orgId, t.memberHome.userId],
      [outsider, t.orgId, outsider.userId],
      [t.owner, t.orgId, outsider.userId],
      [t.owner, t.memberHome.organizationId, t.memberHome.userId],
      [t.owner, t.orgId, 'not-a-uuid'],
      [t.owner, 'not-a-uuid', t.memberHome.userId],
    ] as const) {
      const res = await revokeMember(by, org, target);
      expect(res.code).toBe('NOT_FOUND');
      expect(res.status).toBe(404);
    }
    expect((await gql(server, ORG_SESSIONS, { o: t.orgId }, outsider.auth)).code).toBe('NOT_FOUND');
    expect((await gql(server, ORG_SESSIONS, { o: t.memberHome.organizationId }, t.owner.auth)).code).toBe('NOT_FOUND');
    expect(await sessionRows(...all)).toEqual(before);
  });

  it("keeps the caller's current session when they name themselves", async () => {
    const t = await team();
    const ownOther = await signIn(server, t.admin, t.orgId);
    expect((await revokeMember(t.admin, t.orgId, t.admin.userId)).data?.revokeMemberSessions.revokedCount).toBe(1);
    await ok(server, WHO_AM_I, undefined, t.admin.auth);
    expect((await gql(server, WHO_AM_I, undefined, ownOther.auth)).status).toBe(401);
  });
});

describe('revokeOrganizationSessions', () => {
  it("signs everyone out of the organisation but the caller's session; each socket hears its own REVOKED, then 4403", async () => {
    const t = await team();
    const ownerOther = await signIn(server, t.owner);
    const elsewhere = await createOrganization(server, t.owner, 'Org Z');
    const ownerInZ = await signIn(server, t.owner, elsewhere);
    const kicked = [ownerOther, t.admin, t.member];
    const sockets = await live(...kicked);
    const [ownerSocket, homeSocket] = await live(t.owner, t.memberHome);
    const bystanders = await sessionRows(t.memberHome, ownerInZ).then((rows) => rows.filter((r) => r.organizationId !== t.orgId));

    const res = await ok(server, ORG_SESSIONS, { o: t.orgId }, t.owner.auth);
    expect(res.revokeOrganizationSessions.revokedCount).toBe(3);

    const closes = await Promise.all(sockets.map((s) => s.closed));
    expect(closes.map((c) => c.code)).toEqual([4403, 4403, 4403]);
    sockets.forEach((s, i) => {
      expect(s.events).toHaveLength(1);
      expect(s.events[0]).toMatchObject({ type: 'REVOKED', reason: 'REVOKED_BY_ADMIN', session: { id: kicked[i]!.sessionId, isCurrent: true } });
    });
    // The owner's tab hears about its other session, and stays; so does the member's tab in Y.
    await ownerSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === ownerOther.sessionId);
    await homeSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === t.member.sessionId);
    for (const s of [ownerSocket!, homeSocket!]) {
      expect(s.ws.readyState).toBe(s.ws.OPEN);
      s.close();
    }

    const rows = await server.app.services.prisma.session.findMany({ where: { organizationId: t.orgId } });
    for (const row of rows) {
      if (row.id === t.owner.sessionId) expect(row.revokedAt).toBeNull();
      else expect(row).toMatchObject({ revokedReason: 'REVOKED_BY_ADMIN', revokedAt: expect.any(Date) });
    }
    expect(await sessionRows(t.memberHome, ownerInZ).then((r) => r.filter((x) => x.organizationId !== t.orgId))).toEqual(bystanders);
    expect(bystanders.every((r) => r.revokedAt === null)).toBe(true);
    await ok(server, WHO_AM_I, undefined, t.owner.auth);
    await ok(server, WHO_AM_I, undefined, ownerInZ.auth);

    const event = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { organizationId: t.orgId, type: 'ORGANIZATION_SESSIONS_REVOKED' } });
    expect(event).toMatchObject({ userId: t.owner.userId, sessionId: t.owner.sessionId, details: { revokedCount: 3, userCount: 3 } });
  });

  it('is for owners only: an ADMIN is FORBIDDEN and nothing changes', async () => {
    const t = await team();
    const before = await sessionRows(t.owner, t.admin, t.memberHome);
    const res = await gql(server, ORG_SESSIONS, { o: t.orgId }, t.admin.auth);
    expect(res.code).toBe('FORBIDDEN');
    expect(await sessionRows(t.owner, t.admin, t.memberHome)).toEqual(before);
  });
});
