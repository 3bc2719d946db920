// Query limits, body size, and caps on sockets and subscriptions.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { documentText, gql, rawGql, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive } from './helpers/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.config.limits.socketsPerUser = 3;
  server.config.limits.subscriptionsPerSocket = 2;
});
afterAll(() => server?.stop());

const TYPENAME = graphql(`query Typename { __typename }`);

describe('query limits', () => {
  it('refuses a document nested deeper than the limit', async () => {
    const u = await signUp(server);
    const deep = `{ sessions { ${'organization { members { organization { members { organization { members { organization { members { organization { members { organization { id } } } } } } } } } } }'} } }`;
    const res = await rawGql(server, deep, undefined, u.auth);
    expect(res.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.data ?? null).toBeNull();
  });

  it('refuses too many aliases, directives and tokens', async () => {
    const u = await signUp(server);
    const aliases = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect((await rawGql(server, aliases, undefined, u.auth)).code).toBe('GRAPHQL_VALIDATION_FAILED');
    const directives = `{ me { id ${'@include(if: true) '.repeat(60)} } }`;
    expect((await rawGql(server, directives, undefined, u.auth)).code).toBe('GRAPHQL_VALIDATION_FAILED');
    const tokens = `{ me { ${'id '.repeat(1200)} } }`;
    const tooLong = await rawGql(server, tokens, undefined, u.auth);
    // the token limit acts while parsing
    expect(tooLong.code, tooLong.errors?.[0]?.message).toBe('GRAPHQL_PARSE_FAILED');
    expect(tooLong.errors?.[0]?.message).toMatch(/Token limit/);
  });

  it('hides field suggestions', async () => {
    const res = await rawGql(server, '{ me { emial } }');
    expect(res.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toBe('Cannot query field "emial" on type "User". [Suggestion hidden]');
  });

  it('refuses introspection in production only', async () => {
    const introspection = graphql(`query SchemaQueryType { __schema { queryType { name } } }`);
    expect((await gql(server, introspection)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const production = await startServer({ production: true });
    try {
      const refused = await gql(production, introspection);
      expect(refused.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.data ?? null).toBeNull();
      expect((await gql(production, TYPENAME)).data).toEqual({ __typename: 'Query' });
    } finally {
      await production.stop();
    }
  });

  it('refuses a body over the size limit with 413, and batched queries', async () => {
    const big = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(200_000)}` }) });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    const batch = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: documentText(TYPENAME) }, { query: documentText(TYPENAME) }]) });
    expect(batch.status).toBeGreaterThanOrEqual(400);
    expect(batch.status).toBeLessThan(500);
  });

  it('refuses a POST without a Content-Length (chunked) with 411, so no body is read unbounded', async () => {
    const status = await new Promise<string>((resolve, reject) => {
      const req = request(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        // The body is never read: the server closes the connection behind its answer.
        res.on('end', () => {
          resolve(`${res.statusCode ?? 0} ${res.headers.connection ?? ''}`);
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('{"query":"{ __typename }"');
    });
    expect(status).toBe('411 close');
    // A body within the limit still goes through (Yoga's own limit is off: http.ts is the bound).
    const small = await gql(server, TYPENAME);
    expect(small.data).toEqual({ __typename: 'Query' });
  });
});

describe('socket caps', () => {
  it('caps the sockets of one user', async () => {
    const u = await signUp(server);
    const sockets = await Promise.all([1, 2, 3].map(() => openLive(server.wsUrl, { token: u.token })));
    expect(sockets.every((s) => s.frames.some((f) => f.type === 'connection_ack'))).toBe(true);
    const fourth = await openLive(server.wsUrl, { token: u.token });
    expect((await fourth.closed).code).toBe(1008);
    sockets[0]!.close();
    await sockets[0]!.closed;
    await new Promise((r) => setTimeout(r, 100));
    const again = await openLive(server.wsUrl, { token: (await signIn(server, u)).token });
    expect(again.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    [again, ...sockets].forEach((s) => s.close());
  });

  it('caps the subscriptions of one socket', async () => {
    const u = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.subscribe('1');
    socket.subscribe('2');
    socket.subscribe('3');
    const refused = await socket.waitForFrame((f) => f.type === 'error' && f.id === '3').catch((err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(socket.frames)}`); });
    expect(JSON.stringify(refused.payload)).toContain('RATE_LIMITED');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });
});

describe('sockets per address', () => {
  it('caps the sockets one address may hold open, and frees a place when one closes', async () => {
    const tight = await startServer();
    tight.config.limits.socketsPerIp = 2;
    try {
      const users = [await signUp(tight), await signUp(tight)];
      const open = await Promise.all(users.map((u) => openLive(tight.wsUrl, { token: u.token })));
      expect(open.every((s) => s.frames.some((f) => f.type === 'connection_ack'))).toBe(true);
      const third = await openLive(tight.wsUrl, { token: users[0]!.token });
      expect((await third.closed).code).toBe(429); // refused at the upgrade: HTTP 429
      open[0]!.close();
      await open[0]!.closed;
      await new Promise((r) => setTimeout(r, 100));
      const again = await openLive(tight.wsUrl, { token: users[0]!.token });
      expect(again.frames.some((f) => f.type === 'connection_ack')).toBe(true);
      [again, open[1]!].forEach((s) => s.close());
    } finally {
      await tight.stop();
    }
  });
});
