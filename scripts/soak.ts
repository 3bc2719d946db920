// The full soak of issue #7 against a fresh in-process server (PGlite in memory by default; set
// TEST_DATABASE_URL for PostgreSQL, migrated first):
//   npx tsx scripts/soak.ts --clients 100 --seconds 60
// Prints the figures; exits 1 when a request failed, a session was not refused or accepted as it
// should be, the heap grew more than 10%, or a socket was left behind.
import { parseArgs } from 'node:util';
import { startServer } from '../tests/helpers/server.js';
import { formatReport } from '../tests/soak/report.js';
import { runSoak } from '../tests/soak/run.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
if (!(clients > 0 && seconds > 0)) throw new Error('--clients and --seconds must be positive numbers');

const server = await startServer();
try {
  const report = await runSoak(server, { clients, seconds, log: (line) => console.log(`[soak] ${line}`) });
  console.log(formatReport(report));
  const clean = report.failures.length === 0
    && report.heapAfterBytes <= report.heapBeforeBytes * 1.1
    && report.socketsAfter === 0
    && Object.values(report.registryAfter).every((n) => n === 0);
  process.exitCode = clean ? 0 : 1;
} finally {
  await server.stop();
}
