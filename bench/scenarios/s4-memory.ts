// Scenario 4: heap and RSS per idle authenticated subscription socket at 10,000 sockets, gateway
// vs the bare `ws` server holding the same sockets (same client code). Memory is read in the
// server's process after two full GCs, before and after the sockets open.
import type { BenchContext } from '../lib/context.js';
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

export async function scenarioMemory(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  let gw: Gateway | null = null;
  let bare: BareWs | null = null;
  let client: WsClient | null = null;
  try {
    gw = await startGateway('s4-gateway', { databaseUrl: ctx.databaseUrl });
    bare = await startBareWs();
    client = await startWsClient();
    const g = gw;
    const b = bare;
    const c = client;
    // Warm both servers (code paths compiled, pools filled) so that "before" is a steady state.
    await measure(100, () => g.mem(), () => gatewayPopulation(g, c, 100), c);
    await measure(100, () => b.mem(), () => barePopulation(b, c, 100), c);
    const results: Record<'gateway' | 'bare', PerSocket[]> = { gateway: [], bare: [] };
    for (let run = 0; run < ctx.runs; run++) {
      for (const side of run % 2 ? (['bare', 'gateway'] as const) : (['gateway', 'bare'] as const)) {
        const r =
          side === 'gateway'
            ? await measure(n, () => g.mem(), () => gatewayPopulation(g, c, n), c)
            : await measure(n, () => b.mem(), () => barePopulation(b, c, n), c);
        results[side].push(r);
        ctx.log(`s4 run ${run + 1} ${side}: ${fmt(r.heapBytes / 1024, 2)} KiB heap, ${fmt(r.rssBytes / 1024, 2)} KiB RSS per socket`);
      }
    }
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
      ],
      // RSS rarely shrinks after a GC, so a small run can show a negative growth: no ratio then.
      notes: [`Target ≤ 2.5× the bare server: heap ${fmtRatio(heapRatio)} — ${verdict(heapRatio <= 2.5, heapRatio > 0)}; RSS ${fmtRatio(rssRatio)} — ${verdict(rssRatio <= 2.5, rssRatio > 0)}.`],
      raw: results,
    };
  } finally {
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}
