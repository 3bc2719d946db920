// Webhook endpoints through GraphQL: create (secret once), list, update, rotate, delete; URL and
// event validation; OWNER only; another tenant's endpoint or delivery is NOT_FOUND. The SSRF
// policy (private targets refused, at creation and at connect time) and the retry schedule.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelayMs, scheduleSpanMs } from '../server/webhooks/schedule.js';
import { isPublicAddress, urlProblem } from '../server/webhooks/ssrf.js';
import { send } from '../server/webhooks/send.js';
import { loadWebhookConfig } from '../server/webhooks/config.js';
import { openGate, outboxGate, refreshGate } from '../server/webhooks/gate.js';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, joinAs, ok, signUp } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { CREATE_ENDPOINT } from './helpers/webhooks.js';

const LIST = graphql(`query WebhookEndpointsList { me { currentOrganization { webhookEndpoints { id url events } } } }`);
const UPDATE = graphql(`mutation WebhookUpdate($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { id url events } }`);
const DELETE = graphql(`mutation WebhookDelete($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }`);
const ROTATE = graphql(`mutation WebhookRotate($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`);
const REDELIVER_OTHER = graphql(`mutation WebhookRedeliverOther($id: ID!) { redeliverWebhook(id: $id) { id } }`);
const DELIVERIES_OF = graphql(`query WebhookDeliveriesCount { me { currentOrganization { webhookDeliveries { totalCount } } } }`);

const HOOK = 'https://hooks.example.com/session-gateway';
let db: OwnDatabase;
let server: TestServer;
let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  db = await ownDatabase('webhooks_api');
  // The default policy: no private targets.
  server = await startServer({ databaseUrl: db.url, mfaEncryptionKey: randomBytes(32).toString('base64') });
  owner = await signUp(server, { organizationName: 'Owner Org' });
  admin = (await joinAs(server, owner, 'ADMIN')).inOrg;
  member = (await joinAs(server, owner, 'MEMBER')).inOrg;
  stranger = await signUp(server, { organizationName: 'Stranger Org' });
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const create = (by: TestUser, url = HOOK, events = ['session.revoked'], organizationId = owner.organizationId) =>
  gql(server, CREATE_ENDPOINT, { input: { organizationId, url, events } }, by.auth);

describe('webhook endpoints API', () => {
  it('creates an endpoint, shows its secret once, keeps it encrypted', async () => {
    const res = await create(owner, HOOK, ['session.revoked', 'member.invited']);
    expect(res.errors).toBeUndefined();
    const { secret, endpoint } = res.data!.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(endpoint).toMatchObject({ url: HOOK, events: ['session.revoked', 'member.invited'] });
    const list = await ok(server, LIST, undefined, owner.auth);
    expect(list.me.currentOrganization.webhookEndpoints).toContainEqual({ id: endpoint.id, url: HOOK, events: endpoint.events });
    expect(JSON.stringify(list)).not.toContain(secret.slice(6));
    const row = await server.app.services.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.secret.startsWith('enc:')).toBe(true);
    expect(row.secret).not.toContain(secret.slice(6));
  });

  it('refuses bad URLs, private targets and unknown events', async () => {
    for (const url of ['not a url', 'ftp://example.com/x', 'http://127.0.0.1:9/x', 'http://localhost/x', 'http://[::1]/x', 'http://169.254.169.254/latest', 'http://10.0.0.1/', 'https://user:pw@example.com/', `https://example.com/${'a'.repeat(2100)}`]) {
      const res = await create(owner, url);
      expect([url.slice(0, 30), res.code, res.errors?.[0]?.extensions?.field]).toEqual([url.slice(0, 30), 'BAD_USER_INPUT', 'url']);
    }
    for (const events of [[], ['session.exploded']]) {
      const res = await create(owner, HOOK, events);
      expect([res.code, res.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'events']);
    }
  });

  it('updates, rotates and deletes', async () => {
    const { endpoint, secret } = (await create(owner)).data!.createWebhookEndpoint;
    const updated = await ok(server, UPDATE, { input: { id: endpoint.id, url: `${HOOK}/v2`, events: ['member.joined'] } }, owner.auth);
    expect(updated.updateWebhookEndpoint).toEqual({ id: endpoint.id, url: `${HOOK}/v2`, events: ['member.joined'] });
    expect((await gql(server, UPDATE, { input: { id: endpoint.id, url: 'http://127.0.0.1/' } }, owner.auth)).code).toBe('BAD_USER_INPUT');
    const rotated = await ok(server, ROTATE, { id: endpoint.id }, owner.auth);
    expect(rotated.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.rotateWebhookSecret.secret).not.toBe(secret);
    await ok(server, DELETE, { id: endpoint.id }, owner.auth);
    expect((await gql(server, DELETE, { id: endpoint.id }, owner.auth)).code).toBe('NOT_FOUND');
  });

  it('is for OWNERs only: an ADMIN or a MEMBER is FORBIDDEN', async () => {
    const { endpoint } = (await create(owner)).data!.createWebhookEndpoint;
    for (const who of [admin, member]) {
      expect((await create(who)).code).toBe('FORBIDDEN');
      expect((await gql(server, LIST, undefined, who.auth)).code).toBe('FORBIDDEN');
      expect((await gql(server, DELIVERIES_OF, undefined, who.auth)).code).toBe('FORBIDDEN');
      expect((await gql(server, UPDATE, { input: { id: endpoint.id, url: HOOK } }, who.auth)).code).toBe('FORBIDDEN');
      expect((await gql(server, ROTATE, { id: endpoint.id }, who.auth)).code).toBe('FORBIDDEN');
      expect((await gql(server, DELETE, { id: endpoint.id }, who.auth)).code).toBe('FORBIDDEN');
    }
  });

  it("answers NOT_FOUND for another tenant's endpoints and deliveries", async () => {
    const { endpoint } = (await create(owner)).data!.createWebhookEndpoint;
    expect((await create(stranger, HOOK, ['session.revoked'], owner.organizationId)).code).toBe('NOT_FOUND');
    expect((await gql(server, UPDATE, { input: { id: endpoint.id, url: HOOK } }, stranger.auth)).code).toBe('NOT_FOUND');
    expect((await gql(server, ROTATE, { id: endpoint.id }, stranger.auth)).code).toBe('NOT_FOUND');
    expect((await gql(server, DELETE, { id: endpoint.id }, stranger.auth)).code).toBe('NOT_FOUND');
    const { prisma } = server.app.services;
    const delivery = await prisma.webhookDelivery.create({ data: { id: crypto.randomUUID(), endpointId: endpoint.id, organizationId: owner.organizationId, type: 'session.revoked', payload: {}, status: 'FAILED' } });
    expect((await gql(server, REDELIVER_OTHER, { id: delivery.id }, stranger.auth)).code).toBe('NOT_FOUND');
    expect((await gql(server, REDELIVER_OTHER, { id: crypto.randomUUID() }, owner.auth)).code).toBe('NOT_FOUND');
    const strangers = await ok(server, LIST, undefined, stranger.auth);
    expect(strangers.me.currentOrganization.webhookEndpoints).toEqual([]);
    expect((await ok(server, DELIVERIES_OF, undefined, stranger.auth)).me.currentOrganization.webhookDeliveries.totalCount).toBe(0);
  });
});

