// CAEP endpoints for real: a receiver verifies every Security Event Token with jose against the
// gateway's served /.well-known/jwks.json (issuer, audience, typ secevent+jwt), checks the RFC 9493
// complex subject and the CAEP event URIs; the jti survives a retry, a 400 with a JSON error is not
// retried, credential-change follows changePassword, tenants stay apart; JWKS from env and shared
// by two instances.
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { PASSWORD, gql, ok, signIn, signUp } from './helpers/graphql.js';
import { CaepReceiver } from './helpers/caep-receiver.js';
import { ownDatabase } from './helpers/own-database.js';
import type { MailSink } from './helpers/smtp.js';
import { resetToken, startMailSink } from './helpers/smtp.js';
import type { OwnDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { onPostgres, startServer } from './helpers/server.js';
import { CAEP_EVENTS, CREATE_ENDPOINT, createEndpoint, fastWebhooks } from './helpers/webhooks.js';

const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const CREDENTIAL_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/credential-change';
const REVOKE = graphql(`mutation CaepRevokeSession($id: ID!) { revokeSession(id: $id) { id } }`);
const CHANGE_PASSWORD = graphql(`mutation CaepChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount } }`);
const REQUEST_RESET = graphql(`mutation CaepRequestReset($email: String!) { requestPasswordReset(email: $email) }`);
const RESET = graphql(`mutation CaepReset($input: ResetPasswordInput!) { resetPassword(input: $input) }`);
const UPDATE = graphql(`mutation CaepUpdateEndpoint($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { id format events } }`);
const ENDPOINTS = graphql(`query CaepEndpoints { me { currentOrganization { webhookEndpoints { id format events } } } }`);
const DELIVERIES = graphql(`query CaepDeliveries { me { currentOrganization { webhookDeliveries(first: 20) { edges { node { id type status attempts { statusCode error } } } } } } }`);

let db: OwnDatabase;
let smtp: MailSink;
let server: TestServer;
let owner: TestUser;
let stranger: TestUser;
const issuer = () => server.app.services.caepKeys.issuer;
const jwksUrl = () => `${server.url}/.well-known/jwks.json`;
const receiver = new CaepReceiver(issuer, jwksUrl);
const otherReceiver = new CaepReceiver(issuer, jwksUrl, '/other');

async function deliveries(user: TestUser) {
  return (await ok(server, DELIVERIES, undefined, user.auth)).me.currentOrganization.webhookDeliveries.edges.map((e) => e.node);
}

beforeAll(async () => {
  db = await ownDatabase('webhooks_caep');
  smtp = await startMailSink();
  server = await startServer({ databaseUrl: db.url, smtpUrl: smtp.url, webhooks: fastWebhooks() });
  await receiver.listen();
  await otherReceiver.listen();
  owner = await signUp(server, { organizationName: 'Caep Co' });
  await createEndpoint(server, owner, receiver.url, CAEP_EVENTS, owner.organizationId, 'CAEP');
  stranger = await signUp(server, { organizationName: 'Elsewhere' });
  await createEndpoint(server, stranger, otherReceiver.url, CAEP_EVENTS, stranger.organizationId, 'CAEP');
});
afterAll(async () => {
  await server?.stop();
  await receiver.close();
  await otherReceiver.close();
  await smtp?.stop();
  await db?.drop();
});

describe('CAEP endpoints', () => {
  it('serves the JWK Set: public parts only, kid, alg, use, cached', async () => {
    const res = await fetch(jwksUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key.kid).toBeTruthy();
      expect(key.d).toBeUndefined();
    }
    expect((await server.app.services.caepKeys.signing()).kid).toBe(keys[0]?.kid);
  });

  it('takes only the events CAEP has a type for', async () => {
    const res = await gql(server, CREATE_ENDPOINT, { input: { organizationId: owner.organizationId, url: receiver.url, events: ['session.created'], format: 'CAEP' } }, owner.auth);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
    const [listed] = (await ok(server, ENDPOINTS, undefined, owner.auth)).me.currentOrganization.webhookEndpoints;
    expect(listed).toMatchObject({ format: 'CAEP', events: CAEP_EVENTS });
    // A standard endpoint switched to CAEP keeps only events CAEP has a type for.
    const plain = await createEndpoint(server, owner, `${receiver.url}/plain`, ['session.created', 'session.revoked']);
    const refused = await gql(server, UPDATE, { input: { id: plain.id, format: 'CAEP' } }, owner.auth);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
    const switched = await ok(server, UPDATE, { input: { id: plain.id, format: 'CAEP', events: ['session.revoked'] } }, owner.auth);
    expect(switched.updateWebhookEndpoint).toMatchObject({ format: 'CAEP', events: ['session.revoked'] });
    await ok(server, graphql(`mutation CaepDeleteEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }`), { id: plain.id }, owner.auth);
  });

  it('pushes session-revoked as a verified SET, the same jti on the retry', async () => {
    receiver.mode = 'fail-first';
    const victim = await signIn(server, owner);
    await ok(server, REVOKE, { id: victim.sessionId }, owner.auth);
    const set = await receiver.waitFor(() => receiver.of(SESSION_REVOKED, (r) => (r.claims.sub_id.session as { id: string }).id === victim.sessionId)[0]);
    receiver.mode = 'accept';
    expect(receiver.rejected).toEqual([]);
    expect(receiver.attempts.get(set.jti)).toBe(2);
    expect(set.headers.accept).toBe('application/json');
    expect(set.claims).toMatchObject({ iss: issuer(), aud: receiver.url });
    expect(typeof set.claims.iat).toBe('number');
    expect(set.claims.sub_id).toEqual({
      format: 'complex',
      user: { format: 'opaque', id: owner.userId },
      session: { format: 'opaque', id: victim.sessionId },
      tenant: { format: 'opaque', id: owner.organizationId },
    });
    const event = set.claims.events[SESSION_REVOKED]!;
    expect(event).toMatchObject({ initiating_entity: 'user', reason_admin: { en: expect.stringMatching(/^REVOKED_BY_USER/) } });
    expect(typeof event.event_timestamp).toBe('number');
    // jti is the delivery's id: the one the deliveries list shows, delivered after one failure.
    const row = (await deliveries(owner)).find((d) => d.id === set.jti);
    expect(row).toMatchObject({ type: 'session.revoked', status: 'DELIVERED' });
    expect(row?.attempts.map((a) => a.statusCode)).toEqual([500, 202]);
  });

  it('does not retry a SET refused with a 400 and a JSON error', async () => {
    receiver.mode = 'refuse';
    const victim = await signIn(server, owner);
    await ok(server, REVOKE, { id: victim.sessionId }, owner.auth);
    let row: Awaited<ReturnType<typeof deliveries>>[number] | undefined;
    const deadline = Date.now() + 15_000;
    while (!row && Date.now() < deadline) {
      row = (await deliveries(owner)).find((d) => d.type === 'session.revoked' && d.status === 'FAILED');
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.attempts).toEqual([{ statusCode: 400, error: 'SET refused: invalid_audience' }]);
    // Several retry delays later (WEBHOOK_RETRY_BASE_MS 200 ms), still one push.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.attempts.get(row!.id)).toBe(1);
    receiver.mode = 'accept';
  });

  it("never sends one organisation's events to another's endpoint", async () => {
    const theirs = await signIn(server, stranger);
    await ok(server, REVOKE, { id: theirs.sessionId }, stranger.auth);
    await otherReceiver.waitFor(() => otherReceiver.of(SESSION_REVOKED, (r) => (r.claims.sub_id.session as { id: string }).id === theirs.sessionId)[0]);
    const tenantOf = (r: { claims: { sub_id: Record<string, unknown> } }) => (r.claims.sub_id.tenant as { id: string }).id;
    expect(receiver.received.every((r) => tenantOf(r) === owner.organizationId)).toBe(true);
    expect(otherReceiver.received.every((r) => tenantOf(r) === stranger.organizationId)).toBe(true);
    expect(otherReceiver.received.length).toBeGreaterThan(0);
  });

  it('pushes credential-change on changePassword, in its transaction', async () => {
    receiver.mode = 'accept';
    const other = await signIn(server, owner);
    await ok(server, CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'a new and different passphrase' } }, owner.auth);
    const set = await receiver.waitFor(() => receiver.of(CREDENTIAL_CHANGE)[0]);
    expect(set.claims.sub_id).toEqual({ format: 'complex', user: { format: 'opaque', id: owner.userId }, tenant: { format: 'opaque', id: owner.organizationId } });
    expect(set.claims.events[CREDENTIAL_CHANGE]).toMatchObject({ credential_type: 'password', change_type: 'update', initiating_entity: 'user' });
    // The other sessions it signed out are session-revoked SETs too (PASSWORD_CHANGED).
    const revoked = await receiver.waitFor(() => receiver.of(SESSION_REVOKED, (r) => (r.claims.sub_id.session as { id: string }).id === other.sessionId)[0]);
    expect(revoked.claims.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'user', reason_admin: { en: expect.stringMatching(/^PASSWORD_CHANGED/) } });
    expect(otherReceiver.of(CREDENTIAL_CHANGE)).toHaveLength(0);
  });
});

