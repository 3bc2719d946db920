// Live sessions over graphql-ws, event payloads: what a change event or a socket's own answer says
// (each session's role as of the change, fields that need a query), as a browser tab asks for it.
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { inviteAndAccept, createOrganization, documentText, ok, signIn, signUp } from './helpers/graphql.js';
import { REVOKE } from './helpers/live.js';
import { serverForFile } from './helpers/per-file.js';
import { openLive, untilStreams } from './helpers/ws.js';

const file = serverForFile();
const stats = () => file.server.app.registry.stats();
const SET_ROLE = graphql(`mutation SetMemberRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);

describe('the graphql-transport-ws protocol: event payloads', () => {
  it('a revoked socket\'s own REVOKED event still resolves its session\'s role', async () => {
    const u = await signUp(file.server);
    const other = await signIn(file.server, u);
    const socket = await openLive(file.server.wsUrl, { token: other.token });
    const before = stats().streams;
    socket.subscribe('1', documentText(graphql(`subscription SessionEventRoles { sessionEvents { type session { id role isCurrent } } }`)));
    await untilStreams(stats, before + 1);
    await ok(file.server, REVOKE, { id: other.sessionId }, u.auth);
    const next = await socket.waitForFrame((f) => f.type === 'next');
    expect(next.payload).toEqual({ data: { sessionEvents: { type: 'REVOKED', session: { id: other.sessionId, role: 'OWNER', isCurrent: true } } } });
    expect((await socket.closed).code).toBe(4403);
  });

  it('change events carry each session\'s role as of the change, as a browser tab asks for it', async () => {
    const owner = await signUp(file.server);
    const member = await signUp(file.server);
    await inviteAndAccept(file.server, owner, owner.organizationId, member, 'MEMBER');
    const home = await openLive(file.server.wsUrl, { token: member.token });
    const before = stats().streams;
    home.subscribe('1', documentText(graphql(`subscription SessionEventsWithRoles { sessionEvents { type reason update session { id role isCurrent revokedAt organization { id } } } }`)));
    await untilStreams(stats, before + 1);
    const inTeam = await signIn(file.server, member, owner.organizationId);
    const created = await home.waitForFrame((f) => f.type === 'next');
    expect(created.payload).toEqual({ data: { sessionEvents: { type: 'CREATED', reason: null, update: null, session: { id: inTeam.sessionId, role: 'MEMBER', isCurrent: false, revokedAt: null, organization: { id: owner.organizationId } } } } });
    const roleInput = { organizationId: owner.organizationId, userId: member.userId, role: 'ADMIN' } as const;
    await ok(file.server, SET_ROLE, { input: roleInput }, owner.auth);
    const updated = await home.waitForFrame((f) => f.type === 'next' && JSON.stringify(f.payload).includes('UPDATED'));
    expect(updated.payload).toEqual({ data: { sessionEvents: { type: 'UPDATED', reason: null, update: 'ROLE_CHANGED', session: { id: inTeam.sessionId, role: 'ADMIN', isCurrent: false, revokedAt: null, organization: { id: owner.organizationId } } } } });
    await ok(file.server, REVOKE, { id: inTeam.sessionId }, member.auth);
    const revoked = await home.waitForFrame((f) => f.type === 'next' && JSON.stringify(f.payload).includes('REVOKED'));
    // The revocation's row in the database is the one the event showed (the statement returns it).
    const row = await file.server.app.services.prisma.session.findUniqueOrThrow({ where: { id: inTeam.sessionId } });
    expect(row.revokedReason).toBe('REVOKED_BY_USER');
    expect(Math.abs(row.revokedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(revoked.payload).toEqual({ data: { sessionEvents: { type: 'REVOKED', reason: 'REVOKED_BY_USER', update: null, session: { id: inTeam.sessionId, role: 'ADMIN', isCurrent: false, revokedAt: row.revokedAt!.toISOString(), organization: { id: owner.organizationId } } } } });
    home.close();
  });

  it('a kicked subscription whose fields need a query still gets its REVOKED event, then complete, then the close', async () => {
    const u = await signUp(file.server);
    const other = await signIn(file.server, u);
    const socket = await openLive(file.server.wsUrl, { token: other.token });
    const before = stats().streams;
    // members is read from the database: the event is executed asynchronously, and the close waits for it.
    socket.subscribe('1', documentText(graphql(`subscription SessionEventMembers { sessionEvents { type session { id organization { members { role } } } } }`)));
    await untilStreams(stats, before + 1);
    await ok(file.server, REVOKE, { id: other.sessionId }, u.auth);
    expect((await socket.closed).code).toBe(4403);
    const after = socket.frames.filter((f) => f.type !== 'connection_ack').map((f) => f.type);
    expect(after).toEqual(['next', 'complete']);
    expect(socket.frames.find((f) => f.type === 'next')?.payload).toEqual({ data: { sessionEvents: { type: 'REVOKED', session: { id: other.sessionId, organization: { members: [{ role: 'OWNER' }] } } } } });
  });

  it('a sign-in over the socket answers with the new session\'s role, not the socket\'s user\'s', async () => {
    const owner = await signUp(file.server);
    const member = await signUp(file.server);
    const orgId = await createOrganization(file.server, owner, 'Roles Org');
    await inviteAndAccept(file.server, owner, orgId, member, 'MEMBER');
    const socket = await openLive(file.server.wsUrl, { token: owner.token });
    const input = { email: member.email, password: member.password, organizationId: orgId };
    socket.send({ type: 'subscribe', id: 's', payload: { query: documentText(graphql(`mutation SignInSessionRole($input: SignInInput!) { signIn(input: $input) { user { id } session { role isCurrent organization { id } } } }`)), variables: { input } } });
    const next = await socket.waitForFrame((f) => f.type === 'next' && f.id === 's');
    expect(next.payload).toEqual({ data: { signIn: { user: { id: member.userId }, session: { role: 'MEMBER', isCurrent: true, organization: { id: orgId } } } } });
    socket.close();
  });

});
