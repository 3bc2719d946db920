// What the live (graphql-ws) test files share: the revoke mutation, and subscribed sockets.
import { graphql } from '../gql/index.js';
import type { TestUser } from './graphql.js';
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
