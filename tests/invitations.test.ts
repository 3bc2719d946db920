// Invitations (issue #14): inviting, accepting, declining, expiry, through the real server with a
// real SMTP sink. Who may see and revoke them: invitations-access.test.ts; webhooks and races:
// invitations-events.test.ts.
import { describe, expect, it } from 'vitest';
import type { Auth, GqlError } from './helpers/graphql.js';
import { gql, joinAs, ok, signIn, signUp, uniqueEmail } from './helpers/graphql.js';
import { ACCEPT, DECLINE, INVITE, invite, invited, MY_INVITATIONS } from './helpers/invitations.js';
import { serverForFile } from './helpers/per-file.js';
import { decodeQuotedPrintable, mailSinkForFile } from './helpers/smtp.js';

const mail = mailSinkForFile();
const file = serverForFile(() => ({ smtpUrl: mail.sink.url }));
const DAY = 24 * 60 * 60 * 1000;

const invitationsOf = (orgId: string) => file.server.app.services.prisma.invitation.findMany({ where: { organizationId: orgId }, orderBy: { createdAt: 'asc' } });

describe('inviteMember', () => {
  it('answers alike for an address with an account and one without, and mails both a link to the app', async () => {
    const owner = await signUp(file.server, { name: 'Ada Owner', organizationName: 'Analytical' });
    const existing = await signUp(file.server);
    // Addresses of one length: the answers can be compared byte for byte.
    const unknown = uniqueEmail();
    const [a, b] = [await invite(file.server, owner, existing.email), await invite(file.server, owner, unknown)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.errors, b.errors]).toEqual([undefined, undefined]);
    // Everything but the id, the address and the instants is the same; nothing tells an account apart.
    const shape = (r: typeof a) => {
      const { id, email, createdAt, expiresAt, ...rest } = r.data!.inviteMember;
      return { rest, types: [typeof id, typeof email, typeof createdAt, typeof expiresAt] };
    };
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a).rest).toEqual({ role: 'MEMBER', status: 'PENDING', respondedAt: null, organization: { id: owner.organizationId, name: 'Analytical' }, invitedBy: { id: owner.userId, name: 'Ada Owner' } });
    expect(Object.keys(a.data!.inviteMember)).toEqual(Object.keys(b.data!.inviteMember));
    expect(a.headers.get('content-length')).toBe(b.headers.get('content-length'));
    for (const to of [existing.email, unknown]) {
      const text = decodeQuotedPrintable((await mail.sink.waitFor(to)).raw);
      expect(text).toContain('Ada Owner invited');
      expect(text).toContain('to join Analytical on Session Gateway as a member.');
      expect(text).toContain(`${file.server.url.replace('127.0.0.1', 'localhost')}/account#invitations`);
    }
    const rows = await invitationsOf(owner.organizationId);
    expect(rows.map((r) => r.email)).toEqual([existing.email, unknown]);
    const week = rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime();
    expect(week).toBe(7 * DAY);
    const audits = await file.server.app.services.prisma.auditEvent.findMany({ where: { organizationId: owner.organizationId, type: 'MEMBER_INVITED' } });
    expect(audits.map((e) => e.details)).toEqual(expect.arrayContaining([expect.objectContaining({ invitationId: a.data!.inviteMember.id, email: existing.email, role: 'MEMBER' })]));
  });

  it('only an OWNER invites an OWNER; a MEMBER cannot invite; a non-member is NOT_FOUND; nothing is written', async () => {
    const owner = await signUp(file.server);
    const { inOrg: admin } = await joinAs(file.server, owner, 'ADMIN');
    const { inOrg: member } = await joinAs(file.server, owner, 'MEMBER');
    const outsider = await signUp(file.server);
    const before = await invitationsOf(owner.organizationId);
    const byAdmin = await invite(file.server, admin, uniqueEmail(), 'OWNER');
    expect([byAdmin.code, byAdmin.errors?.[0]?.message]).toEqual(['FORBIDDEN', 'Only an owner can invite an owner.']);
    expect((await invite(file.server, member, uniqueEmail(), 'MEMBER')).code).toBe('FORBIDDEN');
    expect((await invite(file.server, outsider, uniqueEmail(), 'MEMBER', owner.organizationId)).code).toBe('NOT_FOUND');
    expect((await invite(file.server, owner, uniqueEmail(), 'MEMBER', 'not-a-uuid')).code).toBe('NOT_FOUND');
    expect(await invitationsOf(owner.organizationId)).toEqual(before);
    // The ADMIN may invite an ADMIN, the OWNER an OWNER.
    expect((await invite(file.server, admin, uniqueEmail(), 'ADMIN')).data?.inviteMember.role).toBe('ADMIN');
    expect((await invite(file.server, owner, uniqueEmail(), 'OWNER')).data?.inviteMember.role).toBe('OWNER');
  });

  it('needs a recent authentication, checks the address, and answers CONFLICT for a member', async () => {
    const owner = await signUp(file.server);
    const { home: member } = await joinAs(file.server, owner, 'MEMBER');
    const bad = await invite(file.server, owner, 'not an address');
    expect([bad.code, bad.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'email']);
    const dup = await invite(file.server, owner, member.email.toUpperCase());
    expect([dup.code, dup.errors?.[0]?.extensions?.field]).toEqual(['CONFLICT', 'email']);
    file.server.clock.advance(301_000);
    expect((await invite(file.server, owner, uniqueEmail())).code).toBe('REAUTHENTICATION_REQUIRED');
    expect(await invitationsOf(owner.organizationId)).toHaveLength(1); // the member's own, accepted
  });

  it('a second invitation of a pending address renews it: same row, new role and expiry', async () => {
    const owner = await signUp(file.server);
    const { inOrg: admin } = await joinAs(file.server, owner, 'ADMIN');
    const email = uniqueEmail();
    const first = await invited(file.server, owner, email, 'MEMBER');
    const [row] = await file.server.app.services.prisma.invitation.findMany({ where: { id: first } });
    file.server.clock.advance(60_000);
    const again = await ok(file.server, INVITE, { input: { organizationId: owner.organizationId, email, role: 'ADMIN' } }, admin.auth);
    expect(again.inviteMember).toMatchObject({ id: first, role: 'ADMIN', status: 'PENDING', invitedBy: { id: admin.userId } });
    expect(new Date(again.inviteMember.expiresAt).getTime()).toBeGreaterThanOrEqual(row!.expiresAt.getTime() + 60_000);
    expect(await file.server.app.services.prisma.invitation.count({ where: { organizationId: owner.organizationId, email } })).toBe(1);
    // An ADMIN cannot turn an OWNER invitation into another.
    const ownerInvite = uniqueEmail();
    await invited(file.server, owner, ownerInvite, 'OWNER');
    expect((await invite(file.server, admin, ownerInvite, 'MEMBER')).code).toBe('FORBIDDEN');
  });
});

