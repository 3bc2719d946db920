// Builds the urql Client and its one graphql-ws socket. Each signed-in identity gets a fresh pair
// (client-store.ts), which is how the previous user's cached data leaves memory.
import { Client, cacheExchange, fetchExchange, getOperationName, mapExchange, subscriptionExchange } from '@urql/core';
import type { CombinedError, Operation } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { closeCode, closeKind, closeReason } from './close-codes';
import { ReconnectPolicy } from './reconnect-policy';

/** Operations that answer UNAUTHENTICATED for a wrong password rather than for a lost session. */
const AUTH_ATTEMPTS = new Set(['SignIn', 'SignUp']);

export type SocketState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface GatewayHooks {
  /** A request came back 401/UNAUTHENTICATED: the session is gone. */
  onUnauthenticated(): void;
  onSocketState(state: SocketState): void;
  /** The socket was closed (or refused) with 4403; `reason` is the close reason text. */
  onSocketRevoked(reason: string): void;
  /** The socket is connected again after a loss or failed attempts: what it missed must be fetched. */
  onReconnected(): void;
}

export interface Gateway {
  client: Client;
  /** Tries at once if the socket is down; `fresh` (Reconnect, back online) also starts the backoff over. */
  reconnectNow(fresh: boolean): void;
  dispose(): void;
}

export function isUnauthenticated(error: CombinedError): boolean {
  const status = (error.response as { status?: number } | undefined)?.status;
  return status === 401 || error.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED');
}

function socketUrl(): string {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** A wait that can be cut short. */
function createSleeper() {
  let wake: (() => void) | null = null;
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
      });
    },
    get sleeping(): boolean {
      return wake !== null;
    },
    wake(): void {
      wake?.();
    },
  };
}

export interface GatewayOptions {
  /** The socket's address; the page's own /graphql by default. */
  url?: string;
  /** The backoff's source of randomness. */
  random?: () => number;
}

export function createGateway(hooks: GatewayHooks, options: GatewayOptions = {}): Gateway {
  let disposed = false;
  let everConnected = false;
  let current: SocketState = 'idle';
  /** Between `connecting` and the attempt's outcome. */
  let inFlight = false;
  const policy = new ReconnectPolicy(options.random);
  const sleeper = createSleeper();
  const state = (s: SocketState) => {
    current = s;
    if (!disposed) hooks.onSocketState(s);
  };
  const interrupted = () => state(policy.offline ? 'offline' : 'reconnecting');

  const ws = createWsClient({
    url: options.url ?? socketUrl(),
    lazy: true,
    // Unbounded: a tab left open through an outage comes back by itself, and the backoff's cap
    // keeps an idle tab's attempts rare.
    retryAttempts: Infinity,
    // An attempt whose socket opens but is never answered (a stuck proxy) counts as a failure.
    connectionAckWaitTimeout: 15_000,
    retryWait: () => sleeper.sleep(policy.nextDelay()),
    // A revoked session is refused again on every attempt: retrying it would never end well.
    shouldRetry: (event) => closeKind(closeCode(event)) !== 'revoked',
    on: {
      connecting: (isRetry) => {
        inFlight = true;
        policy.attempt();
        state(policy.offline ? 'offline' : isRetry || everConnected ? 'reconnecting' : 'connecting');
      },
      connected: () => {
        inFlight = false;
        everConnected = true;
        const reconnection = policy.connected();
        state('connected');
        if (reconnection && !disposed) hooks.onReconnected();
      },
      // A failed attempt reports an error before its close (1006); the policy counts it once.
      error: () => {
        inFlight = false;
        if (disposed) return;
        policy.ended('failure');
        interrupted();
      },
      closed: (event) => {
        inFlight = false;
        if (disposed) return;
        const kind = closeKind(closeCode(event));
        if (kind === 'revoked') return hooks.onSocketRevoked(closeReason(event));
        if (kind === 'normal') return state('idle');
        policy.ended(kind);
        interrupted();
      },
    },
  });

  const client = new Client({
    url: '/graphql',
    fetchOptions: { credentials: 'same-origin' },
    // JSON POSTs only: the gateway's CSRF prevention refuses GETs without a special header.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      mapExchange({
        onError(error: CombinedError, operation: Operation) {
          if (disposed || AUTH_ATTEMPTS.has(getOperationName(operation.query) ?? '')) return;
          if (isUnauthenticated(error)) hooks.onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });

  return {
    client,
    reconnectNow(fresh) {
      if (disposed || current === 'connected') return;
      // An attempt stuck in a dead network (no answer, no error) is ended: the next starts at once.
      if (fresh && inFlight && !sleeper.sleeping) ws.terminate();
      policy.hurry(fresh);
      sleeper.wake();
    },
    dispose() {
      disposed = true;
      // Rejects when the socket was still being refused (a kicked or signed-out tab): expected.
      void Promise.resolve(ws.dispose()).catch(() => {});
      sleeper.wake();
    },
  };
}
