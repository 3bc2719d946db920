// What the live (graphql-ws) test files share: the revoke mutation, and subscribed sockets.
import { graphql } from '../gql/index.js';
import type { Auth, Server, TestUser } from './graphql.js';
import { ok } from './graphql.js';
import type { TestServer } from './server.js';
import type { LiveSocket } from './ws.js';
import { openLive, untilStreams } from './ws.js';

export const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);

/** Opens a subscribed socket for each user session and waits until the server holds them all. */
export async function live(server: TestServer, ...users: TestUser[]): Promise<LiveSocket[]> {
  const stats = () => server.app.registry.stats();
  const before = stats().streams;
  const sockets = await Promise.all(users.map((u) => openLive(server.wsUrl, { token: u.token })));
  sockets.forEach((s) => s.subscribe());
  await untilStreams(stats, before + users.length);
  return sockets;
}

export const ORG_EVENTS = graphql(`subscription OrgSessionEvents($organizationId: ID!) { organizationSessionEvents(organizationId: $organizationId) { type reason update session { id online organization { id } } } }`);
export const MY_SESSIONS_ONLINE = graphql(`query MySessionsOnline { sessions { id online } }`);

export interface OrgEvent {
  type: 'CREATED' | 'REVOKED' | 'UPDATED' | 'ONLINE' | 'OFFLINE';
  reason: string | null;
  update: string | null;
  session: { id: string; online: boolean; organization: { id: string } };
}

/** Subscribes `socket` to an organisation's events under `id`. */
export function subscribeOrg(socket: LiveSocket, organizationId: string, id = 'org'): void {
  socket.subscribe(id, ORG_EVENTS, { organizationId });
}

/** The organisation events the socket received under subscription `id`, in order. */
export function orgEvents(socket: LiveSocket, id = 'org'): OrgEvent[] {
  return socket.frames.flatMap((f) => {
    const event = f.id === id && f.type === 'next' ? (f.payload as { data?: { organizationSessionEvents?: OrgEvent } }).data?.organizationSessionEvents : undefined;
    return event ? [event] : [];
  });
}

/** Resolves with the first organisation event under `id` matching, or rejects after `timeoutMs`. */
export async function waitForOrgEvent(socket: LiveSocket, match: (e: OrgEvent) => boolean, id = 'org', timeoutMs = 5000): Promise<OrgEvent> {
  await socket.waitForFrame((f) => f.id === id && f.type === 'next' && orgEvents(socket, id).some(match), timeoutMs);
  return orgEvents(socket, id).find(match) as OrgEvent;
}

/** Polls `online` of `sessionId` (among the viewer's sessions) until it is `expected`, or throws after `timeoutMs`. */
export async function untilOnline(server: Server, auth: Auth, sessionId: string, expected: boolean, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { sessions } = await ok(server, MY_SESSIONS_ONLINE, undefined, auth);
    if (sessions.find((s) => s.id === sessionId)?.online === expected) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`session ${sessionId} not online=${expected} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A socket of `token` subscribed to the organisation's events, once the subscription is known to
 * be live: the subscribe is asynchronous, so sign-ins made by `probe` are repeated until one's
 * CREATED arrives.
 */
export async function following(server: Pick<TestServer, 'wsUrl'>, token: string, organizationId: string, probe: () => Promise<{ sessionId: string }>): Promise<LiveSocket> {
  const socket = await openLive(server.wsUrl, { token });
  subscribeOrg(socket, organizationId);
  for (let attempt = 0; attempt < 50; attempt++) {
    const { sessionId } = await probe();
    if (await waitForOrgEvent(socket, (e) => e.type === 'CREATED' && e.session.id === sessionId, 'org', 200).catch(() => null)) return socket;
  }
  throw new Error('organisation subscription never became live');
}
