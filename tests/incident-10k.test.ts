// The incident button at full size: an OWNER signs out an organisation holding 10,000 sessions of
// 500 members, each with its own subscribed socket (opened by a separate client process, the
// benchmark's: one process cannot hold both ends of 10,000 sockets within its file limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphql } from '../bench/lib/gateway.js';
import type { GatewayHandle, IncidentOrganization, IncidentPopulation } from '../bench/lib/organization-population.js';
import { organizationPopulation } from '../bench/lib/organization-population.js';
import { untilEmpty } from '../bench/lib/population.js';
import type { KickResult, WsClient } from '../bench/lib/ws-client.js';
import { startWsClient } from '../bench/lib/ws-client.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { loadConfig } from '../server/process/config.js';

const SESSIONS = 10_000;
const MEMBERS = 500;

let server: TestServer;
let client: WsClient;
let population: IncidentPopulation & IncidentOrganization;
let kick: KickResult;

beforeAll(async () => {
  // 10,000 sockets from one loopback address: the per-address cap lifted, as in the benchmark.
  server = await startServer({ limits: { ...loadConfig({}).limits, socketsPerIp: 1_000_000 } });
  client = await startWsClient();
  const { prisma } = server.app.services;
  const gw: GatewayHandle = {
    wsUrl: server.wsUrl,
    graphqlUrl: server.graphqlUrl,
    gql: (query, token, variables) => postGraphql(server.graphqlUrl, query, token, variables),
    sql: (text) => prisma.$executeRawUnsafe(text),
    stats: () => server.app.liveStats(),
  };
  population = await organizationPopulation(gw, client, SESSIONS, MEMBERS);
  await population.prepare();
  kick = await client.kick(population.batchKick(population.ids));
}, 240_000);

afterAll(async () => {
  await client?.stop();
  await server?.stop();
});

describe(`revokeOrganizationSessions with ${SESSIONS} sessions and sockets`, () => {
  it('every socket hears its own REVOKED, then closes with 4403, and none hears another session of the kick', () => {
    expect({ kicked: kick.kicked, missingEvents: kick.missingEvents, missingCloses: kick.missingCloses, wrongCloseCodes: kick.wrongCloseCodes }).toEqual({
      kicked: SESSIONS,
      missingEvents: 0,
      missingCloses: 0,
      wrongCloseCodes: 0,
    });
    expect(kick.maxForeignPerKicked).toBe(0);
  });

  it("revokes every session bound to the organisation but the owner's, as REVOKED_BY_ADMIN", async () => {
    const { prisma } = server.app.services;
    const rows = await prisma.session.groupBy({ by: ['revokedReason'], where: { organizationId: population.organizationId }, _count: true });
    const counts = Object.fromEntries(rows.map((r) => [r.revokedReason ?? 'live', r._count]));
    expect(counts).toEqual({ REVOKED_BY_ADMIN: SESSIONS, live: 1 });
    const owner = await prisma.session.findUniqueOrThrow({ where: { id: population.ownerSessionId } });
    expect(owner.revokedAt).toBeNull();
  });

  it('lets go of every socket', async () => {
    await untilEmpty(population);
    expect((await server.app.liveStats()).connections).toBe(0);
  });
});
