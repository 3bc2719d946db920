import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../server/http/proxy.js';
import { graphql } from './gql/index.js';
import { inviteAndAccept, createOrganization, gql, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const SESSIONS = graphql(`query Sessions { sessions { id isCurrent role location browser os device ipAddress userAgent organization { id } createdAt lastActiveAt expiresAt } }`);
const REVOKE = graphql(`mutation RevokeSession($id: ID!) { revokeSession(id: $id) { id revokedAt revokedReason } }`);

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('session list across organisations', () => {
  it('lists the sessions of both organisations, the current one first and marked, with role and device', async () => {
    const owner = await signUp(server, { organizationName: 'Org A' }, { 'user-agent': CHROME_MAC });
    const orgB = await createOrganization(server, owner, 'Org B');
    const inB = await signIn(server, owner, orgB, { 'user-agent': SAFARI_IPHONE });
    // a second user whose sessions must never appear
    await signUp(server);

    const { sessions } = await ok(server, SESSIONS, undefined, inB.auth);
    expect(sessions.map((s) => s.id).sort()).toEqual([owner.sessionId, inB.sessionId].sort());
    expect(sessions[0]).toMatchObject({ id: inB.sessionId, isCurrent: true, role: 'OWNER', device: 'mobile', organization: { id: orgB } });
    expect(sessions[0]!.browser).toMatch(/Safari/);
    expect(sessions[0]!.os).toMatch(/iOS/);
    expect(sessions[1]).toMatchObject({ id: owner.sessionId, isCurrent: false, organization: { id: owner.organizationId }, device: 'desktop', location: 'Local network' });
    expect(sessions[1]!.browser).toMatch(/^Chrome 131/);

    const fromA = await ok(server, SESSIONS, undefined, owner.auth);
    expect(fromA.sessions[0]).toMatchObject({ id: owner.sessionId, isCurrent: true });
    expect(fromA.sessions.filter((s) => s.isCurrent)).toHaveLength(1);
  });

  it('shows the role of each session in its own organisation', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
    const memberInA = await signIn(server, member, owner.organizationId);
    const { sessions } = await ok(server, SESSIONS, undefined, memberInA.auth);
    const byId = new Map(sessions.map((s) => [s.id, s]));
    expect(byId.get(memberInA.sessionId)?.role).toBe('MEMBER');
    expect(byId.get(member.sessionId)?.role).toBe('OWNER');
    const me = await ok(server, graphql(`query MyRole { me { currentOrganizationRole } }`), undefined, memberInA.auth);
    expect(me.me.currentOrganizationRole).toBe('MEMBER');
  });

  it('orders the other sessions by last activity, newest first', async () => {
    const u = await signUp(server);
    const s2 = await signIn(server, u);
    const s3 = await signIn(server, u);
    server.clock.advance(2 * 60_000);
    await ok(server, WHO_AM_I, undefined, s2.auth); // s2 becomes the most recently active
    const { sessions } = await ok(server, SESSIONS, undefined, s3.auth);
    expect(sessions.map((s) => s.id)).toEqual([s3.sessionId, s2.sessionId, u.sessionId]);
  });

  it('locates a public address through a trusted proxy, and not without trust', async () => {
    // 127.0.0.1 and the 10.0.0.1 hop are proxies: the client is the address left of them.
    const trusting = await startServer({ trustProxy: parseTrustProxy('loopback, 10.0.0.0/8') });
    try {
      const u = await signUp(trusting, {}, { 'x-forwarded-for': '81.2.69.142, 10.0.0.1' });
      const { sessions } = await ok(trusting, SESSIONS, undefined, u.auth);
      expect(sessions[0]!.ipAddress).toBe('81.2.69.142');
      expect(sessions[0]!.location).toMatch(/United Kingdom/);
    } finally {
      await trusting.stop();
    }
    const spoofed = await signUp(server, {}, { 'x-forwarded-for': '81.2.69.142' });
    const { sessions } = await ok(server, SESSIONS, undefined, spoofed.auth);
    expect(sessions[0]!.ipAddress).toBe('127.0.0.1');
    expect(sessions[0]!.location).toBe('Local network');
  });
});

