// A bounded soak on loopback (issue #7): SOAK_CLIENTS virtual clients (default 20) sign in, list
// and revoke sessions and open and drop sockets for SOAK_SECONDS (default 8). The full run (100
// clients, 60 s) is `npx tsx scripts/soak.ts --clients 100 --seconds 60`; both use tests/soak/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import type { SoakReport } from './soak/report.js';
import { formatReport } from './soak/report.js';
import { runSoak } from './soak/run.js';

const CLIENTS = Number(process.env.SOAK_CLIENTS) || 20;
const SECONDS = Number(process.env.SOAK_SECONDS) || 8;

let server: TestServer;
let report: SoakReport;

beforeAll(async () => {
  server = await startServer();
  report = await runSoak(server, { clients: CLIENTS, seconds: SECONDS });
  console.log(`[soak]\n${formatReport(report)}`);
}, 120_000 + SECONDS * 3_000);

afterAll(() => server?.stop());

describe(`soak: ${CLIENTS} clients for ${SECONDS} s`, () => {
  it('did work: rounds, requests, sockets and kicks', () => {
    expect(report.iterations).toBeGreaterThanOrEqual(CLIENTS);
    expect(report.requests).toBeGreaterThan(0);
    expect(report.socketsOpened).toBeGreaterThan(0);
  });

  it('had no failed request: every answer was data or the expected coded refusal, every revoked socket was kicked', () => {
    expect(report.failures).toEqual([]);
  });

  it('refuses every session the clients revoked and accepts every live one', () => {
    expect(report.revokedChecked).toBeGreaterThan(0);
    expect(report.liveChecked).toBeGreaterThanOrEqual(CLIENTS);
    // Each mismatch would be one of the failures above; this says what was checked.
    expect(report.failures.filter((f) => f.startsWith('verify'))).toEqual([]);
  });

  it('ends with the heap within 10% of where it started', () => {
    expect(report.heapAfterBytes).toBeLessThanOrEqual(report.heapBeforeBytes * 1.1);
  });

  it('holds no socket, connection, session, user or stream once the sockets have closed', () => {
    expect(report.registryAfter).toEqual({ connections: 0, sessions: 0, users: 0, streams: 0 });
    expect(report.socketsAfter).toBe(0);
  });
});
