// The current identity's urql Client. Every identity change (sign-in, switch, sign-out, kick)
// replaces it with a new one: urql's cache cannot be cleared in place, and a fresh Client also
// drops the old socket, so nothing of the previous session survives.
import { createSignal } from 'solid-js';
import type { Client } from '@urql/core';
import { createGateway } from './urql';
import type { Gateway, GatewayHooks, SocketState } from './urql';

interface Generation {
  id: number;
  gateway: Gateway;
}

/** What the store needs from the rest of the app; the socket's state and reconnections it keeps itself. */
export type SessionHooks = Omit<GatewayHooks, 'onSocketState' | 'onReconnected'>;

let hooks: SessionHooks | null = null;
let counter = 0;
const [generation, setGeneration] = createSignal<Generation | null>(null);
const [socketState, setSocketState] = createSignal<SocketState>('idle');
const reconnectedListeners = new Set<() => void>();

export { socketState };

function make(): Generation {
  const id = ++counter;
  const own = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
    // Late news from a replaced client concerns a session this tab no longer uses.
    if (generation()?.id === id) fn(...args);
  };
  const h = hooks;
  if (!h) throw new Error('installClient() first');
  const gateway = createGateway({
    onUnauthenticated: own(h.onUnauthenticated),
    onSocketRevoked: own(h.onSocketRevoked),
    onSocketState: own(setSocketState),
    onReconnected: own(() => reconnectedListeners.forEach((listener) => listener())),
  });
  return { id, gateway };
}

/** Called once at start-up with what to do when the session turns out to be gone. */
export function installClient(h: SessionHooks): void {
  hooks = h;
  setGeneration(make());
}

/** The current Client; the app re-mounts when it changes. */
export function currentClient(): Client | undefined {
  return generation()?.gateway.client;
}

/** The current generation's id, to tell whether a callback still concerns the current client. */
export function currentGeneration(): number {
  return generation()?.id ?? 0;
}

/** Drops the client (cache, socket) and starts a new one. */
export function renewClient(): void {
  const old = generation();
  setSocketState('idle');
  setGeneration(make());
  old?.gateway.dispose();
}

/** The current socket is connected again after an interruption; returns the function that stops listening. */
export function onReconnected(listener: () => void): () => void {
  reconnectedListeners.add(listener);
  return () => reconnectedListeners.delete(listener);
}

/** An attempt now if the socket is down; `fresh` starts the backoff over (see urql.ts). */
export function reconnectNow(fresh: boolean): void {
  generation()?.gateway.reconnectNow(fresh);
}

/** The subscription ended for good (a close the socket does not retry): Reconnect starts it again. */
export function setOffline(): void {
  setSocketState('offline');
}