describe('revocation', () => {
  it('revokes another session: its very next request is 401, and the audit row names it', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    const res = await ok(server, REVOKE, { id: other.sessionId }, u.auth);
    expect(res.revokeSession).toMatchObject({ id: other.sessionId, revokedReason: 'REVOKED_BY_USER' });
    const next = await gql(server, WHO_AM_I, undefined, other.auth);
    expect(next.status).toBe(401);
    expect(next.code).toBe('UNAUTHENTICATED');
    const audit = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { userId: u.userId, type: 'SESSION_REVOKED' } });
    expect(audit.sessionId).toBe(u.sessionId);
    expect(audit.details).toMatchObject({ revokedSessionId: other.sessionId });
    const { sessions } = await ok(server, SESSIONS, undefined, u.auth);
    expect(sessions.map((s) => s.id)).toEqual([u.sessionId]);
  });

  it('refuses to revoke the current session (FORBIDDEN) and leaves it live', async () => {
    const u = await signUp(server);
    const res = await gql(server, REVOKE, { id: u.sessionId }, u.auth);
    expect(res.code).toBe('FORBIDDEN');
    expect(res.status).toBe(403);
    await ok(server, WHO_AM_I, undefined, u.auth);
  });

  it("answers another user's session, an unknown id, a malformed id and a revoked one with the same NOT_FOUND, changing nothing", async () => {
    const u = await signUp(server);
    const victim = await signUp(server);
    const mine = await signIn(server, u);
    await ok(server, REVOKE, { id: mine.sessionId }, u.auth);
    const before = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: victim.sessionId } });
    const answers = [];
    for (const id of [victim.sessionId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', mine.sessionId]) {
      const res = await gql(server, REVOKE, { id }, u.auth);
      answers.push({ status: res.status, code: res.code, message: res.errors?.[0]?.message, data: res.data });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const after = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: victim.sessionId } });
    expect(after).toEqual(before);
    await ok(server, WHO_AM_I, undefined, victim.auth);
  });

  it('revokes every other session in every organisation, counts them, and keeps the current one', async () => {
    const u = await signUp(server);
    const orgB = await createOrganization(server, u);
    const others = [await signIn(server, u), await signIn(server, u, orgB), await signIn(server, u, orgB)];
    const current = await signIn(server, u);
    const bystander = await signUp(server);
    const res = await ok(server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), undefined, current.auth);
    expect(res.revokeOtherSessions.revokedCount).toBe(4); // the sign-up session and the three others
    for (const s of [u, ...others]) {
      expect((await gql(server, WHO_AM_I, undefined, s.auth)).status).toBe(401);
    }
    await ok(server, WHO_AM_I, undefined, current.auth);
    await ok(server, WHO_AM_I, undefined, bystander.auth);
    const again = await ok(server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), undefined, current.auth);
    expect(again.revokeOtherSessions.revokedCount).toBe(0);
    const audit = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { userId: u.userId, type: 'OTHER_SESSIONS_REVOKED' }, orderBy: { createdAt: 'asc' } });
    expect(audit.details).toEqual({ count: 4 });
  });
});

describe('organisation switch', () => {
  it('revokes the old session and issues one bound to the target organisation', async () => {
    const u = await signUp(server, { organizationName: 'Home' });
    const orgB = await createOrganization(server, u, 'Away');
    const res = await gql(
      server,
      graphql(`mutation SwitchOrganizationDetails($id: ID!) { switchOrganization(organizationId: $id) { token session { id isCurrent organization { id } } user { currentOrganizationRole currentOrganization { id } } } }`),
      { id: orgB },
      u.auth,
    );
    expect(res.errors).toBeUndefined();
    const payload = res.data!.switchOrganization;
    expect(payload.session.organization.id).toBe(orgB);
    expect(payload.session.isCurrent).toBe(true);
    expect(res.headers.get('set-cookie')).toContain(`sg_session=${payload.token}`);
    expect((await gql(server, WHO_AM_I, undefined, u.auth)).status).toBe(401);
    const me = await ok(server, graphql(`query MyOrganization { me { currentOrganization { id } } }`), undefined, { token: payload.token });
    expect(me.me.currentOrganization.id).toBe(orgB);
    const old = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(old.revokedReason).toBe('ORGANIZATION_SWITCHED');
    expect(await server.app.services.prisma.auditEvent.count({ where: { userId: u.userId, type: 'ORGANIZATION_SWITCHED' } })).toBe(1);
  });

  it("refuses an organisation the user does not belong to, and keeps the session", async () => {
    const u = await signUp(server);
    const stranger = await signUp(server);
    const res = await gql(server, graphql(`mutation SwitchOrganization($id: ID!) { switchOrganization(organizationId: $id) { token } }`), { id: stranger.organizationId }, u.auth);
    expect(res.code).toBe('FORBIDDEN');
    await ok(server, WHO_AM_I, undefined, u.auth);
  });
});
