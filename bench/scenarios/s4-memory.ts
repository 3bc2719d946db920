// Scenario 4: heap and RSS per idle authenticated subscription socket at 10,000 sockets, gateway
// vs the bare `ws` server holding the same sockets (same client code). Memory is read in the
// server's process after two full GCs, before and after the sockets open.
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import type { CensusRow } from '../lib/heap.js';
import { censusDiff, heapCensus } from '../lib/heap.js';
import type { Proc } from '../lib/proc.js';
import type { Gateway } from '../lib/gateway.js';
import { startGateway } from '../lib/gateway.js';
import type { BareWs, Population } from '../lib/population.js';
import { barePopulation, gatewayPopulation, startBareWs, untilEmpty } from '../lib/population.js';
import { sleep } from '../lib/proc.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, fmtRatio, verdict } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { WsClient } from '../lib/ws-client.js';
import { startWsClient } from '../lib/ws-client.js';

interface PerSocket {
  heapBytes: number;
  rssBytes: number;
  /** Buffers outside the JS heap (socket buffers). */
  externalBytes: number;
}

async function measure(n: number, mem: () => Promise<NodeJS.MemoryUsage>, open: () => Promise<Population>, client: WsClient): Promise<PerSocket> {
  const before = await mem();
  const population = await open();
  // Idle sockets: let the handshakes' garbage settle before reading.
  await sleep(1000);
  const after = await mem();
  await client.closeAll();
  await untilEmpty(population);
  return {
    heapBytes: (after.heapUsed - before.heapUsed) / n,
    rssBytes: (after.rss - before.rss) / n,
    externalBytes: (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / n,
  };
}

/** Heap snapshots before and after `n` sockets open: what a socket is made of, by constructor. */
async function census(ctx: BenchContext, label: string, proc: Proc<unknown>, n: number, open: () => Promise<Population>, client: WsClient): Promise<CensusRow[]> {
  const before = path.join(ctx.outDir, `s4-${label}-before.heapsnapshot`);
  const after = path.join(ctx.outDir, `s4-${label}-after.heapsnapshot`);
  await proc.call('heapSnapshot', { file: before }, 300_000);
  const population = await open();
  await sleep(1000);
  await proc.call('heapSnapshot', { file: after }, 300_000);
  await client.closeAll();
  await untilEmpty(population);
  return censusDiff(await heapCensus(before), await heapCensus(after), n);
}

export async function scenarioMemory(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  let gw: Gateway | null = null;
  let bare: BareWs | null = null;
  let client: WsClient | null = null;
  try {
    client = await startWsClient();
    const c = client;
    const results: Record<'gateway' | 'bare', PerSocket[]> = { gateway: [], bare: [] };
    // A fresh server process per measurement: RSS never shrinks back after a GC, so a process that
    // already held 10,000 sockets would show the next 10,000 as nearly free.
    for (let run = 0; run < ctx.runs; run++) {
      for (const side of run % 2 ? (['bare', 'gateway'] as const) : (['gateway', 'bare'] as const)) {
        let r: PerSocket;
        if (side === 'gateway') {
          const g = await startGateway('s4-gateway', { databaseUrl: ctx.databaseUrl });
          try {
            // Warm-up (code compiled, pools filled) so that "before" is a steady state.
            await measure(100, () => g.mem(), () => gatewayPopulation(g, c, 100), c);
            r = await measure(n, () => g.mem(), () => gatewayPopulation(g, c, n), c);
          } finally {
            await g.stop();
          }
        } else {
          const b = await startBareWs();
          try {
            await measure(100, () => b.mem(), () => barePopulation(b, c, 100), c);
            r = await measure(n, () => b.mem(), () => barePopulation(b, c, n), c);
          } finally {
            await b.stop();
          }
        }
        results[side].push(r);
        ctx.log(`s4 run ${run + 1} ${side}: ${fmt(r.heapBytes / 1024, 2)} KiB heap, ${fmt(r.rssBytes / 1024, 2)} KiB RSS per socket`);
      }
    }
    gw = await startGateway('s4-gateway', { databaseUrl: ctx.databaseUrl });
    bare = await startBareWs();
    const g = gw;
    const b = bare;
    await measure(100, () => g.mem(), () => gatewayPopulation(g, c, 100), c);
    await measure(100, () => b.mem(), () => barePopulation(b, c, 100), c);
    // Snapshots of a smaller population (a snapshot of 10,000 sockets is too large to parse quickly).
    const censusN = ctx.quick ? 100 : 2000;
    const gwCensus = await census(ctx, 'gateway', g.proc, censusN, () => gatewayPopulation(g, c, censusN), c);
    const bareCensus = await census(ctx, 'bare', b.proc, censusN, () => barePopulation(b, c, censusN), c);
    const censusTable = (title: string, rows: CensusRow[]) => ({
      title,
      headers: ['constructor / node type', 'bytes per socket', 'objects per socket'],
      rows: rows.map((r) => [`\`${r.name}\``, fmt(r.bytesPerSocket, 0), fmt(r.countPerSocket, 1)]),
    });
    const med = (side: 'gateway' | 'bare', pick: (p: PerSocket) => number) => median(results[side].map(pick));
    const ratio = (pick: (p: PerSocket) => number) => median(results.gateway.map((p, i) => pick(p) / pick(results.bare[i] ?? p)));
    const heapRatio = ratio((p) => p.heapBytes);
    const rssRatio = ratio((p) => p.rssBytes);
    const kib = (v: number) => fmt(v / 1024, 2);
    return {
      id: 's4',
      title: '4. Memory per socket',
      tables: [
        {
          title: `Per idle authenticated subscription socket at ${fmt(n, 0)} sockets (KiB, after GC), median of ${ctx.runs} runs`,
          headers: ['server', 'heap', 'RSS', 'external + array buffers'],
          rows: [
            ['gateway (PostgreSQL)', kib(med('gateway', (p) => p.heapBytes)), kib(med('gateway', (p) => p.rssBytes)), kib(med('gateway', (p) => p.externalBytes))],
            ['bare ws', kib(med('bare', (p) => p.heapBytes)), kib(med('bare', (p) => p.rssBytes)), kib(med('bare', (p) => p.externalBytes))],
            ['ratio', fmtRatio(heapRatio), fmtRatio(rssRatio), fmtRatio(ratio((p) => p.externalBytes))],
          ],
        },
        censusTable(`Gateway heap per socket by constructor (snapshot diff at ${fmt(censusN, 0)} sockets, self sizes)`, gwCensus),
        censusTable(`Bare ws heap per socket by constructor (snapshot diff at ${fmt(censusN, 0)} sockets)`, bareCensus),
      ],
      // RSS rarely shrinks after a GC, so a small run can show a negative growth: no ratio then.
      notes: [`Target ≤ 2.5× the bare server: heap ${fmtRatio(heapRatio)} — ${verdict(heapRatio <= 2.5, heapRatio > 0)}; RSS ${fmtRatio(rssRatio)} — ${verdict(rssRatio <= 2.5, rssRatio > 0)}.`],
      raw: { results, gwCensus, bareCensus },
    };
  } finally {
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}
