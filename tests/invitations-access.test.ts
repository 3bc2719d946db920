// Who sees an organisation's invitations and who revokes them: its OWNERs and ADMINs only (an ADMIN
// not an OWNER's invitation); a MEMBER is FORBIDDEN; another tenant is NOT_FOUND and learns nothing.
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, joinAs, ok, signUp, uniqueEmail } from './helpers/graphql.js';
import { ACCEPT, invited, MY_INVITATIONS, ORG_INVITATIONS, REVOKE_INVITATION } from './helpers/invitations.js';
import { serverForFile } from './helpers/per-file.js';

const file = serverForFile();

const DELETE_ACCOUNT = graphql(`mutation DeleteInviterAccount($p: String!) { deleteAccount(password: $p) }`);
const INVITEE_SEES_ORG_INVITATIONS = graphql(`query InviteeOrgInvitations { me { invitations { organization { id invitations { id } } } } }`);

async function team(): Promise<{ owner: TestUser; admin: TestUser; member: TestUser }> {
  const owner = await signUp(file.server);
  const { inOrg: admin } = await joinAs(file.server, owner, 'ADMIN');
  const { inOrg: member } = await joinAs(file.server, owner, 'MEMBER');
  return { owner, admin, member };
}

const listed = async (viewer: TestUser) => (await ok(file.server, ORG_INVITATIONS, undefined, viewer.auth)).me.currentOrganization.invitations.map((i) => i.email);

describe('Organization.invitations', () => {
  it('OWNERs and ADMINs see the pending ones, newest first; a MEMBER is FORBIDDEN', async () => {
    const { owner, admin, member } = await team();
    const [first, second, answered] = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
    await invited(file.server, owner, first);
    file.server.clock.advance(1000);
    await invited(file.server, admin, second, 'ADMIN');
    const revokedId = await invited(file.server, owner, answered);
    await ok(file.server, REVOKE_INVITATION, { id: revokedId }, owner.auth);
    expect(await listed(owner)).toEqual([second, first]);
    expect(await listed(admin)).toEqual([second, first]);
    const byMember = await gql(file.server, ORG_INVITATIONS, undefined, member.auth);
    expect([byMember.code, byMember.errors?.[0]?.path]).toEqual(['FORBIDDEN', ['me', 'currentOrganization', 'invitations']]);
    expect(byMember.data).toBeNull();
  });

  it("an invitee (not a member) sees the organisation's name, not its invitations (NOT_FOUND)", async () => {
    const { owner } = await team();
    const invitee = await signUp(file.server);
    await invited(file.server, owner, invitee.email);
    await invited(file.server, owner, uniqueEmail('secret'));
    const res = await gql(file.server, INVITEE_SEES_ORG_INVITATIONS, undefined, invitee.auth);
    expect(res.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res)).not.toContain('secret-');
  });

  it('shows invitedBy as null once the inviter has deleted their account; the invitation still works', async () => {
    const { owner, admin } = await team();
    const invitee = await signUp(file.server);
    const id = await invited(file.server, admin, invitee.email);
    await ok(file.server, DELETE_ACCOUNT, { p: admin.password }, admin.auth);
    const [mine] = (await ok(file.server, MY_INVITATIONS, undefined, invitee.auth)).me.invitations;
    expect(mine).toMatchObject({ id, invitedBy: null, organization: { id: owner.organizationId } });
    expect((await ok(file.server, ACCEPT, { id }, invitee.auth)).acceptInvitation.organization.id).toBe(owner.organizationId);
  });
});

describe('revokeInvitation', () => {
  it('an ADMIN revokes a MEMBER invitation, not an OWNER one; a MEMBER cannot; a revoked one cannot be accepted', async () => {
    const { owner, admin, member } = await team();
    const invitee = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email);
    const ownerInvite = await invited(file.server, owner, uniqueEmail(), 'OWNER');
    expect((await gql(file.server, REVOKE_INVITATION, { id }, member.auth)).code).toBe('FORBIDDEN');
    const byAdmin = await gql(file.server, REVOKE_INVITATION, { id: ownerInvite }, admin.auth);
    expect([byAdmin.code, byAdmin.errors?.[0]?.message]).toEqual(['FORBIDDEN', 'Only an owner can revoke an owner invitation.']);
    const revoked = await ok(file.server, REVOKE_INVITATION, { id }, admin.auth);
    expect(revoked.revokeInvitation).toMatchObject({ id, status: 'REVOKED', respondedAt: expect.any(String) });
    expect((await ok(file.server, REVOKE_INVITATION, { id: ownerInvite }, owner.auth)).revokeInvitation.status).toBe('REVOKED');
    expect((await gql(file.server, REVOKE_INVITATION, { id }, owner.auth)).code).toBe('NOT_FOUND');
    expect((await gql(file.server, ACCEPT, { id }, invitee.auth)).code).toBe('NOT_FOUND');
    expect((await ok(file.server, MY_INVITATIONS, undefined, invitee.auth)).me.invitations).toEqual([]);
    const audits = await file.server.app.services.prisma.auditEvent.findMany({ where: { organizationId: owner.organizationId, type: 'INVITATION_REVOKED' }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((a) => [a.userId, (a.details as { invitationId: string }).invitationId])).toEqual([[admin.userId, id], [owner.userId, ownerInvite]]);
  });

  it("an OWNER or ADMIN of another organisation gets NOT_FOUND, like an unknown id, and the invitation stays pending", async () => {
    const x = await team();
    const y = await team();
    const id = await invited(file.server, y.owner, uniqueEmail('y-secret'), 'MEMBER');
    const shown = async (by: TestUser, target: string) => {
      const r = await gql(file.server, REVOKE_INVITATION, { id: target }, by.auth);
      return { status: r.status, code: r.code, message: r.errors?.[0]?.message, data: r.data };
    };
    const unknown = await shown(x.owner, crypto.randomUUID());
    expect(unknown).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Invitation not found.', data: null });
    for (const attacker of [x.owner, x.admin, x.member]) {
      expect(await shown(attacker, id)).toEqual(unknown);
      expect(await shown(attacker, 'not-a-uuid')).toEqual(unknown);
    }
    expect((await file.server.app.services.prisma.invitation.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');
    // X's own list holds nothing of Y's.
    expect(JSON.stringify(await ok(file.server, ORG_INVITATIONS, undefined, x.owner.auth))).not.toContain('y-secret');
    expect(await listed(y.admin)).toEqual([expect.stringMatching(/^y-secret-/)]);
  });
});
