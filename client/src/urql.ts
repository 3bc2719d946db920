// Builds the urql Client and its one graphql-ws socket. Each signed-in identity gets a fresh pair
// (client-store.ts), which is how the previous user's cached data leaves memory.
import { Client, cacheExchange, fetchExchange, getOperationName, mapExchange, subscriptionExchange } from '@urql/core';
import type { CombinedError, Operation } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

/** The server closes a revoked session's socket, and refuses its reconnection, with this code. */
export const CLOSE_REVOKED = 4403;

/** Operations that answer UNAUTHENTICATED for a wrong password rather than for a lost session. */
const AUTH_ATTEMPTS = new Set(['SignIn', 'SignUp']);

export type SocketState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface GatewayHooks {
  /** A request came back 401/UNAUTHENTICATED: the session is gone. */
  onUnauthenticated(): void;
  onSocketState(state: SocketState): void;
  /** The socket was closed (or refused) with 4403; `reason` is the close reason text. */
  onSocketRevoked(reason: string): void;
}

export interface Gateway {
  client: Client;
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

function closeCode(event: unknown): number | null {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number' ? event.code : null;
}

function closeReason(event: unknown): string {
  return typeof event === 'object' && event !== null && 'reason' in event && typeof event.reason === 'string' ? event.reason : '';
}

/** Bounded, so that a dead server does not keep a tab busy forever: ~1+2+4+8+10+10 s. */
const RETRY_ATTEMPTS = 6;

export function createGateway(hooks: GatewayHooks): Gateway {
  let disposed = false;
  let everConnected = false;
  const state = (s: SocketState) => {
    if (!disposed) hooks.onSocketState(s);
  };

  const ws = createWsClient({
    url: socketUrl(),
    lazy: true,
    retryAttempts: RETRY_ATTEMPTS,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * 2 ** retries))),
    // A revoked session is refused again on every attempt: retrying it would never end well.
    shouldRetry: (event) => closeCode(event) !== CLOSE_REVOKED,
    on: {
      connecting: (isRetry) => state(isRetry || everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        state('connected');
      },
      closed: (event) => {
        if (disposed) return;
        if (closeCode(event) === CLOSE_REVOKED) hooks.onSocketRevoked(closeReason(event));
        else if (everConnected) state('reconnecting');
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
    dispose() {
      disposed = true;
      void ws.dispose();
    },
  };
}
