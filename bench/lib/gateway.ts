// Starting gateways (bench/gateway-proc.ts) and preparing their users and sessions. Passwords are
// argon2id (~55 ms), so the benchmark signs up once per user through GraphQL and inserts the rest
// of the sessions directly with SQL, with tokens made exactly as the gateway makes them.
import type { GatewayArgs, GatewayInfo } from '../gateway-proc.js';
import type { Proc } from './proc.js';
import { spawnProc } from './proc.js';
import type { MintedSession } from './sql.js';
import { BROWSER_UA, insertSessionsSql, mintSessions } from './sql.js';

export interface RegistryStats {
  connections: number;
  sessions: number;
  users: number;
  streams: number;
  clients: number;
  /** The process holding the sockets. */
  pid: number;
}

export interface Gateway {
  proc: Proc<GatewayInfo>;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  rawUrl: string;
  gql<T>(query: string, token?: string, variables?: Record<string, unknown>): Promise<T>;
  stats(): Promise<RegistryStats>;
  mem(): Promise<NodeJS.MemoryUsage>;
  sql(text: string): Promise<number>;
  stop(): Promise<void>;
}

export function authHeaders(token: string): Record<string, string> {
  // The cookie, as a browser tab sends it, and a browser's user agent (the gateway parses it per request).
  return { 'content-type': 'application/json', cookie: `sg_session=${token}`, 'user-agent': BROWSER_UA };
}

export async function postGraphql<T>(graphqlUrl: string, query: string, token?: string, variables?: Record<string, unknown>): Promise<T> {
  const headers = token ? authHeaders(token) : { 'content-type': 'application/json' };
  const res = await fetch(graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors?.length || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 400)}`);
  return body.data;
}

export async function startGateway(name: string, args: GatewayArgs, nodeArgs: string[] = []): Promise<Gateway> {
  const proc = await spawnProc<GatewayInfo>(name, 'bench/gateway-proc.ts', args, { nodeArgs });
  const url = proc.info.url;
  const graphqlUrl = `${url}/graphql`;
  return {
    proc,
    url,
    graphqlUrl,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    rawUrl: proc.info.rawUrl,
    gql: (query, token, variables) => postGraphql(graphqlUrl, query, token, variables),
    stats: () => proc.call<RegistryStats>('stats'),
    mem: () => proc.call<NodeJS.MemoryUsage>('mem'),
    sql: (text) => proc.call<number>('sql', { text }),
    stop: () => proc.stop(),
  };
}

export interface SeededUser {
  userId: string;
  email: string;
  /** The session from sign-up: the "controller" that revokes the others, and never opens a socket. */
  token: string;
  sessionId: string;
  organizationIds: string[];
  /** Sessions inserted by SQL, in the user's organisations in turn. */
  sessions: MintedSession[];
}

let userCounter = 0;

/** One user with `organizations` organisations (they own all) and `sessions` extra live sessions. */
export async function seedUser(gw: Pick<Gateway, 'gql' | 'sql'>, organizations: number, sessions: number): Promise<SeededUser> {
  const email = `bench-${process.pid}-${Date.now()}-${userCounter++}@example.test`;
  const up = await gw.gql<{ signUp: { token: string; session: { id: string }; user: { id: string; currentOrganization: { id: string } } } }>(
    `mutation ($input: SignUpInput!) { signUp(input: $input) { token session { id } user { id currentOrganization { id } } } }`,
    undefined,
    { input: { email, password: 'bench password 1234', name: 'Bench User', organizationName: `Bench Org ${userCounter}` } },
  );
  const token = up.signUp.token;
  const organizationIds = [up.signUp.user.currentOrganization.id];
  for (let i = 1; i < organizations; i++) {
    const created = await gw.gql<{ createOrganization: { id: string } }>(`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`, token, {
      input: { name: `Bench Org ${userCounter}-${i}` },
    });
    organizationIds.push(created.createOrganization.id);
  }
  const minted = mintSessions(sessions, organizationIds);
  for (const statement of insertSessionsSql(up.signUp.user.id, minted)) await gw.sql(statement);
  return { userId: up.signUp.user.id, email, token, sessionId: up.signUp.session.id, organizationIds, sessions: minted };
}
