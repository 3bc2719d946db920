// A reconnect storm (scenario 7): every socket of a population connects in the same instant, sends
// connection_init and, once acknowledged, subscribes (bench/procs/storm-client.ts). The client
// says when the last ack came; the server's own count of live subscriptions says when the last
// subscribe took (graphql-ws does not acknowledge a subscribe).
import { readFile } from 'node:fs/promises';
import type { CpuShare } from './cpu.js';
import { withCpuShare } from './cpu.js';
import type { Proc } from './proc.js';
import { sleep, spawnProc, until } from './proc.js';
import type { Summary } from './stats.js';
import { epochNow } from './timed-load.js';

export interface StormSpec {
  url: string;
  /** One socket per token (connection_init's `authorization: Bearer <token>`). */
  tokens: string[];
  /** Sockets not acknowledged by then count as failed. */
  timeoutMs: number;
}

export interface StormOutcome {
  /** Epoch ms when the client began creating the sockets. */
  startedAt: number;
  /** Sockets acknowledged and still fine when the last one settled. */
  acked: number;
  /** From the start to the last connection_ack (ms). */
  ackedMs: number;
  /** Attempts that failed before their ack and were to be tried again. */
  retried: number;
  /** Each socket's upgrade (101) and connection_ack, from the start (ms). */
  open: Summary;
  ack: Summary;
  /** Attempts that failed before their ack and were tried again, by what happened to them. */
  retries: Record<string, number>;
  /** Sockets that did not make it in the end, by what happened to them. */
  failures: Record<string, number>;
}

export interface StormClient {
  pid: number;
  storm(spec: StormSpec): Promise<StormOutcome>;
  closeAll(): Promise<number>;
  stop(): Promise<void>;
}

export async function startStormClient(): Promise<StormClient> {
  const proc: Proc<{ pid: number }> = await spawnProc('storm-client', 'bench/procs/storm-client.ts', {});
  return {
    pid: proc.pid,
    storm: (spec) => proc.call('storm', spec, spec.timeoutMs + 60_000),
    closeAll: () => proc.call('closeAll', null, 60_000),
    stop: () => proc.stop(),
  };
}

export interface StormTarget {
  wsUrl: string;
  tokens: string[];
  /** The server's counts: sockets past connection_init, live subscriptions. */
  stats(): Promise<{ connections: number; streams: number }>;
}

export interface StormResult extends StormOutcome {
  n: number;
  failed: number;
  /** Epoch ms when every acknowledged socket was also subscribed. */
  endedAt: number;
  /** From the start to the server counting every acknowledged socket's subscription (ms). */
  subscribedMs: number;
  /** From the start to the server counting half, and 99 %, of `n` (ms). */
  halfMs: number;
  mostMs: number;
  /** Connections the kernel dropped meanwhile because a listen queue was full (the whole host's count). */
  listenOverflows: number;
  cpu: CpuShare;
}

/** TcpExt ListenOverflows from /proc/net/netstat (NaN where there is none). */
async function listenOverflows(): Promise<number> {
  const text = await readFile('/proc/net/netstat', 'utf8').catch(() => '');
  const [names, values] = text.split('\n').filter((line) => line.startsWith('TcpExt:'));
  const i = names?.split(' ').indexOf('ListenOverflows') ?? -1;
  return i > 0 ? Number(values?.split(' ')[i]) : Number.NaN;
}

/** How often the server's count is read during a storm: the resolution of the subscribed times. */
const POLL_MS = 25;
/** A socket not acknowledged by then counts as failed. */
export const ACK_TIMEOUT_MS = 120_000;
/** After the last ack, how long the subscriptions may take to be counted. */
const SUBSCRIBE_TIMEOUT_MS = 60_000;

export async function storm(client: StormClient, target: StormTarget, pids: Record<string, number>): Promise<StormResult> {
  const n = target.tokens.length;
  const overflowsBefore = await listenOverflows();
  const { result, cpu } = await withCpuShare(pids, async () => {
    // An object, not a `let`: set from the callbacks below while the loop reads it.
    const state: { outcome: StormOutcome | null; error: Error | null } = { outcome: null, error: null };
    const storming = client.storm({ url: target.wsUrl, tokens: target.tokens, timeoutMs: ACK_TIMEOUT_MS }).then(
      (o) => void (state.outcome = o),
      (err: unknown) => void (state.error = err instanceof Error ? err : new Error(String(err))),
    );
    // The server's count over time, read after it answers: a busy server's figure comes late, never early.
    const polls: { at: number; streams: number }[] = [];
    for (;;) {
      const { streams } = await target.stats();
      const at = epochNow();
      polls.push({ at, streams });
      if (state.error) throw state.error;
      const { outcome } = state;
      if (outcome && streams >= outcome.acked) break;
      const lastAck = outcome ? outcome.startedAt + (outcome.ackedMs || 0) : Number.NaN;
      if (at - lastAck > SUBSCRIBE_TIMEOUT_MS) throw new Error(`storm: ${streams} of ${outcome?.acked ?? 0} acknowledged sockets subscribed ${SUBSCRIBE_TIMEOUT_MS} ms after the last ack`);
      await sleep(POLL_MS);
    }
    await storming;
    const o = state.outcome as StormOutcome | null;
    if (!o) throw new Error('storm: no outcome');
    // The first poll that counted so many: the outcome itself may have come much later (a timeout).
    const reached = (count: number) => (polls.find((p) => p.streams >= count)?.at ?? Number.NaN) - o.startedAt;
    const subscribedMs = Math.max(o.ackedMs, reached(o.acked));
    return { ...o, n, failed: n - o.acked, endedAt: o.startedAt + subscribedMs, subscribedMs, halfMs: reached(n / 2), mostMs: reached(Math.ceil(n * 0.99)) };
  });
  return { ...result, listenOverflows: (await listenOverflows()) - overflowsBefore, cpu };
}

/** The client hangs up every socket; the server must let go of them all before the next storm. */
export async function calm(client: StormClient, target: Pick<StormTarget, 'stats'>): Promise<void> {
  await client.closeAll();
  await until('the server to drop every socket', async () => (await target.stats()).connections === 0, 60_000, 200);
}

/** The failures of a storm as one line ("" when none). */
export function describeFailures(r: Pick<StormResult, 'failures'>): string {
  return Object.entries(r.failures)
    .sort((a, b) => b[1] - a[1])
    .map(([why, count]) => `${count} × ${why}`)
    .join('; ');
}
