// An organisation under incident: an owner and `members` members (inserted by SQL) with `n`
// sessions between them, each with its own subscribed socket; the owner's sign-up session
// (no socket) presses revokeOrganizationSessions.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Gateway } from './gateway.js';
import { BROWSER_UA } from './sql.js';
import { seedUser } from './gateway.js';
import type { Population } from './population.js';
import { openAndWait } from './population.js';
import type { MintedSession } from './sql.js';
import { insertSessionsSql } from './sql.js';

import type { WsClient } from './ws-client.js';

const PASSWORD = 'bench password 1234';

// The owner as an API client: a bearer token is not rotated by reauthenticate (a cookie would be).
const bearer = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': BROWSER_UA });

export interface IncidentPopulation extends Population {
  openMs: number;
  /** A re-authentication of the owner, just before the kick. */
  prepare(): Promise<unknown>;
}

/** `members` users in the organisation, as SQL: a password hash nobody uses (they never sign in). */
function insertMembersSql(organizationId: string, userIds: string[]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < userIds.length; i += 1000) {
    const chunk = userIds.slice(i, i + 1000);
    const users = chunk.map((id) => `('${id}', 'member-${id}@example.test', 'Member ${id.slice(0, 8)}', 'unused')`);
    const memberships = chunk.map((id) => `('${randomUUID()}', '${id}', '${organizationId}', 'MEMBER')`);
    statements.push(`INSERT INTO "User" ("id", "email", "name", "passwordHash") VALUES ${users.join(',')}`);
    statements.push(`INSERT INTO "Membership" ("id", "userId", "organizationId", "role") VALUES ${memberships.join(',')}`);
  }
  return statements;
}

/** What the population needs of a gateway: the benchmark's process, or a test's in-process server. */
export type GatewayHandle = Pick<Gateway, 'gql' | 'sql' | 'stats' | 'wsUrl' | 'graphqlUrl'>;

export interface IncidentOrganization {
  organizationId: string;
  ownerSessionId: string;
}

export async function organizationPopulation(gw: GatewayHandle, client: WsClient, n: number, members: number): Promise<IncidentPopulation & IncidentOrganization> {
  const owner = await seedUser(gw, 1, 0);
  const organizationId = owner.organizationIds[0] as string;
  const memberIds = Array.from({ length: members }, () => randomUUID());
  for (const statement of insertMembersSql(organizationId, memberIds)) await gw.sql(statement);
  const byMember = new Map<string, MintedSession[]>();
  const sessions: MintedSession[] = Array.from({ length: n }, (_, i) => {
    const s = { id: randomUUID(), token: randomBytes(32).toString('base64url'), organizationId };
    const userId = memberIds[i % members] as string;
    byMember.set(userId, [...(byMember.get(userId) ?? []), s]);
    return s;
  });
  for (const [userId, own] of byMember) for (const statement of insertSessionsSql(userId, own)) await gw.sql(statement);
  const streams = async () => (await gw.stats()).streams;
  const openMs = await openAndWait(client, gw.wsUrl, sessions.map((s) => ({ token: s.token, ownId: s.id })), streams);
  const ids = sessions.map((s) => s.id);
  return {
    organizationId,
    ownerSessionId: owner.sessionId,
    openMs,
    ids,
    singleKick: () => {
      throw new Error('the incident scenario kicks in one batch only');
    },
    batchKick: (expectIds) => ({
      url: gw.graphqlUrl,
      headers: bearer(owner.token),
      body: JSON.stringify({ query: 'mutation ($id: ID!) { revokeOrganizationSessions(organizationId: $id) { revokedCount } }', variables: { id: organizationId } }),
      expectIds,
      timeoutMs: 120_000,
    }),
    streams,
    connections: async () => (await gw.stats()).connections,
    // Fresh for REAUTH_WINDOW_SECONDS: opening 10,000 sockets may outlast the sign-up's window.
    prepare: async () => {
      const res = await fetch(gw.graphqlUrl, { method: 'POST', headers: bearer(owner.token), body: JSON.stringify({ query: 'mutation ($p: String!) { reauthenticate(password: $p) { id } }', variables: { p: PASSWORD } }) });
      if (!res.ok) throw new Error(`reauthenticate: ${res.status} ${await res.text()}`);
    },
  };
}
