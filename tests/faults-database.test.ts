// A database that cannot be reached (a TCP proxy between the gateway and PostgreSQL, cut or hung)
// is not a revocation: HTTP answers 503 with Retry-After, sockets are closed with 1013 (which
// graphql-ws's client retries), never 4403; once the database answers, the same session works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './helpers/graphql.js';
import { graphql } from './gql/index.js';
import { gql, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const REVOKE_OTHERS = graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`);

describe.skipIf(!databaseUrl)('when PostgreSQL cannot be reached', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    const target = new URL(databaseUrl!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    // No session cache: each request asks the database, as it would once a cached check runs out.
    server = await startServer({ databaseUrl: Object.assign(new URL(databaseUrl!), { port: String(proxy.port) }).toString(), sessionCacheTtlMs: 0 });
    user = await signUp(server);
  });
  afterAll(async () => {
    proxy.restore();
    await server?.stop();
    await proxy?.close();
  });

  const expectUnavailable = async () => {
    const res = await gql(server, WHO_AM_I, undefined, user.auth);
    expect(res.status).toBe(503);
    expect(res.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  for (const fault of ['cut', 'hang'] as const) {
    it(`${fault}: 503 with Retry-After every time, sockets closed with 1013, and the session lives on`, async () => {
      const open = await openLive(server.wsUrl, { token: user.token });
      open.subscribe('1');
      await open.waitForFrame((f) => f.type === 'connection_ack');
      proxy[fault]();
      for (let i = 0; i < 3; i++) await expectUnavailable();
      // The open socket's next subscribe cannot check the session: 1013, not 4403.
      open.subscribe('2');
      expect((await open.closed).code).toBe(1013);
      // A new socket's connection_init cannot either.
      const fresh = await openLive(server.wsUrl, { token: user.token });
      expect((await fresh.closed).code).toBe(1013);
      proxy.restore();
      let answered = await gql(server, WHO_AM_I, undefined, user.auth);
      for (let i = 0; i < 20 && answered.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250));
        answered = await gql(server, WHO_AM_I, undefined, user.auth);
      }
      expect(answered.status).toBe(200);
      const again = await openLive(server.wsUrl, { token: user.token });
      expect(again.frames.some((f) => f.type === 'connection_ack')).toBe(true);
      again.close();
    }, 60_000);
  }

  // revokeOtherSessions runs in a transaction (server/sessions/rows.ts): its caller authenticated
  // from the session cache, then the database went away before the transaction began.
  it('cut before a revocation’s transaction: 503 with Retry-After, nothing revoked, and it goes through once the database answers', async () => {
    const cached = await startServer({ databaseUrl: Object.assign(new URL(databaseUrl!), { port: String(proxy.port) }).toString() });
    try {
      const owner = await signUp(cached);
      const other = await signIn(cached, owner);
      expect((await gql(cached, WHO_AM_I, undefined, owner.auth)).status).toBe(200);
      proxy.cut();
      const refused = await gql(cached, REVOKE_OTHERS, undefined, owner.auth);
      expect({ status: refused.status, code: refused.errors?.[0]?.extensions?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      proxy.restore();
      const row = await cached.app.services.prisma.session.findUniqueOrThrow({ where: { id: other.sessionId } });
      expect(row.revokedAt).toBeNull();
      let revoked = await gql(cached, REVOKE_OTHERS, undefined, owner.auth);
      for (let i = 0; i < 20 && revoked.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250));
        revoked = await gql(cached, REVOKE_OTHERS, undefined, owner.auth);
      }
      expect(revoked.data?.revokeOtherSessions.revokedCount).toBe(1);
      expect((await gql(cached, WHO_AM_I, undefined, other.auth)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      proxy.restore();
      await cached.stop();
    }
  }, 60_000);
});
