// The orchestrator's side of bench/procs/ws-client.ts.
import type { Proc } from './proc.js';
import { spawnProc } from './proc.js';
import type { Summary } from './stats.js';

export interface OpenSpec {
  url: string;
  /** One socket per entry: the token it authenticates with, and its own session's id. */
  entries: { token: string; ownId: string }[];
  subscribe: boolean;
  concurrency: number;
  timeoutMs: number;
}

export interface KickSpec {
  /** The revoking request (a GraphQL mutation, or the bare server's /kick). */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Own ids of the sockets this request must reach. */
  expectIds: string[];
  timeoutMs: number;
}

export interface KickResult {
  complete: boolean;
  kicked: number;
  /** How long the revoking request itself took (ms). */
  responseMs: number;
  /** From the request's response to each socket's own REVOKED event (ms). */
  event: Summary;
  /** From the request's response to each socket's close (ms). */
  close: Summary;
  /** From the request's start to each socket's own REVOKED event (ms): never negative. */
  eventFromRequest: Summary;
  closeFromRequest: Summary;
  missingEvents: number;
  missingCloses: number;
  wrongCloseCodes: number;
  /** The most `next` frames any kicked socket received: 1 means no fan-out of others' events. */
  maxNextsPerKicked: number;
  /**
   * The most events about *other sessions of the same kick* that any kicked socket received: 0 means no quadratic
   * fan-out. (`maxNextsPerKicked` can exceed 1 without that: list updates of an earlier single revocation still
   * arriving, now that the gateway sends them in chunks.)
   */
  maxForeignPerKicked: number;
  /** `next` frames the sockets that stayed open received (the user's other tabs). */
  nextsToOthers: number;
}

export interface WsClient {
  pid: number;
  open(spec: OpenSpec): Promise<{ opened: number; failed: number; ms: number; firstError?: string }>;
  kick(spec: KickSpec): Promise<KickResult>;
  closeAll(): Promise<number>;
  stop(): Promise<void>;
}

export async function startWsClient(): Promise<WsClient> {
  const proc: Proc<{ pid: number }> = await spawnProc('ws-client', 'bench/procs/ws-client.ts', {});
  return {
    pid: proc.pid,
    open: (spec) => proc.call('open', spec, spec.timeoutMs + spec.entries.length * 20 + 60_000),
    kick: (spec) => proc.call('kick', spec, spec.timeoutMs + 30_000),
    closeAll: () => proc.call('closeAll', null, 60_000),
    stop: () => proc.stop(),
  };
}

/** A kick counts only if every socket got its own event and a 4403 close. */
export function assertKick(what: string, r: KickResult): void {
  if (!r.complete || r.missingEvents || r.missingCloses || r.wrongCloseCodes) {
    throw new Error(`${what}: ${r.kicked} sockets, ${r.missingEvents} without their event, ${r.missingCloses} not closed, ${r.wrongCloseCodes} with another close code`);
  }
}
