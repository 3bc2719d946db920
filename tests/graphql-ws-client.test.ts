// The official graphql-ws client (createClient, as the web app uses it) against the gateway's own
// graphql-transport-ws server: lazy and non-lazy, `iterate` of the web app's sessionEvents
// subscription, a query and a mutation over the socket, and no retry once the server closed with
// 4403, where graphql-ws's default would retry.
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client, ClientOptions, FormattedExecutionResult } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCode, closeKind } from '../client/src/close-codes.js';
import type { SessionEventsSubscription } from '../client/src/gql/graphql.js';
import { SessionEventsDocument } from '../client/src/gql/graphql.js';
import { graphql } from './gql/index.js';
import { gql, ok, signIn, signUp } from './helpers/graphql.js';
import type { TestUser } from './helpers/graphql.js';
import { serverForFile } from './helpers/per-file.js';

const file = serverForFile();
const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);
const ME = graphql(`query WhoAmI { me { id } }`);
const SESSION_EVENTS = print(SessionEventsDocument);

/** A client and what it went through: connection attempts, sockets opened, closes. */
interface Watched {
  client: Client;
  attempts: number;
  opened: number;
  closes: number[];
  /** What onNonLazyError was given (a non-lazy client that gives up). */
  gaveUp: unknown[];
}

/** The web app's reconnection rules (client/src/urql.ts): retry without end, but never a 4403. */
const webApp: Partial<ClientOptions> = {
  retryAttempts: Infinity,
  shouldRetry: (event) => closeKind(closeCode(event)) !== 'revoked',
  // Short, so that a retry that should not happen would happen within the test's wait.
  retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
};

function connect(user: TestUser, options: Partial<ClientOptions>): Watched {
  const watched: Watched = { client: undefined as unknown as Client, attempts: 0, opened: 0, closes: [], gaveUp: [] };
  watched.client = createClient({
    url: file.server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${user.token}` },
    onNonLazyError: (err) => watched.gaveUp.push(err),
    on: {
      connecting: () => watched.attempts++,
      opened: () => watched.opened++,
      closed: (event) => watched.closes.push(closeCode(event) ?? 0),
    },
    ...options,
  });
  return watched;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every result of one operation over the socket, until it completes. */
async function all<T>(client: Client, query: string, variables?: Record<string, unknown>): Promise<FormattedExecutionResult<T, unknown>[]> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  for await (const result of client.iterate<T>({ query, variables })) results.push(result);
  return results;
}

/** Iterates a subscription in the background: its results so far, and how it ended (the error it threw, if any). */
function iterate<T>(client: Client, query: string): { results: FormattedExecutionResult<T, unknown>[]; ended: Promise<unknown> } {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const ended = (async () => {
    try {
      for await (const result of client.iterate<T>({ query })) results.push(result);
      return null;
    } catch (err) {
      return err;
    }
  })();
  return { results, ended };
}

describe('graphql-ws createClient against the gateway', () => {
  it('non-lazy: connects at once, answers a query and a mutation over the socket, and does not retry after its session is revoked (4403)', async () => {
    const u = await signUp(file.server);
    const tab = await signIn(file.server, u);
    const spare = await signIn(file.server, u);
    const watched = connect(tab, { ...webApp, lazy: false });
    try {
      await until(() => watched.opened === 1, 'the non-lazy socket to open');
      const me = await all<{ me: { id: string } }>(watched.client, print(ME));
      expect(me).toEqual([{ data: { me: { id: u.userId } } }]);
      const revoked = await all<{ revokeSession: { id: string } }>(watched.client, print(REVOKE), { id: spare.sessionId });
      expect(revoked).toEqual([{ data: { revokeSession: { id: spare.sessionId } } }]);
      expect((await gql(file.server, ME, {}, spare.auth)).code).toBe('UNAUTHENTICATED');
      // Its own session revoked from elsewhere: closed with 4403, and never connected again.
      await ok(file.server, REVOKE, { id: tab.sessionId }, u.auth);
      await until(() => watched.closes.length === 1, 'the 4403 close');
      await pause(1500);
      expect(watched.closes).toEqual([4403]);
      expect(watched.attempts).toBe(1);
      expect(watched.gaveUp.map(closeCode)).toEqual([4403]);
    } finally {
      await watched.client.dispose();
    }
  });

  it('lazy: no socket before the first operation; iterate hears CREATED for a sign-in elsewhere, then its own REVOKED, and does not retry', async () => {
    const u = await signUp(file.server);
    const tab = await signIn(file.server, u);
    const watched = connect(tab, { ...webApp, lazy: true });
    try {
      await pause(300);
      expect(watched.attempts).toBe(0);
      const streams = file.server.app.registry.stats().streams;
      const events = iterate<SessionEventsSubscription>(watched.client, SESSION_EVENTS);
      await until(() => watched.opened === 1, 'the lazy socket to open on the first subscribe');
      // The subscription is registered once its stream exists: a sign-in after that is heard.
      await until(() => file.server.app.registry.stats().streams === streams + 1, 'the subscription to be registered');
      const phone = await signIn(file.server, u);
      await until(() => events.results.length === 1, 'the CREATED event');
      expect(events.results[0]?.data?.sessionEvents).toMatchObject({ type: 'CREATED', reason: null, session: { id: phone.sessionId, isCurrent: false, role: 'OWNER', location: 'Local network' } });
      await ok(file.server, REVOKE, { id: tab.sessionId }, phone.auth);
      const ended = await events.ended;
      expect(events.results.map((r) => r.data?.sessionEvents.type)).toEqual(['CREATED', 'REVOKED']);
      expect(events.results[1]?.data?.sessionEvents).toMatchObject({ reason: 'REVOKED_BY_USER', session: { id: tab.sessionId, isCurrent: true } });
      // REVOKED is the subscription's last word (complete), then the close: not retried.
      expect(ended).toBeNull();
      await until(() => watched.closes.length === 1, 'the 4403 close');
      await pause(1500);
      expect(watched.attempts).toBe(1);
      expect(watched.closes).toEqual([4403]);
    } finally {
      await watched.client.dispose();
    }
  });

  it('lazy: a refused connection_init (a revoked token) is 4403, and the web app\'s rules do not retry it', async () => {
    const u = await signUp(file.server);
    const gone = await signIn(file.server, u);
    await ok(file.server, REVOKE, { id: gone.sessionId }, u.auth);
    const watched = connect(gone, { ...webApp, lazy: true });
    try {
      const refused = await all(watched.client, print(ME)).then(
        () => null,
        (err: unknown) => err,
      );
      expect(closeCode(refused)).toBe(4403);
      await pause(1500);
      expect(watched.attempts).toBe(1);
    } finally {
      await watched.client.dispose();
    }
  });

  it('graphql-ws\'s own default retries a 4403 ("might grant access after retry"): why the web app sets shouldRetry', async () => {
    const u = await signUp(file.server);
    const gone = await signIn(file.server, u);
    await ok(file.server, REVOKE, { id: gone.sessionId }, u.auth);
    // Default shouldRetry and retryAttempts (5); a short wait instead of the default backoff.
    const watched = connect(gone, { lazy: true, retryWait: () => new Promise((resolve) => setTimeout(resolve, 50)) });
    try {
      const refused = await all(watched.client, print(ME)).then(
        () => null,
        (err: unknown) => err,
      );
      expect(closeCode(refused)).toBe(4403);
      expect(watched.attempts).toBe(6);
      expect(watched.closes.every((code) => code === 4403)).toBe(true);
    } finally {
      await watched.client.dispose();
    }
  });
});
