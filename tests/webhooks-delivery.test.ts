// Webhooks delivered for real: a receiver (node:http) verifies every request with standardwebhooks.
// Sign-in, revocation, role change and removal each arrive, signed, with no token in any body; an
// organisation's endpoint hears only its own organisation; a redirect is not followed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { inviteAndAccept, ok, signIn, signUp } from './helpers/graphql.js';
import { ownDatabase } from './helpers/own-database.js';
import type { OwnDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ALL_EVENTS, createEndpoint, fastWebhooks } from './helpers/webhooks.js';

const REVOKE = graphql(`mutation WebhookRevokeSession($id: ID!) { revokeSession(id: $id) { id } }`);
const SET_ROLE = graphql(`mutation WebhookSetRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);
const REMOVE = graphql(`mutation WebhookRemoveMember($input: RemoveMemberInput!) { removeMember(input: $input) { role } }`);
const DELIVERIES = graphql(`query WebhookDeliveries($first: Int, $after: String) { me { currentOrganization { webhookDeliveries(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type status attemptCount attempts { statusCode error at } } } } } } }`);
const REDELIVER = graphql(`mutation WebhookRedeliver($id: ID!) { redeliverWebhook(id: $id) { id status } }`);

let db: OwnDatabase;
let server: TestServer;
const receiver = new Receiver();
const other = new Receiver();
let owner: TestUser;
const tokens: string[] = [];

beforeAll(async () => {
  db = await ownDatabase('webhooks_delivery');
  server = await startServer({ databaseUrl: db.url, webhooks: fastWebhooks() });
  await receiver.listen();
  await other.listen();
  owner = await signUp(server, { organizationName: 'Hooked' });
  tokens.push(owner.token);
  receiver.secrets.set('/', (await createEndpoint(server, owner, receiver.url, ALL_EVENTS)).secret);
  // Another tenant with its own endpoint: it must never hear Hooked's events.
  const stranger = await signUp(server, { organizationName: 'Elsewhere' });
  tokens.push(stranger.token);
  other.secrets.set('/', (await createEndpoint(server, stranger, other.url, ALL_EVENTS)).secret);
  tokens.push((await signIn(server, stranger)).token);
});
afterAll(async () => {
  await server?.stop();
  await receiver.close();
  await other.close();
  await db?.drop();
});

describe('webhook deliveries', () => {
  it('sends session.created on sign-in, signed', async () => {
    const again = await signIn(server, owner);
    tokens.push(again.token);
    const hit = await receiver.waitFor(() => receiver.of('session.created', (r) => r.payload.data.sessionId === again.sessionId)[0]);
    expect(hit.verified).toBe(true);
    expect(hit.headers['webhook-signature']).toMatch(/^v1,/);
    expect(hit.payload.data).toMatchObject({ userId: owner.userId, organizationId: owner.organizationId, sessionId: again.sessionId });
    expect(hit.payload.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('sends session.revoked with the reason and the actor', async () => {
    const victim = await signIn(server, owner);
    tokens.push(victim.token);
    await ok(server, REVOKE, { id: victim.sessionId }, owner.auth);
    const hit = await receiver.waitFor(() => receiver.of('session.revoked', (r) => r.payload.data.sessionId === victim.sessionId)[0]);
    expect(hit.verified).toBe(true);
    expect(hit.payload.data).toMatchObject({ reason: 'REVOKED_BY_USER', revokedBy: owner.userId, userId: owner.userId });
    expect(hit.payload.data.revokedAt).toEqual(expect.any(String));
  });

  it('sends member.joined, member.role_changed with session.updated, member.removed with the revocations', async () => {
    const member = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
    const inOrg = await signIn(server, member, owner.organizationId);
    tokens.push(member.token, inOrg.token);
    await receiver.waitFor(() => receiver.of('member.joined', (r) => r.payload.data.userId === member.userId)[0]);

    await ok(server, SET_ROLE, { input: { organizationId: owner.organizationId, userId: member.userId, role: 'ADMIN' } }, owner.auth);
    const changed = await receiver.waitFor(() => receiver.of('member.role_changed', (r) => r.payload.data.userId === member.userId)[0]);
    expect(changed.payload.data).toMatchObject({ role: 'ADMIN', previousRole: 'MEMBER', actorUserId: owner.userId });
    const updated = await receiver.waitFor(() => receiver.of('session.updated', (r) => r.payload.data.sessionId === inOrg.sessionId)[0]);
    expect(updated.payload.data).toMatchObject({ reason: 'ROLE_CHANGED', role: 'ADMIN' });

    await ok(server, REMOVE, { input: { organizationId: owner.organizationId, userId: member.userId } }, owner.auth);
    await receiver.waitFor(() => receiver.of('member.removed', (r) => r.payload.data.userId === member.userId)[0]);
    const revoked = await receiver.waitFor(() => receiver.of('session.revoked', (r) => r.payload.data.sessionId === inOrg.sessionId)[0]);
    expect(revoked.payload.data).toMatchObject({ reason: 'MEMBER_REMOVED', revokedBy: owner.userId });
    // Their session in their own organisation is not Hooked's business.
    expect(receiver.received.some((r) => r.payload.data.sessionId === member.sessionId)).toBe(false);
  });

  it('verifies every request, carries no token or hash, keeps tenants apart', async () => {
    await receiver.waitFor(() => receiver.received.length >= 6);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(other.received.length).toBeGreaterThan(0);
    expect(other.received.every((r) => r.verified)).toBe(true);
    const { hashToken } = await import('../server/auth/tokens.js');
    for (const r of [...receiver.received, ...other.received]) {
      for (const token of tokens) {
        expect(r.body).not.toContain(token);
        expect(r.body).not.toContain(hashToken(token));
      }
      expect(r.body).not.toMatch(/tokenHash/i);
    }
    expect(receiver.received.every((r) => r.payload.data.organizationId === owner.organizationId)).toBe(true);
    expect(other.received.some((r) => r.payload.data.organizationId === owner.organizationId)).toBe(false);
  });

  it('lists deliveries with their attempts, and redelivers one with the same webhook-id', async () => {
    const page = await ok(server, DELIVERIES, { first: 2 }, owner.auth);
    const conn = page.me.currentOrganization.webhookDeliveries;
    expect(conn.totalCount).toBeGreaterThanOrEqual(6);
    expect(conn.edges).toHaveLength(2);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const next = await ok(server, DELIVERIES, { first: 2, after: conn.pageInfo.endCursor }, owner.auth);
    expect(next.me.currentOrganization.webhookDeliveries.edges[0]?.node.id).not.toBe(conn.edges[1]?.node.id);
    const all = await ok(server, DELIVERIES, { first: 100 }, owner.auth);
    const done = all.me.currentOrganization.webhookDeliveries.edges.find((e) => e.node.status === 'DELIVERED');
    expect(done?.node.attempts[0]).toMatchObject({ statusCode: 204, error: null });
    const id = done!.node.id;
    const before = receiver.received.filter((r) => r.id === id).length;
    await ok(server, REDELIVER, { id }, owner.auth);
    await receiver.waitFor(() => receiver.received.filter((r) => r.id === id).length > before);
  });

  it('a stalled endpoint delays neither a revocation nor another endpoint', async () => {
    const stalled = new Receiver();
    const healthy = new Receiver();
    await stalled.listen();
    await healthy.listen();
    stalled.mode = 'hang';
    try {
      const org = await signUp(server, { organizationName: 'Half Stalled' });
      await createEndpoint(server, org, stalled.url, ['session.created', 'session.revoked']);
      healthy.secrets.set('/', (await createEndpoint(server, org, healthy.url, ['session.created', 'session.revoked'])).secret);
      const sessions = await Promise.all(Array.from({ length: 10 }, () => signIn(server, org)));
      const started = Date.now();
      await ok(server, REVOKE, { id: sessions[0]!.sessionId }, org.auth);
      const revokeMs = Date.now() - started;
      await healthy.waitFor(() => healthy.of('session.created').length >= 10 && healthy.of('session.revoked').length >= 1, 5000);
      const healthyMs = Date.now() - started;
      // The stalled one holds its own slots (4 per endpoint and instance) until its 2-s timeout, nothing else.
      expect(stalled.attempts.size).toBeLessThanOrEqual(4);
      expect(revokeMs).toBeLessThan(1000);
      expect(healthy.received.every((r) => r.verified)).toBe(true);
      console.log(`stalled endpoint: revocation answered in ${revokeMs} ms, the healthy endpoint had all 11 events ${healthyMs} ms after it`);
    } finally {
      await stalled.close();
      await healthy.close();
    }
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const redirecting = new Receiver();
    await redirecting.listen();
    redirecting.mode = 'redirect';
    try {
      const org = await signUp(server, { organizationName: 'Redirected' });
      redirecting.secrets.set('/', (await createEndpoint(server, org, redirecting.url, ['session.created'])).secret);
      await signIn(server, org);
      await redirecting.waitFor(() => redirecting.attempts.size > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(redirecting.received.filter((r) => r.path === '/landed')).toHaveLength(0);
      const attempts = await server.app.services.prisma.webhookAttempt.findMany({ where: { delivery: { endpoint: { organizationId: org.organizationId } } } });
      expect(attempts[0]).toMatchObject({ statusCode: 302, error: expect.stringMatching(/redirect/) });
    } finally {
      await redirecting.close();
    }
  });
});
