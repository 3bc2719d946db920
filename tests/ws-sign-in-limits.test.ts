// Every pathway to a credential check is limited the same way (ASVS 5.0 6.3.4): a sign-in sent as
// a mutation over the WebSocket counts on the same (account, address) counter as one over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { documentText, gql, signUp } from './helpers/graphql.js';
import { limited } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive } from './helpers/ws.js';

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);
let server: TestServer;
beforeAll(async () => {
  // No proxy in front: both pathways count under the TCP peer, 127.0.0.1, and a fresh account each.
  server = await startServer({ ...limited({ signInFailuresPerAccountAndIp: 3 }), trustProxy: () => false });
});
afterAll(() => server?.stop());

describe('sign-in over the WebSocket', () => {
  it('shares the failure counter with HTTP: two wrong over HTTP, one over the socket, then the socket is refused', async () => {
    const victim = await signUp(server);
    const attacker = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: attacker.token });
    const overSocket = async (id: string) => {
      socket.send({ type: 'subscribe', id, payload: { query: documentText(SIGN_IN), variables: { input: { email: victim.email, password: 'not the password at all' } } } });
      const frame = await socket.waitForFrame((f) => f.id === id && f.type === 'next');
      return (frame.payload as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
    };
    for (let i = 0; i < 2; i++) expect((await gql(server, SIGN_IN, { input: { email: victim.email, password: 'not the password at all' } })).code).toBe('UNAUTHENTICATED');
    expect(await overSocket('a')).toBe('UNAUTHENTICATED');
    expect(await overSocket('b')).toBe('RATE_LIMITED');
    expect((await gql(server, SIGN_IN, { input: { email: victim.email, password: victim.password } })).code).toBe('RATE_LIMITED');
    socket.close();
  });
});
