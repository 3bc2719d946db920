// The logs: one JSON line per request, refusals with their reason, and never a secret or an e-mail.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/tokens.js';
import { graphql } from './gql/index.js';
import { gql, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive } from './helpers/ws.js';

let server: TestServer;
const lines: string[] = [];
beforeAll(async () => {
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  server = await startServer({ logLevel: 'debug' }, sink);
});
afterAll(() => server?.stop());

const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('logs', () => {
  it('never contain a token, its hash, a cookie, a password or an e-mail', async () => {
    const password = 'a password that must never be logged';
    const u = await signUp(server, { password });
    const other = await signIn(server, u);
    await ok(server, graphql(`query MeAndSessions { me { id } sessions { id } }`), undefined, { cookie: `sg_session=${u.token}` });
    await ok(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: other.sessionId }, u.auth);
    await gql(server, WHO_AM_I, undefined, other.auth);
    await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: u.email, password: 'wrong password here' } });
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.close();
    await socket.closed;
    await new Promise((r) => setTimeout(r, 50));
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [u.token, other.token, hashToken(u.token), hashToken(other.token), password, u.email, u.email.split('@')[0]!]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/\$argon2id/);
  });

  it('writes one line per request with an id, the operation, the status and the duration; refusals say why', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    await ok(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: other.sessionId }, u.auth);
    lines.length = 0;
    const res = await gql(server, WHO_AM_I, undefined, other.auth);
    await new Promise((r) => setTimeout(r, 20));
    const line = entries().find((e) => e.operationName === 'WhoAmI');
    expect(line).toMatchObject({ msg: 'request refused', refusal: 'revoked', status: 401, path: '/graphql', method: 'POST' });
    expect(line?.requestId).toBe(res.headers.get('x-request-id'));
    expect(typeof line?.durationMs).toBe('number');
  });
});
