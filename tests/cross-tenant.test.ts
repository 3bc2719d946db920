// Tenants A and B, each with an OWNER, an ADMIN and a MEMBER. Every actor tries every operation on
// every object it does not own: the answer is NOT_FOUND or FORBIDDEN, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import type { Auth, GqlResponse, TestUser } from './helpers/graphql.js';
import { inviteAndAccept, gql, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

interface Tenant {
  orgId: string;
  members: Record<Role, TestUser>;
}

let server: TestServer;
let a: Tenant;
let b: Tenant;

async function tenant(name: string): Promise<Tenant> {
  const owner = await signUp(server, { organizationName: name });
  const admin = await signUp(server);
  const member = await signUp(server);
  await inviteAndAccept(server, owner, owner.organizationId, admin, 'ADMIN');
  await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
  return {
    orgId: owner.organizationId,
    members: { OWNER: owner, ADMIN: await signIn(server, admin, owner.organizationId), MEMBER: await signIn(server, member, owner.organizationId) },
  };
}

beforeAll(async () => {
  server = await startServer();
  [a, b] = [await tenant('Tenant A'), await tenant('Tenant B')];
});
afterAll(() => server?.stop());

/** Everything an attack could change: sessions, memberships, organisations of both tenants. */
async function snapshot() {
  const { prisma } = server.app.services;
  const orgIds = [a.orgId, b.orgId];
  return {
    sessions: await prisma.session.findMany({ where: { organizationId: { in: orgIds } }, orderBy: { id: 'asc' }, select: { id: true, revokedAt: true, tokenHash: true } }),
    memberships: await prisma.membership.findMany({ where: { organizationId: { in: orgIds } }, orderBy: { id: 'asc' } }),
    organizations: await prisma.organization.findMany({ where: { id: { in: orgIds } }, orderBy: { id: 'asc' } }),
  };
}

const ROLES: Role[] = ['OWNER', 'ADMIN', 'MEMBER'];

interface Attack {
  name: string;
  run: (victim: Tenant, target: TestUser, auth: Auth) => Promise<GqlResponse<unknown>>;
}

const ATTACKS: Attack[] = [
  { name: 'revokeSession', run: (_t, target, auth) => gql(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: target.sessionId }, auth) },
  { name: 'inviteMember', run: (t, _target, auth) => gql(server, graphql(`mutation CrossTenantInvite($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`), { input: { organizationId: t.orgId, email: 'nobody@example.test', role: 'OWNER' } }, auth) },
  { name: 'updateMemberRole', run: (t, target, auth) => gql(server, graphql(`mutation UpdateMemberRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id } }`), { input: { organizationId: t.orgId, userId: target.userId, role: 'MEMBER' } }, auth) },
  { name: 'removeMember', run: (t, target, auth) => gql(server, graphql(`mutation RemoveMember($input: RemoveMemberInput!) { removeMember(input: $input) { id } }`), { input: { organizationId: t.orgId, userId: target.userId } }, auth) },
  { name: 'revokeMemberSessions', run: (t, target, auth) => gql(server, graphql(`mutation CrossTenantRevokeMemberSessions($input: RevokeMemberSessionsInput!) { revokeMemberSessions(input: $input) { revokedCount } }`), { input: { organizationId: t.orgId, userId: target.userId } }, auth) },
  { name: 'revokeOrganizationSessions', run: (t, _target, auth) => gql(server, graphql(`mutation CrossTenantRevokeOrganizationSessions($id: ID!) { revokeOrganizationSessions(organizationId: $id) { revokedCount } }`), { id: t.orgId }, auth) },
  { name: 'switchOrganization', run: (t, _target, auth) => gql(server, graphql(`mutation SwitchOrganization($id: ID!) { switchOrganization(organizationId: $id) { token } }`), { id: t.orgId }, auth) },
];

describe('cross-tenant matrix', () => {
  for (const attackerRole of ROLES) {
    for (const targetRole of ROLES) {
      it(`a ${attackerRole} of B against the ${targetRole} of A: not found or forbidden, nothing changes`, async () => {
        const before = await snapshot();
        const attacker = b.members[attackerRole];
        const target = a.members[targetRole];
        for (const attack of ATTACKS) {
          const res = await attack.run(a, target, attacker.auth);
          expect(res.code, attack.name).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
          expect([403, 404], attack.name).toContain(res.status);
        }
        const signInThere = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: attacker.email, password: attacker.password, organizationId: a.orgId } });
        expect(signInThere.code).toBe('FORBIDDEN');
        // the sign-in attempt above writes nothing but an audit row
        expect(await snapshot()).toEqual(before);
      });
    }
  }

  it('inside a tenant, a MEMBER cannot manage members, and nobody can revoke a colleague\'s session', async () => {
    const before = await snapshot();
    const member = a.members.MEMBER;
    for (const attack of ATTACKS.filter((x) => x.name !== 'switchOrganization' && x.name !== 'revokeSession')) {
      const res = await attack.run(a, a.members.ADMIN, member.auth);
      expect(res.code, attack.name).toBe('FORBIDDEN');
    }
    for (const actor of ROLES) {
      for (const victim of ROLES.filter((r) => r !== actor)) {
        const res = await gql(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: a.members[victim].sessionId }, a.members[actor].auth);
        expect(res.code, `${actor} → ${victim}`).toBe('NOT_FOUND');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("another user's sessions never show up, and an organisation's members only to its members", async () => {
    const res = await gql(
      server, graphql(`query SessionsAndOrganizations { sessions { id } me { memberships { organization { id members { user { id } } } } } }`), undefined, b.members.MEMBER.auth);
    const aSessions = new Set(Object.values(a.members).map((m) => m.sessionId));
    expect(res.data!.sessions.some((s) => aSessions.has(s.id))).toBe(false);
    const seenOrgs = res.data!.me.memberships.map((m) => m.organization.id);
    expect(seenOrgs).not.toContain(a.orgId);
  });
});
