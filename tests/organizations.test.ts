import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { inviteAndAccept, createOrganization, gql, ok, signIn, signUp, uniqueEmail, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const ADD = graphql(`mutation InviteMemberDetails($input: InviteMemberInput!) { inviteMember(input: $input) { id role email status organization { id } } }`);
const ACCEPT = graphql(`mutation AcceptMemberDetails($id: ID!) { acceptInvitation(id: $id) { role user { id email } organization { id } } }`);
const UPDATE = graphql(`mutation SetMemberRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);
const REMOVE = graphql(`mutation RemoveMemberDetails($input: RemoveMemberInput!) { removeMember(input: $input) { role user { id } } }`);
const MEMBERS = graphql(`query MyMembers { me { currentOrganization { members { role user { id email } } } } }`);

async function team(): Promise<{ owner: TestUser; admin: TestUser; member: TestUser; orgId: string }> {
  const owner = await signUp(server, { organizationName: 'Team' });
  const admin = await signUp(server);
  const member = await signUp(server);
  await inviteAndAccept(server, owner, owner.organizationId, admin, 'ADMIN');
  await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
  return {
    owner,
    admin: await signIn(server, admin, owner.organizationId),
    member: await signIn(server, member, owner.organizationId),
    orgId: owner.organizationId,
  };
}

describe('organisations and members', () => {
  it('creates an organisation with the caller as OWNER and a unique slug', async () => {
    const u = await signUp(server);
    const a = await ok(
      server, graphql(`mutation CreateElanVital { createOrganization(input: { name: "Élan Vital & Co" }) { id slug members { role user { id } } } }`), undefined, u.auth);
    const b = await ok(server, graphql(`mutation CreateElanVitalSlug { createOrganization(input: { name: "Élan Vital & Co" }) { slug } }`), undefined, u.auth);
    expect(a.createOrganization.slug).toMatch(/^elan-vital-co/);
    expect(b.createOrganization.slug).not.toBe(a.createOrganization.slug);
    expect(a.createOrganization.members).toEqual([{ role: 'OWNER', user: { id: u.userId } }]);
    const me = await ok(server, graphql(`query MyMemberships { me { memberships { role organization { id } } } }`), undefined, u.auth);
    expect(me.me.memberships.map((m) => m.organization.id)).toContain(a.createOrganization.id);
  });

  it('lets an OWNER and an ADMIN invite members; an ADMIN cannot invite an OWNER; a MEMBER cannot invite', async () => {
    const { owner, admin, member, orgId } = await team();
    const newcomer = await signUp(server);
    const byAdmin = await gql(server, ADD, { input: { organizationId: orgId, email: newcomer.email, role: 'OWNER' } }, admin.auth);
    expect(byAdmin.code).toBe('FORBIDDEN');
    const byMember = await gql(server, ADD, { input: { organizationId: orgId, email: newcomer.email, role: 'MEMBER' } }, member.auth);
    expect(byMember.code).toBe('FORBIDDEN');
    const invited = await ok(server, ADD, { input: { organizationId: orgId, email: newcomer.email.toUpperCase(), role: 'ADMIN' } }, admin.auth);
    expect(invited.inviteMember).toMatchObject({ role: 'ADMIN', email: newcomer.email, status: 'PENDING', organization: { id: orgId } });
    const joined = await ok(server, ACCEPT, { id: invited.inviteMember.id }, newcomer.auth);
    expect(joined.acceptInvitation).toMatchObject({ role: 'ADMIN', user: { id: newcomer.userId, email: newcomer.email }, organization: { id: orgId } });
    const dup = await gql(server, ADD, { input: { organizationId: orgId, email: newcomer.email, role: 'MEMBER' } }, owner.auth);
    expect(dup.code).toBe('CONFLICT');
    // An address without an account is invited like any other (invitations.test.ts compares the answers).
    const nobody = await ok(server, ADD, { input: { organizationId: orgId, email: uniqueEmail(), role: 'MEMBER' } }, owner.auth);
    expect(nobody.inviteMember.status).toBe('PENDING');
    expect(await server.app.services.prisma.auditEvent.count({ where: { organizationId: orgId, type: 'MEMBER_INVITED' } })).toBe(4);
  });

  it("treats another tenant's organisation as not found for every member operation, and changes nothing", async () => {
    const { orgId, member } = await team();
    const outsider = await signUp(server);
    const before = await server.app.services.prisma.membership.findMany({ where: { organizationId: orgId }, orderBy: { id: 'asc' } });
    for (const attempt of [
      () => gql(server, ADD, { input: { organizationId: orgId, email: outsider.email, role: 'OWNER' } }, outsider.auth),
      () => gql(server, UPDATE, { input: { organizationId: orgId, userId: member.userId, role: 'OWNER' } }, outsider.auth),
      () => gql(server, REMOVE, { input: { organizationId: orgId, userId: member.userId } }, outsider.auth),
      () => gql(server, ADD, { input: { organizationId: 'not-a-uuid', email: outsider.email, role: 'OWNER' } }, outsider.auth),
    ]) {
      const res = await attempt();
      expect(res.code).toBe('NOT_FOUND');
    }
    const after = await server.app.services.prisma.membership.findMany({ where: { organizationId: orgId }, orderBy: { id: 'asc' } });
    expect(after).toEqual(before);
  });

  it('shows members to members only', async () => {
    const { member } = await team();
    const data = await ok(server, MEMBERS, undefined, member.auth);
    expect(data.me.currentOrganization.members.map((m) => m.role).sort()).toEqual(['ADMIN', 'MEMBER', 'OWNER']);
  });

  it('changes a role: the member acts on the new role at once', async () => {
    const { owner, member, orgId } = await team();
    await ok(server, UPDATE, { input: { organizationId: orgId, userId: member.userId, role: 'ADMIN' } }, owner.auth);
    const me = await ok(server, graphql(`query MyRole { me { currentOrganizationRole } }`), undefined, member.auth);
    expect(me.me.currentOrganizationRole).toBe('ADMIN');
    const audit = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { organizationId: orgId, type: 'MEMBER_ROLE_CHANGED' } });
    expect(audit.details).toMatchObject({ memberUserId: member.userId, from: 'MEMBER', to: 'ADMIN' });
  });

  it('never leaves an organisation without an owner, and keeps ADMINs away from OWNERs', async () => {
    const { owner, admin, orgId } = await team();
    expect((await gql(server, UPDATE, { input: { organizationId: orgId, userId: owner.userId, role: 'MEMBER' } }, owner.auth)).code).toBe('FORBIDDEN');
    expect((await gql(server, REMOVE, { input: { organizationId: orgId, userId: owner.userId } }, owner.auth)).code).toBe('FORBIDDEN');
    expect((await gql(server, REMOVE, { input: { organizationId: orgId, userId: owner.userId } }, admin.auth)).code).toBe('FORBIDDEN');
    expect((await gql(server, UPDATE, { input: { organizationId: orgId, userId: admin.userId, role: 'OWNER' } }, admin.auth)).code).toBe('FORBIDDEN');
    // with a second owner, the first may step down
    await ok(server, UPDATE, { input: { organizationId: orgId, userId: admin.userId, role: 'OWNER' } }, owner.auth);
    await ok(server, UPDATE, { input: { organizationId: orgId, userId: owner.userId, role: 'MEMBER' } }, owner.auth);
    expect(await server.app.services.prisma.membership.count({ where: { organizationId: orgId, role: 'OWNER' } })).toBe(1);
  });

  it('two owners demoting each other at once leave exactly one owner', async () => {
    const { owner, admin, orgId } = await team();
    await ok(server, UPDATE, { input: { organizationId: orgId, userId: admin.userId, role: 'OWNER' } }, owner.auth);
    await Promise.all([
      gql(server, UPDATE, { input: { organizationId: orgId, userId: owner.userId, role: 'MEMBER' } }, admin.auth),
      gql(server, UPDATE, { input: { organizationId: orgId, userId: admin.userId, role: 'MEMBER' } }, owner.auth),
    ]);
    expect(await server.app.services.prisma.membership.count({ where: { organizationId: orgId, role: 'OWNER' } })).toBe(1);
  });

  it("removes a member: that member's sessions in the organisation are refused at once, their others are not", async () => {
    const { owner, member, orgId } = await team();
    const res = await ok(server, REMOVE, { input: { organizationId: orgId, userId: member.userId } }, owner.auth);
    expect(res.removeMember.user.id).toBe(member.userId);
    expect((await gql(server, WHO_AM_I, undefined, member.auth)).status).toBe(401);
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: member.sessionId } });
    expect(row.revokedReason).toBe('MEMBER_REMOVED');
    const home = await signIn(server, member);
    await ok(server, WHO_AM_I, undefined, home.auth);
    const signInThere = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: member.email, password: member.password, organizationId: orgId } });
    expect(signInThere.code).toBe('FORBIDDEN');
  });

  it('audit events: the user sees their own, newest first, with IP, agent and organisation', async () => {
    const u = await signUp(server, {}, { 'user-agent': 'AuditAgent/1.0' });
    const other = await signIn(server, u);
    await ok(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: other.sessionId }, u.auth);
    const stranger = await signUp(server);
    const { auditEvents } = await ok(
      server, graphql(`query RecentAuditEvents { auditEvents(first: 10) { type ipAddress userAgent organization { id } createdAt } }`), undefined, u.auth);
    expect(auditEvents.map((e) => e.type)).toEqual(['SESSION_REVOKED', 'SIGN_IN', 'SIGN_UP']);
    expect(auditEvents[2]).toMatchObject({ ipAddress: '127.0.0.1', userAgent: 'AuditAgent/1.0', organization: { id: u.organizationId } });
    const theirs = await ok(server, graphql(`query AuditEventTypes { auditEvents { type } }`), undefined, stranger.auth);
    expect(theirs.auditEvents.map((e) => e.type)).toEqual(['SIGN_UP']);
  });
});
