// Invitations and the webhook outbox (member.invited with the insert, member.joined with the
// accept, in their transactions), and races: concurrent invitations of one address make one row,
// concurrent accepts one membership, never a 500. (On PostgreSQL the requests run side by side.)
import { describe, expect, it } from 'vitest';
import { gql, joinAs, ok, signUp, uniqueEmail } from './helpers/graphql.js';
import { ACCEPT, DECLINE, invite, invited } from './helpers/invitations.js';
import { serverForFile } from './helpers/per-file.js';
import { createEndpoint } from './helpers/webhooks.js';

const file = serverForFile();

async function outbox(organizationId: string, type: string) {
  const rows = await file.server.app.services.prisma.webhookDelivery.findMany({ where: { organizationId, type }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => ({ endpointId: r.endpointId, payload: r.payload as { type: string; data: Record<string, unknown> } }));
}

const codesOf = (responses: { code: string | undefined; status: number }[]) => responses.map((r) => `${r.code ?? 'OK'}/${r.status}`);

describe('webhook outbox', () => {
  it('member.invited with the invitation (never a token), member.joined with the accept', async () => {
    const owner = await signUp(file.server);
    const endpoint = await createEndpoint(file.server, owner, 'https://hooks.example.test/in', ['member.invited', 'member.joined']);
    const invitee = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email, 'ADMIN');
    const [sent] = await outbox(owner.organizationId, 'member.invited');
    expect(sent?.endpointId).toBe(endpoint.id);
    expect(sent?.payload).toMatchObject({ type: 'member.invited', data: { invitationId: id, organizationId: owner.organizationId, email: invitee.email, role: 'ADMIN', actorUserId: owner.userId, renewed: false } });
    expect(Object.keys(sent!.payload.data).some((k) => /token|secret|password/i.test(k))).toBe(false);

    await ok(file.server, ACCEPT, { id }, invitee.auth);
    const joined = await outbox(owner.organizationId, 'member.joined');
    expect(joined).toHaveLength(1);
    expect(joined[0]!.payload.data).toMatchObject({ invitationId: id, organizationId: owner.organizationId, userId: invitee.userId, role: 'ADMIN', actorUserId: invitee.userId, invitedByUserId: owner.userId });
  });

  it('a refused invitation or answer writes no delivery', async () => {
    const owner = await signUp(file.server);
    await createEndpoint(file.server, owner, 'https://hooks.example.test/refused', ['member.invited', 'member.joined']);
    const { home: member, inOrg } = await joinAs(file.server, owner, 'MEMBER');
    const invitedBefore = (await outbox(owner.organizationId, 'member.invited')).length;
    const joinedBefore = (await outbox(owner.organizationId, 'member.joined')).length;
    expect((await invite(file.server, owner, member.email)).code).toBe('CONFLICT');
    expect((await invite(file.server, inOrg, uniqueEmail())).code).toBe('FORBIDDEN');
    const id = await invited(file.server, owner, uniqueEmail());
    expect((await gql(file.server, ACCEPT, { id }, member.auth)).code).toBe('NOT_FOUND');
    expect((await outbox(owner.organizationId, 'member.invited')).length).toBe(invitedBefore + 1);
    expect((await outbox(owner.organizationId, 'member.joined')).length).toBe(joinedBefore);
  });
});

describe('races', () => {
  it('concurrent invitations of one address: one pending row, every answer names it', async () => {
    const owner = await signUp(file.server);
    for (let round = 0; round < 3; round++) {
      const email = uniqueEmail();
      const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => invite(file.server, owner, email, i % 2 ? 'ADMIN' : 'MEMBER')));
      expect(codesOf(responses)).toEqual(['OK/200', 'OK/200', 'OK/200', 'OK/200']);
      expect(new Set(responses.map((r) => r.data?.inviteMember.id)).size).toBe(1);
      expect(await file.server.app.services.prisma.invitation.count({ where: { organizationId: owner.organizationId, email } })).toBe(1);
    }
  });

  it('concurrent accepts (and a decline) of one invitation: one membership, the others NOT_FOUND, no 500', async () => {
    const owner = await signUp(file.server);
    await createEndpoint(file.server, owner, 'https://hooks.example.test/race', ['member.joined']);
    for (let round = 0; round < 3; round++) {
      const invitee = await signUp(file.server);
      const id = await invited(file.server, owner, invitee.email);
      const responses = await Promise.all([
        ...Array.from({ length: 4 }, () => gql(file.server, ACCEPT, { id }, invitee.auth)),
        gql(file.server, DECLINE, { id }, invitee.auth),
      ]);
      const codes = codesOf(responses);
      expect(codes.filter((c) => c === 'OK/200')).toHaveLength(1);
      expect(codes.filter((c) => c !== 'OK/200').every((c) => c === 'NOT_FOUND/404' || c === 'CONFLICT/409')).toBe(true);
      const { prisma } = file.server.app.services;
      const memberships = await prisma.membership.count({ where: { userId: invitee.userId, organizationId: owner.organizationId } });
      const row = await prisma.invitation.findUniqueOrThrow({ where: { id } });
      // Whoever won decides: an accept makes one membership and one member.joined, a decline none.
      expect(memberships).toBe(row.status === 'ACCEPTED' ? 1 : 0);
      const joined = (await outbox(owner.organizationId, 'member.joined')).filter((d) => d.payload.data.invitationId === id);
      expect(joined).toHaveLength(memberships);
    }
  });
});
