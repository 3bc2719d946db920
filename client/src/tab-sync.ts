// Tabs of one browser share the session cookie, so what happens to the session in one tab is
// told to the others: they follow a kick at once, even if their own socket is asleep.
import type { RevokeReason } from './gql/graphql';

export type TabMessage =
  /** `reason`: null when none is known (a 401); checked on arrival (another tab may run another version). */
  | { type: 'session-ended'; reason: RevokeReason | null }
  | { type: 'identity-changed' };

const channel: BroadcastChannel | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('session-gateway');

export function tellOtherTabs(message: TabMessage): void {
  channel?.postMessage(message);
}

export function onOtherTab(handler: (message: TabMessage) => void): () => void {
  if (!channel) return () => {};
  const listener = (event: MessageEvent<TabMessage>) => handler(event.data);
  channel.addEventListener('message', listener);
  return () => channel.removeEventListener('message', listener);
}
