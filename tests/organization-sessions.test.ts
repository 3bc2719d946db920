// Organization.sessions: an organisation's live sessions for its OWNERs and ADMINs, a Relay
// connection by keyset on (lastActiveAt, id); and Session.user. A MEMBER is refused (FORBIDDEN), a
// non-member (a former member reaching the organisation through their own audit trail) NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { documentText, gql, joinAs, ok, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { formerMember } from './helpers/organizations.js';
import { openLive, untilStreams } from './helpers/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const ORG_SESSIONS = graphql(`query OrgSessions($first: Int, $after: String, $userId: ID) { me { currentOrganization { id sessions(first: $first, after: $after, userId: $userId) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id lastActiveAt role organization { id } user { id name email } } } } } } }`);
const ORG_SESSIONS_BACK = graphql(`query OrgSessionsBack($last: Int, $before: String) { me { currentOrganization { sessions(last: $last, before: $before) {
  totalCount pageInfo { hasPreviousPage startCursor } edges { node { id isCurrent } } } } } }`);
const OWN_SESSIONS = graphql(`query OwnSessionsWithUser { sessions { id user { id name email } } }`);
const THROUGH_TRAIL = graphql(`query SessionsThroughOwnTrail { auditEvents(first: 50) { type organization { id sessions { totalCount edges { node { id } } } } } }`);

/** Org X: its owner, an ADMIN and a MEMBER signed in there; the member's own organisation is Y. */
async function team() {
  const owner = await signUp(server, { organizationName: 'Org X', name: 'Olive Owner' });
  const admin = await joinAs(server, owner, 'ADMIN', { name: 'Ada Admin' });
  const member = await joinAs(server, owner, 'MEMBER', { name: 'Mel Member', organizationName: 'Org Y' });
  return { orgId: owner.organizationId, owner, admin: admin.inOrg, member: member.inOrg, memberHome: member.home };
}

const list = (by: TestUser, vars: { first?: number; after?: string; userId?: string } = {}) => gql(server, ORG_SESSIONS, vars, by.auth);

