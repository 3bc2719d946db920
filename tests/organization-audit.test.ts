// Organization.auditEvents (OWNER or ADMIN): the organisation's trail, newest first, each event
// with its actor and subject, filtered by type and by user (actor or subject); and
// Organization.membersConnection (any member). Another tenant's: NOT_FOUND; a MEMBER: FORBIDDEN.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, joinAs, ok, signIn, signUp } from './helpers/graphql.js';
import { formerMember } from './helpers/organizations.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const TRAIL = graphql(`query OrgTrail($first: Int, $after: String, $type: String, $userId: ID) { me { currentOrganization { auditEvents(first: $first, after: $after, type: $type, userId: $userId) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type details organization { id } actor { id name email } subject { id name email } } } } } } }`);
const MEMBERS = graphql(`query OrgMembersPage($first: Int, $after: String) { me { currentOrganization { membersConnection(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id role user { id } } } } } } }`);
const THROUGH_TRAIL = graphql(`query TrailThroughOwnTrail { auditEvents(first: 50) { organization { id members { id } auditEvents { totalCount } membersConnection { totalCount } } } }`);
const REVOKE_MEMBER = graphql(`mutation TrailRevokeMemberSessions($i: RevokeMemberSessionsInput!) { revokeMemberSessions(input: $i) { revokedCount } }`);
const SET_ROLE = graphql(`mutation TrailSetRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);
const DELETE_ACCOUNT = graphql(`mutation TrailDeleteAccount($password: String!) { deleteAccount(password: $password) }`);

/** Org X with its owner, an ADMIN and a MEMBER (whose own organisation is Y); the owner signs the member out, then makes them ADMIN. */
async function team() {
  const owner = await signUp(server, { organizationName: 'Org X', name: 'Olive Owner' });
  const admin = await joinAs(server, owner, 'ADMIN', { name: 'Ada Admin' });
  const member = await joinAs(server, owner, 'MEMBER', { name: 'Mel Member', organizationName: 'Org Y' });
  const orgId = owner.organizationId;
  await ok(server, REVOKE_MEMBER, { i: { organizationId: orgId, userId: member.home.userId } }, owner.auth);
  const memberAgain = await signIn(server, member.home, orgId);
  await ok(server, SET_ROLE, { input: { organizationId: orgId, userId: member.home.userId, role: 'ADMIN' } }, owner.auth);
  return { orgId, owner, admin: admin.inOrg, member: memberAgain, memberHome: member.home };
}

type Vars = { first?: number; after?: string; type?: string; userId?: string };
const trail = async (by: TestUser, vars: Vars = {}) => (await ok(server, TRAIL, { first: 100, ...vars }, by.auth)).me.currentOrganization.auditEvents;

/** The organisation's events as the database has them, in the trail's order. */
async function expectedIds(organizationId: string, filter: { type?: string; userId?: string } = {}): Promise<string[]> {
  const rows = await server.app.services.prisma.auditEvent.findMany({
    where: { organizationId, type: filter.type, ...(filter.userId ? { OR: [{ userId: filter.userId }, { subjectUserId: filter.userId }] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

const person = (u: TestUser, name: string) => ({ id: u.userId, name, email: u.email });

describe('Organization.auditEvents', () => {
  it("shows the organisation's trail newest first: sign-ins, a member signed out and their role changed, with actor and subject", async () => {
    const t = await team();
    const conn = await trail(t.admin);
    const ids = conn.edges.map((e) => e.node.id);
    expect(ids).toEqual(await expectedIds(t.orgId));
    expect(conn.totalCount).toBe(ids.length);
    for (const { node } of conn.edges) expect(node.organization?.id).toBe(t.orgId);
    const of = (type: string) => conn.edges.map((e) => e.node).filter((n) => n.type === type);
    expect(of('MEMBER_SESSIONS_REVOKED')).toEqual([expect.objectContaining({ actor: person(t.owner, 'Olive Owner'), subject: person(t.memberHome, 'Mel Member'), details: expect.objectContaining({ revokedCount: 1 }) })]);
    expect(of('MEMBER_ROLE_CHANGED')).toEqual([expect.objectContaining({ actor: person(t.owner, 'Olive Owner'), subject: person(t.memberHome, 'Mel Member'), details: expect.objectContaining({ from: 'MEMBER', to: 'ADMIN' }) })]);
    // Invited by the owner (to an address: no subject), then each accepted (about themselves).
    expect(of('MEMBER_INVITED').map((n) => [n.actor?.id, n.subject])).toEqual([[t.owner.userId, null], [t.owner.userId, null]]);
    expect(of('INVITATION_ACCEPTED').map((n) => n.actor?.id)).toEqual([t.memberHome.userId, t.admin.userId]);
    // Both of the member's sign-ins here, none of their sign-up in Y.
    const memberSignIns = of('SIGN_IN').filter((n) => n.actor?.id === t.memberHome.userId);
    expect(memberSignIns).toHaveLength(2);
    for (const n of memberSignIns) expect(n.subject).toBeNull();
    expect(of('SIGN_UP').map((n) => n.actor?.id)).toEqual([t.owner.userId]);
    // The newest first: the role change came last.
    expect(conn.edges[0]?.node.type).toBe('MEMBER_ROLE_CHANGED');
    // Query.auditEvents is unchanged, and its events have actor and subject too.
    const own = await ok(server, graphql(`query OwnTrailWithPeople { auditEvents(first: 5) { type actor { id } subject { id } } }`), undefined, t.owner.auth);
    expect(own.auditEvents[0]).toEqual({ type: 'MEMBER_ROLE_CHANGED', actor: { id: t.owner.userId }, subject: { id: t.memberHome.userId } });
  });

  it('filters by type and by user (the actor or the subject), with totalCount for the filter', async () => {
    const t = await team();
    const signIns = await trail(t.admin, { type: 'SIGN_IN' });
    expect(signIns.edges.map((e) => e.node.id)).toEqual(await expectedIds(t.orgId, { type: 'SIGN_IN' }));
    expect(new Set(signIns.edges.map((e) => e.node.type))).toEqual(new Set(['SIGN_IN']));
    expect(signIns.totalCount).toBe(3);
    const aboutMember = await trail(t.admin, { userId: t.memberHome.userId });
    expect(aboutMember.edges.map((e) => e.node.id)).toEqual(await expectedIds(t.orgId, { userId: t.memberHome.userId }));
    expect(aboutMember.edges.map((e) => e.node.type).sort()).toEqual(['INVITATION_ACCEPTED', 'MEMBER_ROLE_CHANGED', 'MEMBER_SESSIONS_REVOKED', 'SIGN_IN', 'SIGN_IN']);
    for (const { node } of aboutMember.edges) expect([node.actor?.id, node.subject?.id]).toContain(t.memberHome.userId);
    const both = await trail(t.admin, { userId: t.memberHome.userId, type: 'SIGN_IN' });
    expect(both.totalCount).toBe(2);
    for (const vars of [{ type: 'NO_SUCH_TYPE' }, { userId: 'not-a-uuid' }, { userId: crypto.randomUUID() }]) {
      const empty = await trail(t.admin, vars);
      expect([vars, empty.totalCount, empty.edges]).toEqual([vars, 0, []]);
    }
  });

  it('pages through with first/after: every event exactly once, newest first', async () => {
    const t = await team();
    const expected = await expectedIds(t.orgId);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const conn = await trail(t.admin, { first: 3, after });
      expect(conn.totalCount).toBe(expected.length);
      seen.push(...conn.edges.map((e) => e.node.id));
      expect(conn.pageInfo.hasNextPage).toBe(seen.length < expected.length);
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor!;
    }
    expect(seen).toEqual(expected);
  });

  it('keeps an event whose subject deleted their account, with subject null', async () => {
    const t = await team();
    await ok(server, DELETE_ACCOUNT, { password: t.memberHome.password }, t.memberHome.auth);
    const conn = await trail(t.admin);
    expect(conn.edges.map((e) => e.node.id)).toEqual(await expectedIds(t.orgId));
    const changed = conn.edges.find((e) => e.node.type === 'MEMBER_ROLE_CHANGED')?.node;
    expect(changed).toMatchObject({ actor: { id: t.owner.userId }, subject: null, details: { memberUserId: t.memberHome.userId } });
  });
});

describe('Organization.membersConnection', () => {
  it('lists the members to any member, the earliest first, page by page, with totalCount', async () => {
    const t = await team();
    const rows = await server.app.services.prisma.membership.findMany({ where: { organizationId: t.orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const first = (await ok(server, MEMBERS, { first: 2 }, t.admin.auth)).me.currentOrganization.membersConnection;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await ok(server, MEMBERS, { first: 2, after: first.pageInfo.endCursor }, t.admin.auth)).me.currentOrganization.membersConnection;
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges.at(-1)?.cursor });
    expect([...first.edges, ...rest.edges].map((e) => e.node.id)).toEqual(rows.map((r) => r.id));
    expect(first.edges[0]?.node).toMatchObject({ role: 'OWNER', user: { id: t.owner.userId } });
    const joined = await joinAs(server, t.owner, 'MEMBER');
    const asMember = (await ok(server, MEMBERS, {}, joined.inOrg.auth)).me.currentOrganization.membersConnection;
    expect(asMember.edges.map((e) => e.node.user.id)).toEqual([t.owner.userId, t.admin.userId, t.memberHome.userId, joined.home.userId]);
  });
});

describe('refusals', () => {
  it('refuses a MEMBER the trail (FORBIDDEN); a non-member reaching the organisation gets NOT_FOUND for both fields', async () => {
    const t = await team();
    const plain = await joinAs(server, t.owner, 'MEMBER');
    const res = await gql(server, TRAIL, {}, plain.inOrg.auth);
    expect([res.code, res.status]).toEqual(['FORBIDDEN', 403]);
    // The admin of X is a former member of Z: Z's trail and members stay hidden.
    const z = await formerMember(server, t.admin);
    const through = await gql(server, THROUGH_TRAIL, undefined, t.admin.auth);
    const refused = (through.errors ?? []).map((e) => [e.extensions?.code, e.path?.at(-1)]);
    expect(refused).toContainEqual(['NOT_FOUND', 'auditEvents']);
    expect(refused).toContainEqual(['NOT_FOUND', 'membersConnection']);
    expect(refused).toContainEqual(['NOT_FOUND', 'members']);
    for (const [code] of refused) expect(code).toBe('NOT_FOUND');
    for (const event of through.data?.auditEvents ?? []) expect(event.organization?.id).not.toBe(z.orgId);
  });

  it('refuses a cursor that is not one of the list with BAD_USER_INPUT, on both fields', async () => {
    const t = await team();
    const good = (await trail(t.admin, { first: 1 })).pageInfo.endCursor!;
    const decoded = Buffer.from(good, 'base64').toString();
    const forged = [decoded.replace(/[0-9a-f-]{36}/, 'not-a-uuid'), 'GPC:N:12', 'nothing like it'].map((s) => Buffer.from(s).toString('base64'));
    for (const after of ['garbage!', 'AAAA', ...forged]) {
      for (const res of [await gql(server, TRAIL, { after }, t.admin.auth), await gql(server, MEMBERS, { after }, t.admin.auth)]) {
        expect([after, res.code, res.status]).toEqual([after, 'BAD_USER_INPUT', 400]);
      }
    }
    expect((await gql(server, MEMBERS, { first: -1 }, t.admin.auth)).code).toBe('BAD_USER_INPUT');
  });
});

describe('the audit_subject migration', () => {
  it("backfills the subject from details.memberUserId, and leaves anything that is not a user's id null", async () => {
    const t = await team();
    const { prisma } = server.app.services;
    const sql = await readFile(new URL('../prisma/migrations/20261204013214_audit_subject/migration.sql', import.meta.url), 'utf8');
    const backfill = sql.slice(sql.indexOf('UPDATE "AuditEvent"'));
    const old = await prisma.auditEvent.create({ data: { type: 'MEMBER_ADDED', organizationId: t.orgId, details: { memberUserId: t.admin.userId } } });
    const odd = await prisma.auditEvent.create({ data: { type: 'MEMBER_ADDED', organizationId: t.orgId, details: { memberUserId: 'not-a-uuid' } } });
    await prisma.auditEvent.updateMany({ where: { id: { in: [old.id, odd.id] } }, data: { subjectUserId: null } });
    await prisma.$executeRawUnsafe(backfill);
    const after = await prisma.auditEvent.findMany({ where: { id: { in: [old.id, odd.id] } }, select: { id: true, subjectUserId: true } });
    expect(new Map(after.map((e) => [e.id, e.subjectUserId]))).toEqual(new Map([[old.id, t.admin.userId], [odd.id, null]]));
  });
});