describe('SSRF policy', () => {
  it('classifies addresses with ipaddr.js', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) expect([a, isPublicAddress(a)]).toEqual([a, false]);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect([a, isPublicAddress(a)]).toEqual([a, true]);
    expect(urlProblem('http://127.0.0.1/', true)).toBeNull();
  });

  it('refuses a loopback target at connect time, by name (lookup hook) and by literal', async () => {
    const receiver = new Receiver();
    await receiver.listen();
    try {
      for (const url of [`http://localhost:${receiver.port}/`, `http://127.0.0.1:${receiver.port}/`, `http://[::ffff:127.0.0.1]:${receiver.port}/`]) {
        const result = await send({ id: 'msg_1', body: '{}', url, secret: `whsec_${randomBytes(24).toString('base64')}` }, { timeoutMs: 2000, allowPrivateTargets: false });
        expect([url, result.ok, result.error]).toEqual([url, false, expect.stringMatching(/refused|not a public address/)]);
      }
      expect(receiver.attempts.size).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});

describe('retry schedule', () => {
  it('spans more than 24 hours by default, doubling with jitter, then gives up', () => {
    const config = loadWebhookConfig({});
    expect(config.maxAttempts).toBe(18);
    for (const random of [0, 0.5, 0.999]) expect(scheduleSpanMs(config, random)).toBeGreaterThan(24 * 3600_000);
    expect(retryDelayMs(config, 1, 0.5)).toBe(10_000);
    expect(retryDelayMs(config, 2, 0.5)).toBe(20_000);
    expect(retryDelayMs(config, 17, 0.5)).toBe(4 * 3600_000);
    expect(retryDelayMs(config, 18, 0.5)).toBeNull();
    const jittered = new Set(Array.from({ length: 20 }, () => retryDelayMs(config, 3)));
    expect(jittered.size).toBeGreaterThan(1);
  });
});

describe('the outbox gate', () => {
  it('is open until looked at, closes when no endpoint exists, and a look in flight cannot close it after a creation', async () => {
    const db = {};
    expect(outboxGate(db).possible).toBe(true);
    await refreshGate(db, async () => false);
    expect(outboxGate(db).possible).toBe(false);
    await refreshGate(db, async () => {
      openGate(db); // an endpoint created here while the look was in flight
      return false;
    });
    expect(outboxGate(db).possible).toBe(true);
    await refreshGate(db, async () => true);
    expect(outboxGate(db).possible).toBe(true);
  });
});
