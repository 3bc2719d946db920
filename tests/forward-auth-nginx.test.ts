// /auth/verify behind a real nginx (auth_request) in front of a small application that echoes the
// headers it received: the identity reaches it, forged headers do not, a revocation is refused on
// the very next request, and /admin/ wants ADMIN or OWNER.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { Auth, TestUser } from './helpers/graphql.js';
import { inviteAndAccept, cookieOf, ok, signIn, signUp } from './helpers/graphql.js';
import type { Nginx } from './helpers/nginx.js';
import { findNginx, nginxLocations, nginxUpstreams, startNginx } from './helpers/nginx.js';
import { started, serverForFile } from './helpers/per-file.js';
import { ROOT } from './helpers/process.js';

const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);
const NGINX = findNginx();
if (!NGINX) console.warn('forward-auth-nginx: skipped, nginx is not installed (apt-get install nginx; .ci/run installs it)');

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyBytes: number;
}

describe.skipIf(!NGINX)('forward auth behind nginx auth_request', () => {
  const file = serverForFile();
  const seen: Echo[] = [];
  let app: Server | undefined;
  let nginx: Nginx | undefined;
  const proxy = () => started('nginx', nginx);
  /** The gateway's own API, reached through nginx like the browser reaches it. */
  const viaNginx = () => ({ graphqlUrl: `${proxy().url}/graphql` });

  beforeAll(async () => {
    app = createServer((req, res) => {
      let bodyBytes = 0;
      req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-')).map(([k, v]) => [k, String(v)]));
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers, bodyBytes });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(seen.at(-1)));
      });
    });
    await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
    const { port } = app.address() as { port: number };
    nginx = await startNginx(NGINX!, new URL(file.server.url).host, `127.0.0.1:${port}`);
  });
  afterAll(async () => {
    const log = await nginx?.errorLog();
    await nginx?.stop();
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
    // An nginx error (not its start-up notices) is a failure of the config under test.
    expect(log ?? '').not.toMatch(/\[(emerg|alert|crit|error)\]/);
  });

  async function get(pathname: string, auth: Auth = {}, init: RequestInit & { headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (auth.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie !== undefined) headers.cookie = auth.cookie;
    const before = seen.length;
    const res = await fetch(`${proxy().url}${pathname}`, { ...init, headers });
    const text = await res.text();
    const reached = seen.length > before ? seen.at(-1) : undefined;
    return { status: res.status, text, reached, headers: res.headers };
  }

  const identityOf = (u: TestUser, role: string) => ({ 'x-session-id': u.sessionId, 'x-user-id': u.userId, 'x-user-email': u.email, 'x-organization-id': u.organizationId, 'x-role': role });

  it('passes a signed-in cookie request on with the identity headers; an anonymous one is 401 and never reaches the application', async () => {
    const u = await signUp(viaNginx());
    const res = await get('/app/page?x=1', cookieOf(u.token));
    expect(res.status).toBe(200);
    expect(res.reached?.url).toBe('/app/page?x=1');
    expect(res.reached?.headers).toMatchObject(identityOf(u, 'OWNER'));
    expect(res.headers.get('set-cookie')).toBeNull();
    const anonymous = await get('/app/page');
    expect(anonymous.status).toBe(401);
    expect(anonymous.reached).toBeUndefined();
  });

  it('passes a bearer token and other methods on: the check gets no body, the application gets it', async () => {
    const u = await signUp(viaNginx());
    const res = await get('/app/items', u.auth, { method: 'POST', body: 'x'.repeat(10_000), headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.reached).toMatchObject({ method: 'POST', bodyBytes: 10_000, headers: identityOf(u, 'OWNER') });
    expect((await get('/app/items', { token: 'A'.repeat(43) }, { method: 'PUT', body: 'y' })).status).toBe(401);
  });

  it('does not trust identity headers the client sends: they are overwritten, and alone they get nobody in', async () => {
    const owner = await signUp(viaNginx());
    const member = await signUp(viaNginx());
    await inviteAndAccept(viaNginx(), owner, owner.organizationId, member, 'MEMBER');
    const inOrg = await signIn(viaNginx(), member, owner.organizationId);
    const forged = { 'x-user-id': owner.userId, 'x-role': 'OWNER', 'x-session-id': owner.sessionId, 'x-organization-id': owner.organizationId, 'x-user-email': owner.email };
    const res = await get('/app/', cookieOf(inOrg.token), { headers: forged });
    expect(res.status).toBe(200);
    expect(res.reached?.headers).toMatchObject(identityOf(inOrg, 'MEMBER'));
    expect((await get('/admin/', cookieOf(inOrg.token), { headers: forged })).status).toBe(403);
    const alone = await get('/app/', {}, { headers: forged });
    expect(alone.status).toBe(401);
    expect(alone.reached).toBeUndefined();
  });

  it('refuses the very next request after revokeSession', async () => {
    const u = await signUp(viaNginx());
    const other = await signIn(viaNginx(), u);
    expect((await get('/app/', cookieOf(other.token))).status).toBe(200);
    await ok(viaNginx(), REVOKE, { id: other.sessionId }, u.auth);
    const revokedAt = performance.now();
    const next = await get('/app/', cookieOf(other.token));
    const ms = performance.now() - revokedAt;
    console.log(`forward-auth-nginx: revocation → 401 through nginx on the next request, ${ms.toFixed(1)} ms after revokeSession answered`);
    expect(next.status).toBe(401);
    expect(next.reached).toBeUndefined();
    expect((await get('/app/', cookieOf(u.token))).status).toBe(200);
  });

  it('answers a MEMBER 403 on /admin/ and lets an ADMIN and the OWNER in', async () => {
    const owner = await signUp(viaNginx());
    const users: Record<'ADMIN' | 'MEMBER', TestUser> = { ADMIN: await signUp(viaNginx()), MEMBER: await signUp(viaNginx()) };
    for (const [role, u] of Object.entries(users) as ['ADMIN' | 'MEMBER', TestUser][]) {
      await inviteAndAccept(viaNginx(), owner, owner.organizationId, u, role);
      users[role] = await signIn(viaNginx(), u, owner.organizationId);
    }
    const member = await get('/admin/users', cookieOf(users.MEMBER.token));
    expect(member.status).toBe(403);
    expect(member.reached).toBeUndefined();
    expect((await get('/app/', cookieOf(users.MEMBER.token))).status).toBe(200);
    for (const [u, role] of [[owner, 'OWNER'], [users.ADMIN, 'ADMIN']] as const) {
      const res = await get('/admin/users', cookieOf(u.token));
      expect(res.status, role).toBe(200);
      expect(res.reached?.headers, role).toMatchObject(identityOf(u, role));
    }
  });

  it('is the config docs/PROXIES.md shows as tested', async () => {
    const doc = await readFile(path.join(ROOT, 'docs/PROXIES.md'), 'utf8');
    expect(doc).toContain(nginxUpstreams('127.0.0.1:4000', '127.0.0.1:8080'));
    expect(doc).toContain(nginxLocations());
  });
});
