// organizationSessionEvents: an organisation's OWNERs and ADMINs hear every change of every session
// bound to it (CREATED, REVOKED with its reason, UPDATED, ONLINE / OFFLINE), and nothing of its
// members' sessions elsewhere; MEMBER is FORBIDDEN, another organisation NOT_FOUND.
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createOrganization, inviteAndAccept, joinAs, ok, signIn, signUp } from './helpers/graphql.js';
import type { OrgEvent } from './helpers/live.js';
import { following, orgEvents, REVOKE, subscribeOrg, waitForOrgEvent } from './helpers/live.js';
import { serverForFile } from './helpers/per-file.js';
import type { Frame, LiveSocket } from './helpers/ws.js';
import { openLive } from './helpers/ws.js';

const file = serverForFile();

const REVOKE_MEMBER = graphql(`mutation OrgEventsRevokeMember($input: RevokeMemberSessionsInput!) { revokeMemberSessions(input: $input) { revokedCount } }`);
const SET_ROLE = graphql(`mutation OrgEventsSetRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);
const SIGN_OUT = graphql(`mutation OrgEventsSignOut { signOut }`);

/** The one answer of a subscription refused at subscribe: its coded error. */
async function refusal(socket: LiveSocket, id: string): Promise<string | undefined> {
  const frame: Frame = await socket.waitForFrame((f) => f.id === id && (f.type === 'next' || f.type === 'error'));
  const errors = (frame.type === 'error' ? frame.payload : (frame.payload as { errors?: unknown }).errors) as { extensions?: { code?: string } }[];
  return errors[0]?.extensions?.code;
}

describe('organizationSessionEvents', () => {
  it("tells the owner of a member's sign-in, role change, revocations (with their reason) and presence, and nothing of the member's sessions elsewhere", async () => {
    const owner = await signUp(file.server);
    const { home, inOrg } = await joinAs(file.server, owner, 'MEMBER');
    const admin = await following(file.server, owner.token, owner.organizationId, () => signIn(file.server, owner));
    // A sign-in of the member in the organisation: CREATED; in their own organisation: nothing.
    const elsewhere = await signIn(file.server, home);
    const tab = await signIn(file.server, home, owner.organizationId);
    expect(await waitForOrgEvent(admin, (e) => e.type === 'CREATED' && e.session.id === tab.sessionId)).toMatchObject({ reason: null, session: { organization: { id: owner.organizationId } } });
    // A socket of the member's: ONLINE; closed: OFFLINE.
    const memberSocket = await openLive(file.server.wsUrl, { token: tab.token });
    await waitForOrgEvent(admin, (e) => e.type === 'ONLINE' && e.session.id === tab.sessionId);
    memberSocket.close();
    await waitForOrgEvent(admin, (e) => e.type === 'OFFLINE' && e.session.id === tab.sessionId);
    // Role change: UPDATED on each of the member's sessions in the organisation.
    await ok(file.server, SET_ROLE, { input: { organizationId: owner.organizationId, userId: home.userId, role: 'ADMIN' } }, owner.auth);
    expect(await waitForOrgEvent(admin, (e) => e.type === 'UPDATED' && e.session.id === tab.sessionId)).toMatchObject({ update: 'ROLE_CHANGED' });
    // Revoked by the member themselves, then by the owner.
    await ok(file.server, REVOKE, { id: tab.sessionId }, inOrg.auth);
    expect(await waitForOrgEvent(admin, (e) => e.type === 'REVOKED' && e.session.id === tab.sessionId)).toMatchObject({ reason: 'REVOKED_BY_USER' });
    await ok(file.server, REVOKE_MEMBER, { input: { organizationId: owner.organizationId, userId: home.userId } }, owner.auth);
    expect(await waitForOrgEvent(admin, (e) => e.type === 'REVOKED' && e.session.id === inOrg.sessionId)).toMatchObject({ reason: 'REVOKED_BY_ADMIN' });
    // The member's own organisation: its session signs out; the owner hears nothing of it.
    await ok(file.server, SIGN_OUT, undefined, elsewhere.auth);
    const last = await signIn(file.server, owner);
    await waitForOrgEvent(admin, (e) => e.type === 'CREATED' && e.session.id === last.sessionId);
    const seen = orgEvents(admin);
    expect(seen.every((e: OrgEvent) => e.session.organization.id === owner.organizationId)).toBe(true);
    expect(seen.some((e) => [home.sessionId, elsewhere.sessionId].includes(e.session.id))).toBe(false);
    admin.close();
  });

  it('refuses a MEMBER (FORBIDDEN), another organisation and a malformed id (NOT_FOUND); an ADMIN may follow', async () => {
    const owner = await signUp(file.server);
    const { inOrg: member } = await joinAs(file.server, owner, 'MEMBER');
    const { inOrg: admin } = await joinAs(file.server, owner, 'ADMIN');
    const stranger = await signUp(file.server);
    const socket = await openLive(file.server.wsUrl, { token: member.token });
    subscribeOrg(socket, owner.organizationId, 'member');
    expect(await refusal(socket, 'member')).toBe('FORBIDDEN');
    const adminSocket = await openLive(file.server.wsUrl, { token: admin.token });
    subscribeOrg(adminSocket, stranger.organizationId, 'other');
    subscribeOrg(adminSocket, 'not-an-id', 'bad');
    subscribeOrg(adminSocket, '00000000-0000-4000-8000-000000000000', 'none');
    expect(await refusal(adminSocket, 'other')).toBe('NOT_FOUND');
    expect(await refusal(adminSocket, 'bad')).toBe('NOT_FOUND');
    expect(await refusal(adminSocket, 'none')).toBe('NOT_FOUND');
    expect(adminSocket.ws.readyState).toBe(adminSocket.ws.OPEN);
    socket.close();
    adminSocket.close();
  });

  it("a demoted admin's subscription ends at once with FORBIDDEN; the socket and its sessionEvents live on", async () => {
    const owner = await signUp(file.server);
    const { home, inOrg } = await joinAs(file.server, owner, 'ADMIN');
    const socket = await following(file.server, inOrg.token, owner.organizationId, () => signIn(file.server, owner));
    socket.subscribe('own');
    await new Promise((r) => setTimeout(r, 100));
    await ok(file.server, SET_ROLE, { input: { organizationId: owner.organizationId, userId: home.userId, role: 'MEMBER' } }, owner.auth);
    const ended = await socket.waitForFrame((f) => f.id === 'org' && f.type === 'error');
    expect((ended.payload as { extensions: { code: string } }[])[0]?.extensions.code).toBe('FORBIDDEN');
    // Their own session's UPDATED, and a later sign-in of theirs, still arrive on the same socket.
    await socket.waitForEvent((e) => e.type === 'UPDATED' && e.session.id === inOrg.sessionId);
    const next = await signIn(file.server, home);
    await socket.waitForEvent((e) => e.type === 'CREATED' && e.session.id === next.sessionId);
    const before = orgEvents(socket).length;
    await signIn(file.server, owner);
    await new Promise((r) => setTimeout(r, 200));
    expect(orgEvents(socket)).toHaveLength(before);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('a removed admin following from a session of another organisation: FORBIDDEN at once, their socket stays', async () => {
    const owner = await signUp(file.server);
    const second = await createOrganization(file.server, owner, 'Followed Org');
    const { home } = await joinAs(file.server, owner, 'ADMIN');
    await inviteAndAccept(file.server, owner, second, home, 'ADMIN');
    const socket = await following(file.server, home.token, second, () => signIn(file.server, owner, second));
    await ok(file.server, graphql(`mutation OrgEventsRemove($input: RemoveMemberInput!) { removeMember(input: $input) { id } }`), { input: { organizationId: second, userId: home.userId } }, owner.auth);
    const ended = await socket.waitForFrame((f) => f.id === 'org' && f.type === 'error');
    expect((ended.payload as { extensions: { code: string } }[])[0]?.extensions.code).toBe('FORBIDDEN');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it("a mass kick (revokeOrganizationSessions) reaches the owner as one REVOKED per session, with the admin's reason", async () => {
    const owner = await signUp(file.server);
    const members = await Promise.all(Array.from({ length: 12 }, () => joinAs(file.server, owner, 'MEMBER')));
    const admin = await following(file.server, owner.token, owner.organizationId, () => signIn(file.server, owner));
    const revoked = await ok(file.server, graphql(`mutation OrgEventsKick($o: ID!) { revokeOrganizationSessions(organizationId: $o) { revokedCount } }`), { o: owner.organizationId }, owner.auth);
    const kicked = members.map((m) => m.inOrg.sessionId);
    for (const id of kicked) expect(await waitForOrgEvent(admin, (e) => e.type === 'REVOKED' && e.session.id === id)).toMatchObject({ reason: 'REVOKED_BY_ADMIN' });
    expect(orgEvents(admin).filter((e) => e.type === 'REVOKED')).toHaveLength(revoked.revokeOrganizationSessions.revokedCount);
    // The members' sessions in their own organisations were not touched, and never told.
    expect(orgEvents(admin).some((e) => members.some((m) => m.home.sessionId === e.session.id))).toBe(false);
    expect(admin.ws.readyState).toBe(admin.ws.OPEN);
    admin.close();
  });
});
