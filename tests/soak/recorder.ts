// What the soak's clients record: each request's latency, and failures (a few examples of each kind).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GqlResponse } from '../helpers/graphql.js';
import { documentText, rawGql } from '../helpers/graphql.js';
import type { TestServer } from '../helpers/server.js';

export type Operation = 'signIn' | 'sessions' | 'revokeSession' | 'revokeOtherSessions' | 'refusedToken' | 'reRevoke' | 'socketAck' | 'verify';

/** At most this many examples are kept of each kind of failure (the count is exact). */
const EXAMPLES_PER_KIND = 3;

export class Recorder {
  readonly latencies = new Map<Operation, number[]>();
  private readonly failuresByKind = new Map<string, { count: number; examples: string[] }>();
  failureCount = 0;
  socketsOpened = 0;
  kicks = 0;
  iterations = 0;

  /** Records a failure; its kind is the text before the first colon. */
  fail(what: string): void {
    this.failureCount++;
    const kind = what.split(':')[0] ?? what;
    let entry = this.failuresByKind.get(kind);
    if (!entry) this.failuresByKind.set(kind, (entry = { count: 0, examples: [] }));
    entry.count++;
    if (entry.examples.length < EXAMPLES_PER_KIND) entry.examples.push(what);
  }

  /** Forgets the figures, not the failures: the warm-up's failures count, its timings do not. */
  resetFigures(): void {
    this.latencies.clear();
    this.socketsOpened = 0;
    this.kicks = 0;
    this.iterations = 0;
  }

  /** One line per kind with its count, then its examples. */
  get failures(): string[] {
    return [...this.failuresByKind].flatMap(([kind, e]) => [`${kind} ×${e.count}`, ...e.examples.map((x) => `  ${x}`)]);
  }

  /** Sends one GraphQL request and records its latency; a transport error counts as a failure. */
  async request<R, V extends Record<string, unknown>>(server: TestServer, op: Operation, document: TypedDocumentNode<R, V>, variables: V | undefined, token: string): Promise<GqlResponse<R> | null> {
    const started = performance.now();
    try {
      const res = await rawGql<R>(server, documentText(document), variables, { token });
      this.record(op, performance.now() - started);
      return res;
    } catch (err) {
      this.fail(`${op}: ${(err as Error).message}`);
      return null;
    }
  }

  record(op: Operation, ms: number): void {
    let list = this.latencies.get(op);
    if (!list) this.latencies.set(op, (list = []));
    list.push(ms);
  }
}

/** Expects 200 with data and no errors; records a failure otherwise. */
export function answered<T>(rec: Recorder, what: string, res: GqlResponse<T> | null): T | null {
  if (!res) return null;
  if (res.status === 200 && res.data && !res.errors) return res.data;
  rec.fail(`${what}: ${res.status} ${JSON.stringify(res.errors ?? res.data).slice(0, 300)}`);
  return null;
}

/** Expects a coded refusal with this status and code; records a failure otherwise. */
export function refused(rec: Recorder, what: string, res: GqlResponse<unknown> | null, status: number, code: string): void {
  if (!res) return;
  if (res.status !== status || res.code !== code) rec.fail(`${what}: expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.errors ?? res.data).slice(0, 300)}`);
}
