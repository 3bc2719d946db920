// CORS: credentialed cross-origin reads only for ALLOWED_ORIGINS (exact origin), nothing at all
// for any other origin (Yoga's default echoed every origin with credentials: issue #13, point 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/process/config.js';
import { parseOrigins } from '../server/http/origins.js';
import { graphql } from './gql/index.js';
import { documentText, gql, PASSWORD, sessionSetCookie, signUp, uniqueEmail } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive } from './helpers/ws.js';

const APP = 'http://app.example:5173';
const EVIL = 'http://evil.example';
const SIGN_UP = graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`);

let plain: TestServer; // no ALLOWED_ORIGINS: same-origin only
let listed: TestServer; // ALLOWED_ORIGINS=APP
beforeAll(async () => {
  plain = await startServer();
  listed = await startServer({ allowedOrigins: parseOrigins(`${APP}, https://other.example`) });
});
afterAll(async () => {
  await plain?.stop();
  await listed?.stop();
});

function corsHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers.entries()].filter(([name]) => name.startsWith('access-control-')));
}

/** What a browser sends before a cross-origin JSON POST. */
function preflight(server: TestServer, origin: string): Promise<Response> {
  return fetch(server.graphqlUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

const TYPENAME = graphql(`query Typename { __typename }`);

function post(server: TestServer, origin: string) {
  return gql(server, TYPENAME, undefined, { headers: { origin } });
}

function varyList(headers: Headers): string[] {
  return (headers.get('vary') ?? '').split(',').map((s) => s.trim().toLowerCase());
}

describe('CORS without ALLOWED_ORIGINS', () => {
  it('gives a foreign origin no access-control-* header: preflight, POST and GET', async () => {
    const pre = await preflight(plain, EVIL);
    expect(pre.status).toBeLessThan(300);
    expect(corsHeaders(pre.headers)).toEqual({});
    const res = await post(plain, EVIL);
    expect(res.data).toEqual({ __typename: 'Query' }); // answered, but the browser may not read it
    expect(corsHeaders(res.headers)).toEqual({});
    const get = await fetch(`${plain.graphqlUrl}?query=${encodeURIComponent(documentText(TYPENAME))}`, { headers: { origin: EVIL, 'x-graphql-csrf': '1' } });
    expect(get.status).toBe(200);
    expect(corsHeaders(get.headers)).toEqual({});
  });

  it('serves the same origin as before: sign-up with a cookie, no CORS needed', async () => {
    const res = await gql(plain, SIGN_UP, { input: { email: uniqueEmail('same'), password: PASSWORD, name: 'S', organizationName: 'S' } }, { headers: { origin: plain.url } });
    expect(res.status).toBe(200);
    expect(res.code).toBeUndefined();
    expect(sessionSetCookie(res.headers)).toMatch(/^sg_session=/);
    expect(corsHeaders(res.headers)).toEqual({});
    // and without any Origin (curl, API clients)
    expect((await gql(plain, TYPENAME)).data).toEqual({ __typename: 'Query' });
  });
});

describe('CORS with ALLOWED_ORIGINS', () => {
  it('answers an allowed origin\'s preflight with that origin, credentials and Vary: Origin', async () => {
    const pre = await preflight(listed, APP);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/\bcontent-type\b/);
    expect(varyList(pre.headers)).toContain('origin');
  });

  it('answers an allowed origin\'s POST with that origin, credentials and Vary: Origin, and sets the cookie', async () => {
    const res = await gql(listed, SIGN_UP, { input: { email: uniqueEmail('cors'), password: PASSWORD, name: 'C', organizationName: 'C' } }, { headers: { origin: APP } });
    expect(res.code).toBeUndefined();
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(varyList(res.headers)).toContain('origin');
    expect(sessionSetCookie(res.headers)).toMatch(/^sg_session=/);
    // the second listed origin too: the answer names the asking origin, never the list
    const other = await post(listed, 'https://other.example');
    expect(other.headers.get('access-control-allow-origin')).toBe('https://other.example');
  });

  it('matches scheme, host and port exactly: near misses and foreign origins get nothing', async () => {
    for (const origin of [EVIL, 'https://app.example:5173', 'http://app.example:5174', 'http://app.example', 'http://app.example:5173.evil.example', 'null']) {
      const pre = await preflight(listed, origin);
      expect(corsHeaders(pre.headers), origin).toEqual({});
      const res = await post(listed, origin);
      expect(corsHeaders(res.headers), origin).toEqual({});
      // the answer depends on the origin, so caches must keep them apart
      expect(varyList(res.headers), origin).toContain('origin');
    }
  });

  it('lets an allowed origin open a cookie-authenticated socket, like the gateway\'s own origin; not another', async () => {
    const u = await signUp(listed);
    const cookie = `sg_session=${u.token}`;
    const fromApp = await openLive(listed.wsUrl, { cookie, origin: APP });
    expect(fromApp.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    const own = await openLive(listed.wsUrl, { cookie, origin: listed.url });
    expect(own.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    const near = await openLive(listed.wsUrl, { cookie, origin: 'https://app.example:5173' });
    expect((await near.closed).code).toBe(403);
    [fromApp, own].forEach((s) => s.close());
  });
});

describe('ALLOWED_ORIGINS parsing', () => {
  it('normalises origins as browsers send them, and fails at start on anything that is not one', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: ' https://App.Example:443 , http://localhost:5173/ ' }).allowedOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    for (const bad of ['*', 'null', 'app.example', 'https://app.example/path', 'ftp://app.example']) {
      expect(() => loadConfig({ ALLOWED_ORIGINS: bad }), bad).toThrow(/ALLOWED_ORIGINS: .* is not an origin/);
    }
  });
});
