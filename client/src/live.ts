// The signed-in shell's one `sessionEvents` subscription: its own session's REVOKED event kicks
// the tab; every event is passed on to whoever shows the session list.
import type { Client } from '@urql/core';
import type { SessionEventsSubscription } from './gql/graphql';
import { SessionEventsSubscription as SessionEventsDocument, ViewerQuery } from './operations';
import { currentGeneration, setOffline } from './client-store';
import { ownSessionRevoked } from './session-kick';

export type SessionEvent = SessionEventsSubscription['sessionEvents'];
type Listener = (event: SessionEvent) => void;

const listeners = new Set<Listener>();

/** Listens to the live session events; returns the function that stops listening. */
export function onSessionEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Subscribes; returns the function that unsubscribes. */
export function startLive(client: Client): () => void {
  const generation = currentGeneration();
  const { unsubscribe } = client.subscription(SessionEventsDocument, {}).subscribe((result) => {
    // Late news from a replaced client concerns a session this tab no longer uses.
    if (generation !== currentGeneration()) return;
    if (result.error) {
      // UNAUTHENTICATED is the client's 401 path; a socket that gave up retrying is "offline".
      if (result.error.networkError) setOffline();
      return;
    }
    const event = result.data?.sessionEvents;
    if (!event) return;
    if (event.session.isCurrent && event.type === 'REVOKED') return ownSessionRevoked(event.reason ?? 'UNAUTHENTICATED');
    // The viewer's role may have changed: refresh what the header and account page show.
    if (event.session.isCurrent && event.type === 'UPDATED') void client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    for (const listener of listeners) listener(event);
  });
  return unsubscribe;
}
