// The signed-in shell's one `sessionEvents` subscription: its own session's REVOKED event kicks
// the tab; every event is passed on to whoever shows the session list. Events sent while the
// socket was down are lost, so each reconnection checks the session again and refetches the list.
import type { Client } from '@urql/core';
import type { SessionEventsSubscription } from './gql/graphql';
import { SessionsDocument } from './gql/graphql';
import { SessionEventsSubscription as SessionEventsDocument, ViewerQuery } from './operations';
import { currentGeneration, onReconnected, reconnectNow, setOffline } from './client-store';
import { closeCode, closeKind } from './close-codes';
import { ownSessionRevoked, revokeReason } from './session-kick';

export type SessionEvent = SessionEventsSubscription['sessionEvents'];
type Listener = (event: SessionEvent) => void;

const listeners = new Set<Listener>();

/** Listens to the live session events; returns the function that stops listening. */
export function onSessionEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

interface Live {
  client: Client;
  generation: number;
  unsubscribe: () => void;
  /** The subscription ended with a close the socket does not retry. */
  dead: boolean;
}

let live: Live | null = null;

function subscribe(l: Live): void {
  l.dead = false;
  const { unsubscribe } = l.client.subscription(SessionEventsDocument, {}).subscribe((result) => {
    // Late news from a replaced client concerns a session this tab no longer uses.
    if (l.generation !== currentGeneration()) return;
    if (result.error) {
      // A close without retry ends the subscription; Reconnect starts it again. UNAUTHENTICATED is
      // the client's 401 path and 4403 the kick's: no "offline" for those.
      const closed = result.error.networkError;
      if (closed) {
        l.dead = true;
        if (closeKind(closeCode(closed)) !== 'revoked') setOffline();
      }
      return;
    }
    const event = result.data?.sessionEvents;
    if (!event) return;
    if (event.session.isCurrent && event.type === 'REVOKED') return ownSessionRevoked(revokeReason(event.reason));
    // The viewer's role may have changed: refresh what the header and account page show.
    if (event.session.isCurrent && event.type === 'UPDATED') checkSession(l.client);
    for (const listener of listeners) listener(event);
  });
  l.unsubscribe = unsubscribe;
}

/** A fresh answer about the session: a 401 kicks (urql.ts), a live one refreshes the header. */
function checkSession(client: Client): void {
  void client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
}

function catchUp(client: Client): void {
  checkSession(client);
  // The same document as the sessions page's query, so its answer replaces the page's list.
  if (listeners.size > 0) void client.query(SessionsDocument, {}, { requestPolicy: 'network-only' }).toPromise();
}

/** Reconnect now: `fresh` (the user's Reconnect, the browser back online) also starts the backoff over. */
export function reconnectLive(fresh = true): void {
  if (!live || live.generation !== currentGeneration()) return;
  reconnectNow(fresh);
  if (live.dead) {
    live.unsubscribe();
    subscribe(live);
  }
}

function onVisible(): void {
  if (document.visibilityState !== 'visible' || !live) return;
  // Back from sleep: the socket may be dead without knowing it, and the session may have ended.
  checkSession(live.client);
  reconnectLive(false);
}

function onOnline(): void {
  if (live) checkSession(live.client);
  reconnectLive(true);
}

/** Subscribes; returns the function that unsubscribes. */
export function startLive(client: Client): () => void {
  const l: Live = { client, generation: currentGeneration(), unsubscribe: () => {}, dead: false };
  live = l;
  subscribe(l);
  const stopCatchingUp = onReconnected(() => catchUp(client));
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('online', onOnline);
  return () => {
    l.unsubscribe();
    stopCatchingUp();
    if (live === l) {
      live = null;
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
    }
  };
}
