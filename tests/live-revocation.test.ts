// Live sessions over graphql-ws, revocation: a revoked, signed-out, switched, removed or expired
// session's sockets hear their own REVOKED event and are closed with 4403 at once; the other tabs
// see the change.
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { inviteAndAccept, createOrganization, ok, signIn, signUp } from './helpers/graphql.js';
import { live, REVOKE } from './helpers/live.js';
import { serverForFile } from './helpers/per-file.js';
import { startServer } from './helpers/server.js';
import { openLive, untilStreams } from './helpers/ws.js';

const file = serverForFile();

describe('revocation kicks', () => {
  it('revokeSession: the revoked socket gets its own REVOKED event, then a 4403 close; the other tab sees the change', async () => {
    const u = await signUp(file.server);
    const phone = await signIn(file.server, u);
    const [laptopSocket, phoneSocket] = await live(file.server, u, phone);
    const sent = performance.now();
    await ok(file.server, REVOKE, { id: phone.sessionId }, u.auth);
    const own = await phoneSocket!.waitForEvent((e) => e.type === 'REVOKED');
    const closed = await phoneSocket!.closed;
    expect(own).toMatchObject({ reason: 'REVOKED_BY_USER', session: { id: phone.sessionId, isCurrent: true } });
    expect(closed).toMatchObject({ code: 4403, reason: 'REVOKED_BY_USER' });
    expect(closed.at).toBeGreaterThanOrEqual(own.at);
    expect(phoneSocket!.events).toHaveLength(1);
    const seen = await laptopSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === phone.sessionId);
    expect(seen.session.isCurrent).toBe(false);
    // From the request: the local kick runs before the mutation answers, so a time from the answer can be negative.
    console.log(`KICK revokeSession: request sent→close ${(closed.at - sent).toFixed(1)} ms`);
    laptopSocket!.close();
  });

  it('a revoked session that reconnects is refused', async () => {
    const u = await signUp(file.server);
    const other = await signIn(file.server, u);
    await ok(file.server, REVOKE, { id: other.sessionId }, u.auth);
    const again = await openLive(file.server.wsUrl, { token: other.token });
    expect((await again.closed).code).toBe(4403);
  });

  it('revokeOtherSessions: each revoked socket hears only its own event (no quadratic fan-out)', async () => {
    const u = await signUp(file.server);
    const orgB = await createOrganization(file.server, u);
    const others = [await signIn(file.server, u), await signIn(file.server, u, orgB), await signIn(file.server, u, orgB)];
    const current = await signIn(file.server, u);
    const [currentSocket, ...otherSockets] = await live(file.server, current, ...others);
    // From the request: the local kick runs before the mutation answers.
    const sent = performance.now();
    const res = await ok(file.server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), undefined, current.auth);
    expect(res.revokeOtherSessions.revokedCount).toBe(4);
    const closes = await Promise.all(otherSockets.map((s) => s.closed));
    expect(closes.map((c) => c.code)).toEqual([4403, 4403, 4403]);
    otherSockets.forEach((s, i) => {
      expect(s.events).toHaveLength(1);
      expect(s.events[0]).toMatchObject({ type: 'REVOKED', reason: 'REVOKED_OTHER_SESSIONS', session: { id: others[i]!.sessionId, isCurrent: true } });
    });
    await currentSocket!.waitForEvent(() => currentSocket!.events.filter((e) => e.type === 'REVOKED').length === 4);
    expect(currentSocket!.ws.readyState).toBe(currentSocket!.ws.OPEN);
    console.log(`KICK revokeOtherSessions: request sent→last close ${(Math.max(...closes.map((c) => c.at)) - sent).toFixed(1)} ms`);
    currentSocket!.close();
  });

  it('signOut closes the sockets of the signed-out session', async () => {
    const u = await signUp(file.server);
    const [a, b] = await live(file.server, u, u);
    await ok(file.server, graphql(`mutation SignOut { signOut }`), undefined, u.auth);
    for (const socket of [a!, b!]) {
      expect((await socket.closed).code).toBe(4403);
      expect(socket.events[0]).toMatchObject({ type: 'REVOKED', reason: 'SIGNED_OUT' });
    }
  });

  it('switchOrganization closes the sockets of the session it replaces, and the other tab sees both changes', async () => {
    const u = await signUp(file.server);
    const orgB = await createOrganization(file.server, u);
    const watcher = await signIn(file.server, u);
    const [switching, watching] = await live(file.server, u, watcher);
    const switched = await ok(file.server, graphql(`mutation SwitchOrganizationSession($id: ID!) { switchOrganization(organizationId: $id) { session { id } } }`), { id: orgB }, u.auth);
    expect((await switching!.closed).code).toBe(4403);
    // it may first see the new session appear (CREATED); its own REVOKED is always the last word
    expect(switching!.events.at(-1)).toMatchObject({ type: 'REVOKED', reason: 'ORGANIZATION_SWITCHED', session: { id: u.sessionId, isCurrent: true } });
    await watching!.waitForEvent((e) => e.type === 'CREATED' && e.session.id === switched.switchOrganization.session.id);
    await watching!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === u.sessionId);
    watching!.close();
  });

  it('a sign-in elsewhere appears on the open tab as CREATED', async () => {
    const u = await signUp(file.server);
    const [tab] = await live(file.server, u);
    const phone = await signIn(file.server, u);
    const event = await tab!.waitForEvent((e) => e.type === 'CREATED');
    expect(event.session).toMatchObject({ id: phone.sessionId, isCurrent: false });
    tab!.close();
  });

  it('member removal closes that member\'s sockets in the organisation; a role change sends UPDATED', async () => {
    const owner = await signUp(file.server);
    const member = await signUp(file.server);
    await inviteAndAccept(file.server, owner, owner.organizationId, member, 'MEMBER');
    const inTeam = await signIn(file.server, member, owner.organizationId);
    const [teamSocket, homeSocket] = await live(file.server, inTeam, member);
    await ok(file.server, graphql(`mutation SetMemberRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`), { input: { organizationId: owner.organizationId, userId: member.userId, role: 'ADMIN' } }, owner.auth);
    const updated = await teamSocket!.waitForEvent((e) => e.type === 'UPDATED');
    expect(updated).toMatchObject({ reason: null, update: 'ROLE_CHANGED', session: { id: inTeam.sessionId, isCurrent: true } });
    await ok(file.server, graphql(`mutation RemoveMemberRole($input: RemoveMemberInput!) { removeMember(input: $input) { role } }`), { input: { organizationId: owner.organizationId, userId: member.userId } }, owner.auth);
    expect((await teamSocket!.closed).code).toBe(4403);
    expect(teamSocket!.events.at(-1)).toMatchObject({ type: 'REVOKED', reason: 'MEMBER_REMOVED' });
    await homeSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === inTeam.sessionId);
    expect(homeSocket!.ws.readyState).toBe(homeSocket!.ws.OPEN);
    homeSocket!.close();
  });

  it('checks the session again on every subscribe', async () => {
    // Without the session cache (as with Redis), where the database is read on every check.
    const uncached = await startServer({ sessionCacheTtlMs: 0 });
    try {
      const u = await signUp(uncached);
      const socket = await openLive(uncached.wsUrl, { token: u.token });
      // revoked behind the gateway's back: no event is published, so only the subscribe check can see it
      await uncached.app.services.prisma.session.update({ where: { id: u.sessionId }, data: { revokedAt: new Date(), revokedReason: 'TEST' } });
      socket.subscribe();
      expect((await socket.closed).code).toBe(4403);
    } finally {
      await uncached.stop();
    }
  });
});

describe('expiry', () => {
  it('closes a socket when its session expires, on time, without any request', async () => {
    const shortLived = await startServer({ sessionLifetimeMs: 2000 });
    try {
      const u = await signUp(shortLived);
      const socket = await openLive(shortLived.wsUrl, { token: u.token });
      socket.subscribe();
      await untilStreams(() => shortLived.app.registry.stats(), 1);
      const created = await shortLived.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
      const closed = await socket.closed;
      expect(closed.code).toBe(4403);
      expect(socket.events[0]).toMatchObject({ type: 'REVOKED', reason: 'EXPIRED' });
      const lateByMs = Date.now() - created.expiresAt.getTime();
      expect(lateByMs).toBeLessThan(1500);
      console.log(`KICK expiry: closed ${lateByMs} ms after expiresAt`);
      const deadline = Date.now() + 2000;
      while (shortLived.app.registry.stats().connections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(shortLived.app.registry.stats().connections).toBe(0);
    } finally {
      await shortLived.stop();
    }
  });
});
