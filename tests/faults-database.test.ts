// A database that cannot be reached (a TCP proxy between the gateway and PostgreSQL, cut or hung)
// is not a revocation: HTTP answers 503 with Retry-After, sockets are closed with 1013 (which
// graphql-ws's client retries), never 4403; once the database answers, the same session works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './helpers/graphql.js';
import { gql, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;

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
});
