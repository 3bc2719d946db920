// revokeMemberSession: an OWNER or ADMIN ends one session bound to their organisation (ASVS 5.0
// 7.4.5): its socket hears REVOKED (REVOKED_BY_ADMIN) and closes with 4403; the member's other
// sessions, and every session elsewhere, live on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, joinAs, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive, untilStreams } from './helpers/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const ONE_SESSION = graphql(`mutation RevokeMemberSession($i: RevokeMemberSessionInput!) { revokeMemberSession(input: $i) { revokedCount } }`);
const end = (by: TestUser, organizationId: string, sessionId: string) => gql(server, ONE_SESSION, { i: { organizationId, sessionId } }, by.auth);

async function team() {
  const owner = await signUp(server, { organizationName: 'Org X' });
  const admin = await joinAs(server, owner, 'ADMIN');
  const member = await joinAs(server, owner, 'MEMBER', { organizationName: 'Org Y' });
  return { orgId: owner.organizationId, owner, admin: admin.inOrg, member: member.inOrg, memberHome: member.home };
}

const row = (id: string) => server.app.services.prisma.session.findUniqueOrThrow({ where: { id }, select: { revokedAt: true, revokedReason: true } });

describe('revokeMemberSession', () => {
  it('ends that one session: its socket hears REVOKED_BY_ADMIN, then 4403; the member’s other session lives', async () => {
    const t = await team();
    const second = await signIn(server, t.member, t.orgId);
    const before = server.app.registry.stats().streams;
    const socket = await openLive(server.wsUrl, { token: t.member.token });
    socket.subscribe();
    await untilStreams(() => server.app.registry.stats(), before + 1);
    expect((await end(t.admin, t.orgId, t.member.sessionId)).data?.revokeMemberSession.revokedCount).toBe(1);
    expect((await socket.closed).code).toBe(4403);
    expect(socket.events).toEqual([expect.objectContaining({ type: 'REVOKED', reason: 'REVOKED_BY_ADMIN', session: expect.objectContaining({ id: t.member.sessionId, isCurrent: true }) })]);
    expect(await row(t.member.sessionId)).toMatchObject({ revokedReason: 'REVOKED_BY_ADMIN' });
    await ok(server, WHO_AM_I, undefined, second.auth);
    await ok(server, WHO_AM_I, undefined, t.memberHome.auth);
    const audit = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { type: 'MEMBER_SESSION_REVOKED', organizationId: t.orgId } });
    expect(audit).toMatchObject({ userId: t.admin.userId, details: { memberUserId: t.member.userId, revokedSessionId: t.member.sessionId } });
  });

  it("an ADMIN cannot end an OWNER's session (FORBIDDEN); an OWNER can end an ADMIN's", async () => {
    const t = await team();
    const ownerOther = await signIn(server, t.owner, t.orgId);
    expect((await end(t.admin, t.orgId, ownerOther.sessionId)).code).toBe('FORBIDDEN');
    expect((await row(ownerOther.sessionId)).revokedAt).toBeNull();
    expect((await end(t.owner, t.orgId, t.admin.sessionId)).data?.revokeMemberSession.revokedCount).toBe(1);
  });

  it('refuses a MEMBER (FORBIDDEN) and the caller’s own current session (FORBIDDEN)', async () => {
    const t = await team();
    const adminOther = await signIn(server, t.admin, t.orgId);
    expect((await end(t.member, t.orgId, adminOther.sessionId)).code).toBe('FORBIDDEN');
    expect((await end(t.owner, t.orgId, t.owner.sessionId)).code).toBe('FORBIDDEN');
    expect((await row(adminOther.sessionId)).revokedAt).toBeNull();
    expect((await row(t.owner.sessionId)).revokedAt).toBeNull();
  });

  it("answers NOT_FOUND for another organisation's session, an ended one, an unknown id or a foreign organisation, changing nothing", async () => {
    const t = await team();
    const outsider = await signUp(server);
    const ended = await signIn(server, t.member, t.orgId);
    await end(t.owner, t.orgId, ended.sessionId);
    for (const [by, org, id] of [
      [t.owner, t.orgId, t.memberHome.sessionId],
      [t.owner, t.orgId, outsider.sessionId],
      [t.owner, t.orgId, ended.sessionId],
      [t.owner, t.orgId, '00000000-0000-4000-8000-000000000000'],
      [t.owner, t.orgId, 'not-a-uuid'],
      [outsider, t.orgId, t.member.sessionId],
      [t.owner, t.memberHome.organizationId, t.memberHome.sessionId],
    ] as const) {
      const res = await end(by, org, id);
      expect(res.code).toBe('NOT_FOUND');
      expect(res.status).toBe(404);
    }
    for (const id of [t.memberHome.sessionId, outsider.sessionId, t.member.sessionId]) expect((await row(id)).revokedAt).toBeNull();
  });
});
