// A population of open, subscribed sockets (one session each) on the gateway or on the bare `ws`
// baseline, opened by the separate client process, and the requests that kick them.
import { randomUUID } from 'node:crypto';
import type { Gateway } from './gateway.js';
import { authHeaders, seedUser } from './gateway.js';
import type { Proc } from './proc.js';
import { spawnProc, until } from './proc.js';
import type { KickResult, KickSpec, WsClient } from './ws-client.js';

export interface BareWs {
  proc: Proc<{ url: string }>;
  url: string;
  wsUrl: string;
  stats(): Promise<{ connections: number; streams: number; clients: number }>;
  mem(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

export async function startBareWs(name = 'bare-ws'): Promise<BareWs> {
  const proc = await spawnProc<{ url: string }>(name, 'bench/procs/bare-ws.ts', {});
  return {
    proc,
    url: proc.info.url,
    wsUrl: `${proc.info.url.replace(/^http/, 'ws')}/graphql`,
    stats: () => proc.call('stats'),
    mem: () => proc.call('mem'),
    stop: () => proc.stop(),
  };
}

/** What both sides offer: open sockets, kick one, kick the rest, count what is held. */
export interface Population {
  ids: string[];
  singleKick(id: string): KickSpec;
  batchKick(ids: string[]): KickSpec;
  streams(): Promise<number>;
  connections(): Promise<number>;
}

const OPEN_CONCURRENCY = 200;

export async function openAndWait(client: WsClient, wsUrl: string, entries: { token: string; ownId: string }[], streams: () => Promise<number>): Promise<number> {
  const opened = await client.open({ url: wsUrl, entries, subscribe: true, concurrency: OPEN_CONCURRENCY, timeoutMs: 60_000 });
  if (opened.failed > 0) throw new Error(`${opened.failed} of ${entries.length} sockets failed to open: ${opened.firstError ?? ''}`);
  // graphql-ws does not acknowledge a subscribe: the server's own count says when all are live.
  await until(`${entries.length} subscriptions`, async () => (await streams()) >= entries.length, 120_000, 200);
  return opened.ms;
}

/** `n` sockets of one user on the gateway; the user's sign-up session (no socket) revokes them. */
export async function gatewayPopulation(gw: Gateway, client: WsClient, n: number): Promise<Population & { openMs: number }> {
  const user = await seedUser(gw, 1, n);
  const streams = async () => (await gw.stats()).streams;
  const openMs = await openAndWait(client, gw.wsUrl, user.sessions.map((s) => ({ token: s.token, ownId: s.id })), streams);
  return {
    openMs,
    ids: user.sessions.map((s) => s.id),
    singleKick: (id) => ({
      url: gw.graphqlUrl,
      headers: authHeaders(user.token),
      body: JSON.stringify({ query: 'mutation ($id: ID!) { revokeSession(id: $id) { id } }', variables: { id } }),
      expectIds: [id],
      timeoutMs: 30_000,
    }),
    batchKick: (ids) => ({
      url: gw.graphqlUrl,
      headers: authHeaders(user.token),
      body: JSON.stringify({ query: 'mutation { revokeOtherSessions { revokedCount } }' }),
      expectIds: ids,
      timeoutMs: 120_000,
    }),
    streams,
    connections: async () => (await gw.stats()).connections,
  };
}

/** `n` sockets on the bare server; its /kick does the same sends and closes and nothing else. */
export async function barePopulation(bare: BareWs, client: WsClient, n: number): Promise<Population & { openMs: number }> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const streams = async () => (await bare.stats()).streams;
  const openMs = await openAndWait(client, bare.wsUrl, ids.map((id) => ({ token: id, ownId: id })), streams);
  return {
    openMs,
    ids,
    // Like the gateway, a single revocation also tells the user's other sockets about it.
    singleKick: (id) => ({ url: `${bare.url}/kick`, headers: {}, body: JSON.stringify({ ids: [id], notifyOthers: true }), expectIds: [id], timeoutMs: 30_000 }),
    batchKick: (kickIds) => ({ url: `${bare.url}/kick`, headers: {}, body: JSON.stringify({}), expectIds: kickIds, timeoutMs: 120_000 }),
    streams,
    connections: async () => (await bare.stats()).connections,
  };
}

/** After a kick or a closeAll, the server must let go of every socket. */
export async function untilEmpty(population: Pick<Population, 'connections'>): Promise<void> {
  await until('the server to drop every socket', async () => (await population.connections()) === 0, 60_000, 200);
}

export type { KickResult };