describe('password reset', () => {
  it('pushes credential-change to the user\'s organisation only', async () => {
    await ok(server, REQUEST_RESET, { email: stranger.email });
    const token = resetToken(await smtp.waitFor(stranger.email));
    expect((await ok(server, RESET, { input: { token, newPassword: 'yet another fine passphrase' } })).resetPassword).toBe(true);
    const set = await otherReceiver.waitFor(() => otherReceiver.of(CREDENTIAL_CHANGE, (r) => (r.claims.sub_id.user as { id: string }).id === stranger.userId)[0]);
    expect(set.claims.sub_id.tenant).toEqual({ format: 'opaque', id: stranger.organizationId });
    expect(set.claims.events[CREDENTIAL_CHANGE]).toMatchObject({ credential_type: 'password', change_type: 'update', reason_admin: { en: expect.stringMatching(/reset/i) } });
    expect(receiver.of(CREDENTIAL_CHANGE, (r) => (r.claims.sub_id.user as { id: string }).id === stranger.userId)).toHaveLength(0);
  });
});

describe('signing keys', () => {
  it('from CAEP_SIGNING_KEY as a JWK Set: the first signs, every key is published', async () => {
    const jwks = await Promise.all(['new', 'old'].map(async (kid) => ({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)), kid })));
    const withEnvKey = await startServer({ webhooks: fastWebhooks({ caepSigningKey: JSON.stringify({ keys: jwks }) }) });
    try {
      const { keys } = (await (await fetch(`${withEnvKey.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
      expect(keys.map((k) => k.kid)).toEqual(['new', 'old']);
      expect(keys.every((k) => k.d === undefined)).toBe(true);
      expect((await withEnvKey.app.services.caepKeys.signing()).kid).toBe('new');
    } finally {
      await withEnvKey.stop();
    }
  });

  it('signs for the operator endpoint with WEBHOOK_FORMAT=caep', async () => {
    const own = await ownDatabase('webhooks_caep_operator');
    let operator: TestServer | undefined;
    const hub = new CaepReceiver(() => operator!.app.services.caepKeys.issuer, () => `${operator!.url}/.well-known/jwks.json`, '/hub');
    await hub.listen();
    try {
      operator = await startServer({ databaseUrl: own.url, webhooks: fastWebhooks({ url: hub.url, format: 'CAEP' }) });
      const someone = await signUp(operator);
      const victim = await signIn(operator, someone);
      await ok(operator, REVOKE, { id: victim.sessionId }, someone.auth);
      const set = await hub.waitFor(() => hub.of(SESSION_REVOKED, (r) => (r.claims.sub_id.session as { id: string }).id === victim.sessionId)[0]);
      expect(set.claims.aud).toBe(hub.url);
      expect(hub.rejected).toEqual([]);
      // Only the events CAEP has a type for: the sign-ins' session.created are not sent.
      expect(hub.received.every((r) => SESSION_REVOKED in r.claims.events || CREDENTIAL_CHANGE in r.claims.events)).toBe(true);
    } finally {
      await operator?.stop();
      await hub.close();
      await own.drop();
    }
  });

  it.skipIf(!onPostgres)('is the same on two instances sharing the database', async () => {
    const second = await startServer({ databaseUrl: db.url, webhooks: fastWebhooks() });
    try {
      const [a, b] = await Promise.all([server, second].map(async (s) => (await fetch(`${s.url}/.well-known/jwks.json`)).text()));
      expect(b).toBe(a);
    } finally {
      await second.stop();
    }
  });
});