/** The live sessions bound to the organisation as the database has them, in the list's order. */
async function expectedIds(organizationId: string, userId?: string): Promise<string[]> {
  const { prisma, clock, config } = server.app.services;
  const now = clock.now();
  const rows = await prisma.session.findMany({
    where: { organizationId, userId, revokedAt: null, expiresAt: { gt: now }, lastActiveAt: { gt: new Date(now.getTime() - config.sessionIdleTimeoutMs) }, user: { memberships: { some: { organizationId } } } },
    orderBy: [{ lastActiveAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

const setSession = (id: string, data: { lastActiveAt?: Date; expiresAt?: Date; revokedAt?: Date }) => server.app.services.prisma.session.update({ where: { id }, data });
const minutesAgo = (m: number) => new Date(server.app.services.clock.now().getTime() - m * 60_000);

describe('Organization.sessions', () => {
  it('lists the live sessions bound to the organisation, of every member, the most recently active first, with whose they are', async () => {
    const t = await team();
    const second = await signIn(server, t.memberHome, t.orgId);
    const revoked = await signIn(server, t.memberHome, t.orgId);
    const expired = await signIn(server, t.memberHome, t.orgId);
    const idle = await signIn(server, t.memberHome, t.orgId);
    await setSession(t.owner.sessionId, { lastActiveAt: minutesAgo(30) });
    await setSession(t.member.sessionId, { lastActiveAt: minutesAgo(10) });
    await setSession(second.sessionId, { lastActiveAt: minutesAgo(20) });
    await setSession(revoked.sessionId, { revokedAt: minutesAgo(1) });
    await setSession(expired.sessionId, { expiresAt: minutesAgo(1) });
    await setSession(idle.sessionId, { lastActiveAt: new Date(minutesAgo(1).getTime() - server.app.services.config.sessionIdleTimeoutMs) });

    const res = await ok(server, ORG_SESSIONS, {}, t.admin.auth);
    const conn = res.me.currentOrganization.sessions;
    const ids = conn.edges.map((e) => e.node.id);
    // The admin's own (just used) first, then by last activity; the member's sessions in Y, the revoked, expired and idle ones: absent.
    expect(ids).toEqual([t.admin.sessionId, t.member.sessionId, second.sessionId, t.owner.sessionId]);
    expect(ids).toEqual(await expectedIds(t.orgId));
    expect(conn.totalCount).toBe(4);
    expect(conn.pageInfo).toEqual({ hasNextPage: false, endCursor: conn.edges.at(-1)?.cursor });
    const times = conn.edges.map((e) => new Date(e.node.lastActiveAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const { node } of conn.edges) expect(node.organization.id).toBe(t.orgId);
    const byId = new Map(conn.edges.map((e) => [e.node.id, e.node]));
    expect(byId.get(t.member.sessionId)).toMatchObject({ role: 'MEMBER', user: { id: t.memberHome.userId, name: 'Mel Member', email: t.memberHome.email } });
    expect(byId.get(second.sessionId)?.user.id).toBe(t.memberHome.userId);
    expect(byId.get(t.owner.sessionId)).toMatchObject({ role: 'OWNER', user: { id: t.owner.userId, name: 'Olive Owner', email: t.owner.email } });
    expect(byId.get(t.admin.sessionId)?.user).toEqual({ id: t.admin.userId, name: 'Ada Admin', email: t.admin.email });
    // An OWNER sees the same list.
    expect((await ok(server, ORG_SESSIONS, {}, t.owner.auth)).me.currentOrganization.sessions.edges.map((e) => e.node.id)).toEqual(await expectedIds(t.orgId));
  });

  it('pages through with first/after: every session exactly once, ties broken by id, hasNextPage and endCursor right, totalCount on every page', async () => {
    const t = await team();
    const more = [];
    for (let i = 0; i < 5; i++) more.push(await signIn(server, i % 2 ? t.memberHome : t.owner, t.orgId));
    // Two pairs with one lastActiveAt each: the id orders them.
    const same = minutesAgo(5);
    for (const s of [more[0]!, more[1]!, t.member]) await setSession(s.sessionId, { lastActiveAt: same });
    await setSession(more[2]!.sessionId, { lastActiveAt: minutesAgo(50) });
    const expected = await expectedIds(t.orgId);
    expect(expected).toHaveLength(8);

    for (const first of [1, 3, 8, 20]) {
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 10; page++) {
        const conn = (await ok(server, ORG_SESSIONS, { first, after }, t.admin.auth)).me.currentOrganization.sessions;
        expect(conn.totalCount).toBe(8);
        seen.push(...conn.edges.map((e) => e.node.id));
        expect(conn.edges.length).toBe(Math.min(first, 8 - (seen.length - conn.edges.length)));
        expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor);
        expect(conn.pageInfo.hasNextPage).toBe(seen.length < 8);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor!;
      }
      expect(seen).toEqual(expected);
    }
    // Backwards with last/before: the same list, from its end.
    const back: string[] = [];
    const current: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 5; page++) {
      const conn = (await ok(server, ORG_SESSIONS_BACK, { last: 3, before }, t.admin.auth)).me.currentOrganization.sessions;
      back.unshift(...conn.edges.map((e) => e.node.id));
      current.push(...conn.edges.filter((e) => e.node.isCurrent).map((e) => e.node.id));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor!;
    }
    expect(back).toEqual(expected);
    expect(current).toEqual([t.admin.sessionId]);
    // Cursors are opaque and stable: the same row gives the same cursor on another page size.
    const one = (await ok(server, ORG_SESSIONS, { first: 2 }, t.admin.auth)).me.currentOrganization.sessions.edges[1]!.cursor;
    const all = (await ok(server, ORG_SESSIONS, { first: 8 }, t.admin.auth)).me.currentOrganization.sessions.edges[1]!.cursor;
    expect(one).toBe(all);
    expect(one).not.toContain(expected[1]!);
  });

  it("filters by userId: one member's sessions; another user's, or not an id: none", async () => {
    const t = await team();
    const second = await signIn(server, t.memberHome, t.orgId);
    const outsider = await signUp(server);
    const mine = (await ok(server, ORG_SESSIONS, { userId: t.memberHome.userId }, t.admin.auth)).me.currentOrganization.sessions;
    expect(mine.edges.map((e) => e.node.id).sort()).toEqual([t.member.sessionId, second.sessionId].sort());
    expect(mine.edges.map((e) => e.node.id)).toEqual(await expectedIds(t.orgId, t.memberHome.userId));
    expect(mine.totalCount).toBe(2);
    for (const userId of [outsider.userId, crypto.randomUUID(), 'not-a-uuid', '']) {
      const conn = (await ok(server, ORG_SESSIONS, { userId }, t.admin.auth)).me.currentOrganization.sessions;
      expect([userId, conn.totalCount, conn.edges, conn.pageInfo.hasNextPage]).toEqual([userId, 0, [], false]);
    }
  });

  it('refuses a cursor that is not one of the list with BAD_USER_INPUT, and a negative first', async () => {
    const t = await team();
    const good = (await ok(server, ORG_SESSIONS, { first: 1 }, t.admin.auth)).me.currentOrganization.sessions.pageInfo.endCursor!;
    const decoded = Buffer.from(good, 'base64url').toString();
    const forged = [decoded.replace(/[0-9a-f-]{36}$/, 'not-a-uuid'), decoded.replace(/:\d+:/, ':x:'), `GPC:S:${crypto.randomUUID()}`].map((s) => Buffer.from(s).toString('base64url'));
    for (const after of ['garbage!', 'AAAA', good.slice(0, -2), ...forged]) {
      const res = await list(t.admin, { after });
      expect([after, res.code, res.status, res.errors?.[0]?.extensions?.field]).toEqual([after, 'BAD_USER_INPUT', 400, 'after']);
    }
    expect((await list(t.admin, { first: -1 })).code).toBe('BAD_USER_INPUT');
  });

  it('refuses a MEMBER (FORBIDDEN); a non-member reaching the organisation gets NOT_FOUND and no session', async () => {
    const t = await team();
    const res = await list(t.member);
    expect([res.code, res.status, res.data?.me.currentOrganization]).toEqual(['FORBIDDEN', 403, undefined]);
    // The admin of X is a former member of Z: Z is in their own trail, and nothing more of it.
    const z = await formerMember(server, t.admin);
    const trail = await gql(server, THROUGH_TRAIL, undefined, t.admin.auth);
    expect(trail.errors?.length).toBeGreaterThan(0);
    for (const error of trail.errors ?? []) expect([error.extensions?.code, error.path?.at(-1)]).toEqual(['NOT_FOUND', 'sessions']);
    for (const event of trail.data?.auditEvents ?? []) expect(event.organization?.id).not.toBe(z.orgId);
    expect(JSON.stringify(trail)).not.toContain(z.owner.sessionId);
  });
});

describe('Session.user', () => {
  it("is the viewer on their own sessions, in every organisation", async () => {
    const t = await team();
    const res = await ok(server, OWN_SESSIONS, undefined, t.memberHome.auth);
    expect(res.sessions).toHaveLength(2);
    for (const s of res.sessions) expect(s.user).toEqual({ id: t.memberHome.userId, name: 'Mel Member', email: t.memberHome.email });
  });

  it("is the user on a socket's session events, and on a sign-in's new session", async () => {
    const t = await team();
    const socket = await openLive(server.wsUrl, { token: t.memberHome.token });
    const before = server.app.registry.stats().streams;
    socket.subscribe('1', documentText(graphql(`subscription SessionEventsWithUser { sessionEvents { type session { id user { id name email } } } }`)));
    await untilStreams(() => server.app.registry.stats(), before + 1);
    const again = await signIn(server, t.memberHome, t.orgId);
    const created = await socket.waitForFrame((f) => f.type === 'next');
    expect(created.payload).toEqual({ data: { sessionEvents: { type: 'CREATED', session: { id: again.sessionId, user: { id: t.memberHome.userId, name: 'Mel Member', email: t.memberHome.email } } } } });
    socket.close();
    const signedIn = await ok(server, graphql(`mutation SignInSessionUser($input: SignInInput!) { signIn(input: $input) { session { user { id email } } } }`), { input: { email: t.admin.email, password: t.admin.password } });
    expect(signedIn.signIn.session.user).toEqual({ id: t.admin.userId, email: t.admin.email });
  });
});