describe('answering', () => {
  it('accepting makes the membership with the invited role and marks the invitation ACCEPTED', async () => {
    const owner = await signUp(file.server);
    const invitee = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email.toUpperCase(), 'ADMIN');
    const { acceptInvitation } = await ok(file.server, ACCEPT, { id }, invitee.auth);
    expect(acceptInvitation).toMatchObject({ role: 'ADMIN', user: { id: invitee.userId }, organization: { id: owner.organizationId } });
    const { prisma } = file.server.app.services;
    const membership = await prisma.membership.findUniqueOrThrow({ where: { userId_organizationId: { userId: invitee.userId, organizationId: owner.organizationId } } });
    expect(membership.role).toBe('ADMIN');
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'ACCEPTED', respondedAt: expect.any(Date) });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { type: 'INVITATION_ACCEPTED', userId: invitee.userId } });
    expect(audit).toMatchObject({ organizationId: owner.organizationId, details: { invitationId: id, role: 'ADMIN', memberUserId: invitee.userId } });
    // The new member can sign in there; the invitation is spent.
    expect((await signIn(file.server, invitee, owner.organizationId)).organizationId).toBe(owner.organizationId);
    expect((await gql(file.server, ACCEPT, { id }, invitee.auth)).code).toBe('NOT_FOUND');
    expect((await ok(file.server, MY_INVITATIONS, undefined, invitee.auth)).me.invitations).toEqual([]);
  });

  it("someone else's, an unknown, a malformed and an answered invitation are NOT_FOUND alike", async () => {
    const owner = await signUp(file.server);
    const invitee = await signUp(file.server);
    const other = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email);
    const declinedId = await invited(file.server, owner, other.email);
    await ok(file.server, DECLINE, { id: declinedId }, other.auth);
    const shown = (r: { status: number; code: string | undefined; errors: GqlError[] | undefined }) => ({ status: r.status, code: r.code, message: r.errors?.[0]?.message });
    const expected = { status: 404, code: 'NOT_FOUND', message: 'Invitation not found.' };
    const answers = [(i: string, auth: Auth) => gql(file.server, ACCEPT, { id: i }, auth), (i: string, auth: Auth) => gql(file.server, DECLINE, { id: i }, auth)];
    for (const answer of answers) {
      expect(shown(await answer(id, other.auth))).toEqual(expected);
      expect(shown(await answer(id, owner.auth))).toEqual(expected);
      expect(shown(await answer(crypto.randomUUID(), invitee.auth))).toEqual(expected);
      expect(shown(await answer('not-a-uuid', invitee.auth))).toEqual(expected);
      expect(shown(await answer(declinedId, other.auth))).toEqual(expected);
    }
    expect((await gql(file.server, ACCEPT, { id })).code).toBe('UNAUTHENTICATED');
    const { prisma } = file.server.app.services;
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'PENDING', respondedAt: null });
    expect(await prisma.membership.count({ where: { organizationId: owner.organizationId } })).toBe(1);
  });

  it('declining marks it DECLINED and makes no membership', async () => {
    const owner = await signUp(file.server);
    const invitee = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email, 'ADMIN');
    const { declineInvitation } = await ok(file.server, DECLINE, { id }, invitee.auth);
    expect(declineInvitation).toMatchObject({ id, status: 'DECLINED', respondedAt: expect.any(String) });
    const { prisma } = file.server.app.services;
    expect(await prisma.membership.count({ where: { userId: invitee.userId, organizationId: owner.organizationId } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { type: 'INVITATION_DECLINED', userId: invitee.userId, organizationId: owner.organizationId } })).toBe(1);
    expect((await gql(file.server, ACCEPT, { id }, invitee.auth)).code).toBe('NOT_FOUND');
  });

  it('a member by the time of accepting: CONFLICT, and the invitation stays pending', async () => {
    const owner = await signUp(file.server);
    const invitee = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email);
    // No API path makes a member with an invitation pending (it would be renewed, not doubled): the row is set up directly.
    await file.server.app.services.prisma.membership.create({ data: { userId: invitee.userId, organizationId: owner.organizationId, role: 'MEMBER' } });
    const res = await gql(file.server, ACCEPT, { id }, invitee.auth);
    expect([res.status, res.code]).toEqual([409, 'CONFLICT']);
    expect((await file.server.app.services.prisma.invitation.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');
  });

  it("me.invitations lists the viewer's own pending invitations only, whatever the case they were sent in", async () => {
    const owner = await signUp(file.server, { organizationName: 'Listing' });
    const invitee = await signUp(file.server);
    const other = await signUp(file.server);
    const mine = await invited(file.server, owner, invitee.email.toUpperCase());
    await invited(file.server, owner, other.email);
    const declined = await invited(file.server, other, invitee.email);
    await ok(file.server, DECLINE, { id: declined }, invitee.auth);
    const { me } = await ok(file.server, MY_INVITATIONS, undefined, invitee.auth);
    expect(me.invitations.map((i) => [i.id, i.email, i.status, i.organization.name])).toEqual([[mine, invitee.email, 'PENDING', 'Listing']]);
  });

  it('expires after 7 days: EXPIRED, unlisted, not acceptable; inviting again renews it', async () => {
    const owner = await signUp(file.server);
    const invitee = await signUp(file.server);
    const id = await invited(file.server, owner, invitee.email);
    file.server.clock.advance(7 * DAY - 60_000);
    const before = await signIn(file.server, invitee);
    expect((await ok(file.server, MY_INVITATIONS, undefined, before.auth)).me.invitations.map((i) => i.id)).toEqual([id]);
    file.server.clock.advance(120_000);
    const after = await signIn(file.server, invitee);
    expect((await ok(file.server, MY_INVITATIONS, undefined, after.auth)).me.invitations).toEqual([]);
    expect((await gql(file.server, ACCEPT, { id }, after.auth)).code).toBe('NOT_FOUND');
    expect((await gql(file.server, DECLINE, { id }, after.auth)).code).toBe('NOT_FOUND');
    const ownerNow = await signIn(file.server, owner);
    const renewed = await invite(file.server, ownerNow, invitee.email);
    expect(renewed.data?.inviteMember).toMatchObject({ id, status: 'PENDING' });
    expect((await ok(file.server, ACCEPT, { id }, after.auth)).acceptInvitation.role).toBe('MEMBER');
  });
});
