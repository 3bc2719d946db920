// The soak (issue #7), shared by tests/soak.test.ts (bounded) and scripts/soak.ts (the full run).
//
// N virtual clients, each with its own pre-created user, loop until time is up: sign in, list the
// sessions, revoke one older session (sometimes while a socket of that session is open, which must
// then be kicked with 4403), now and then revokeOtherSessions, present a revoked token (must be
// refused), open a subscription socket and drop it. Each client keeps a model of its user's
// sessions, so every answer can be checked exactly: the session list equals the model's live set,
// revokedCount equals the model's count. Afterwards every token is presented once more: revoked
// ones must get 401, live ones must be accepted.
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import WebSocket from 'ws';
import type { GqlResponse, TestUser } from './helpers/graphql.js';
import { gql, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';

export interface SoakOptions {
  clients: number;
  seconds: number;
  /** Before the measured run; default a sixth of it, 2 to 10 s. */
  warmupSeconds?: number;
  /** Progress lines (the script prints them; the test stays quiet). */
  log?: (line: string) => void;
}

type Operation = 'signIn' | 'sessions' | 'revokeSession' | 'revokeOtherSessions' | 'refusedToken' | 'reRevoke' | 'socketAck' | 'verify';

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SoakReport {
  clients: number;
  warmupSeconds: number;
  seconds: number;
  iterations: number;
  requests: number;
  requestsPerSecond: number;
  latency: LatencyFigures;
  byOperation: Record<string, LatencyFigures>;
  socketsOpened: number;
  kicks: number;
  /** Requests and sockets that did not answer as the model said: a few examples of each kind, and the count. */
  failures: string[];
  failureCount: number;
  revokedChecked: number;
  liveChecked: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  registryAfter: { connections: number; sessions: number; users: number; streams: number };
  socketsAfter: number;
}

/** At most this many examples are kept of each kind of failure (the count is exact). */
const EXAMPLES_PER_KIND = 3;
/**
 * A socket that has not been acknowledged, or kicked, within this long is a failure. Generous:
 * on a loaded 2-core machine a sign-in stampede can hold the event loop for seconds.
 */
const SOCKET_TIMEOUT_MS = 30_000;
/** Clients start spread over this long, so that the first round is not a stampede. */
const RAMP_UP_MS = 2_000;
const SIGN_IN = 'mutation SignIn($input: SignInInput!) { signIn(input: $input) { token session { id } } }';
const SESSIONS = '{ sessions { id isCurrent } }';
const REVOKE = 'mutation Revoke($id: ID!) { revokeSession(id: $id) { id revokedAt } }';
const REVOKE_OTHERS = 'mutation { revokeOtherSessions { revokedCount } }';
const ME = '{ me { id } }';

/** What one client knows of its user's sessions: token and whether it revoked it. */
interface TrackedSession {
  id: string;
  token: string;
  live: boolean;
}

class Recorder {
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
  async request<T>(server: TestServer, op: Operation, query: string, variables: Record<string, unknown> | undefined, token: string): Promise<GqlResponse<T> | null> {
    const started = performance.now();
    try {
      const res = await gql<T>(server, query, variables, { token });
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
function answered<T>(rec: Recorder, what: string, res: GqlResponse<T> | null): T | null {
  if (!res) return null;
  if (res.status === 200 && res.data && !res.errors) return res.data;
  rec.fail(`${what}: ${res.status} ${JSON.stringify(res.errors ?? res.data).slice(0, 300)}`);
  return null;
}

/** Expects a coded refusal with this status and code; records a failure otherwise. */
function refused(rec: Recorder, what: string, res: GqlResponse<unknown> | null, status: number, code: string): void {
  if (!res) return;
  if (res.status !== status || res.code !== code) rec.fail(`${what}: expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.errors ?? res.data).slice(0, 300)}`);
}

function pick<T>(items: T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}

// ---------------------------------------------------------------------------------------------
// Sockets

interface OpenedSocket {
  ws: WebSocket;
  acked: boolean;
  closed: Promise<number>;
}

/** Opens a socket for `token`, sends connection_init, and waits for the ack (or the close). */
async function openSocket(server: TestServer, token: string, rec: Recorder): Promise<OpenedSocket> {
  const started = performance.now();
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const socket: OpenedSocket = { ws, acked: false, closed };
  const acked = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      if (String(data).includes('"connection_ack"')) {
        socket.acked = true;
        resolve();
      }
    });
  });
  ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  await Promise.race([acked, closed, sleep(SOCKET_TIMEOUT_MS)]);
  if (socket.acked) rec.record('socketAck', performance.now() - started);
  return socket;
}

function subscribe(socket: OpenedSocket): void {
  socket.ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'subscription { sessionEvents { type session { id } } }' } }));
}

/** Waits for the close code, or -1 after the timeout (the socket is then terminated). */
async function closeCode(socket: OpenedSocket, timeoutMs = SOCKET_TIMEOUT_MS): Promise<number> {
  const code = await Promise.race([socket.closed, sleep(timeoutMs).then(() => -1)]);
  if (code === -1) socket.ws.terminate();
  return code;
}

// ---------------------------------------------------------------------------------------------
// One virtual client

class VirtualClient {
  private readonly sessions = new Map<string, TrackedSession>();
  private current: TrackedSession | null = null;

  constructor(
    private readonly server: TestServer,
    private readonly user: TestUser,
    private readonly rec: Recorder,
  ) {
    // The sign-up session is the first one the model knows.
    this.sessions.set(user.sessionId, { id: user.sessionId, token: user.token, live: true });
  }

  get tracked(): TrackedSession[] {
    return [...this.sessions.values()];
  }

  get userId(): string {
    return this.user.userId;
  }

  private liveOthers(): TrackedSession[] {
    return this.tracked.filter((s) => s.live && s.id !== this.current?.id);
  }

  async iterate(): Promise<void> {
    if (!(await this.signIn())) return;
    await this.checkSessionList();
    const victim = pick(this.liveOthers());
    // In a third of the rounds the session about to be revoked has a socket open: it must be kicked.
    if (victim) await (Math.random() < 1 / 3 ? this.revokeWithSocketOpen(victim) : this.revoke(victim));
    if (Math.random() < 1 / 5) await this.revokeOthers();
    await this.presentRevokedToken();
    await this.openAndDropSocket();
    this.rec.iterations++;
  }

  private async signIn(): Promise<boolean> {
    const res = await this.rec.request<{ signIn: { token: string; session: { id: string } } }>(this.server, 'signIn', SIGN_IN, { input: { email: this.user.email, password: this.user.password } }, '');
    const data = answered(this.rec, 'signIn', res);
    if (!data) return false;
    this.current = { id: data.signIn.session.id, token: data.signIn.token, live: true };
    this.sessions.set(this.current.id, this.current);
    return true;
  }

  /** The server's list of live sessions is exactly the model's. */
  private async checkSessionList(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const res = await this.rec.request<{ sessions: { id: string; isCurrent: boolean }[] }>(this.server, 'sessions', SESSIONS, undefined, current.token);
    const data = answered(this.rec, 'sessions', res);
    if (!data) return;
    const listed = data.sessions.map((s) => s.id).sort();
    const expected = this.tracked.filter((s) => s.live).map((s) => s.id).sort();
    if (JSON.stringify(listed) !== JSON.stringify(expected)) this.rec.fail(`sessions: listed ${listed.length} (${listed.join(',')}), the model has ${expected.length} (${expected.join(',')})`);
    const currents = data.sessions.filter((s) => s.isCurrent).map((s) => s.id);
    if (currents.length !== 1 || currents[0] !== current.id) this.rec.fail(`sessions: isCurrent on ${currents.join(',')}, expected ${current.id}`);
  }

  private async revoke(victim: TrackedSession): Promise<void> {
    const current = this.current;
    if (!current) return;
    const res = await this.rec.request<{ revokeSession: { id: string } }>(this.server, 'revokeSession', REVOKE, { id: victim.id }, current.token);
    if (answered(this.rec, 'revokeSession', res)) victim.live = false;
  }

  /** Revokes a session whose socket is open: the socket must be closed with 4403. */
  private async revokeWithSocketOpen(victim: TrackedSession): Promise<void> {
    const socket = await openSocket(this.server, victim.token, this.rec);
    this.rec.socketsOpened++;
    if (!socket.acked) {
      this.rec.fail(`kick: the socket of a live session was not acknowledged (close ${await closeCode(socket, 0)})`);
      socket.ws.terminate();
      return this.revoke(victim);
    }
    subscribe(socket);
    await this.revoke(victim);
    const code = await closeCode(socket);
    if (code === 4403) this.rec.kicks++;
    else this.rec.fail(`kick: the socket of a revoked session closed with ${code}, expected 4403`);
  }

  private async revokeOthers(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const others = this.liveOthers();
    const res = await this.rec.request<{ revokeOtherSessions: { revokedCount: number } }>(this.server, 'revokeOtherSessions', REVOKE_OTHERS, undefined, current.token);
    const data = answered(this.rec, 'revokeOtherSessions', res);
    if (!data) return;
    if (data.revokeOtherSessions.revokedCount !== others.length) this.rec.fail(`revokeOtherSessions: revoked ${data.revokeOtherSessions.revokedCount}, the model had ${others.length} others`);
    for (const s of others) s.live = false;
  }

  /** The expected coded refusals: a revoked token is 401, revoking it again is NOT_FOUND. */
  private async presentRevokedToken(): Promise<void> {
    const current = this.current;
    const revoked = pick(this.tracked.filter((s) => !s.live));
    if (!current || !revoked) return;
    refused(this.rec, 'a revoked token', await this.rec.request(this.server, 'refusedToken', ME, undefined, revoked.token), 401, 'UNAUTHENTICATED');
    if (Math.random() < 1 / 3) refused(this.rec, 'revoking a revoked session', await this.rec.request(this.server, 'reRevoke', REVOKE, { id: revoked.id }, current.token), 404, 'NOT_FOUND');
  }

  /** A subscription socket for the current session, dropped: closed cleanly or cut off. */
  private async openAndDropSocket(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const socket = await openSocket(this.server, current.token, this.rec);
    this.rec.socketsOpened++;
    if (!socket.acked) {
      this.rec.fail(`socket: a live session's socket was not acknowledged (close ${await closeCode(socket, 0)})`);
      socket.ws.terminate();
      return;
    }
    subscribe(socket);
    if (Math.random() < 1 / 2) socket.ws.close(1000);
    else socket.ws.terminate();
    await closeCode(socket);
  }
}

// ---------------------------------------------------------------------------------------------
// The run

/** heapUsed after full collections; exposes gc at run time when the process was not started with it. */
export async function settledHeapUsed(): Promise<number> {
  v8.setFlagsFromString('--expose-gc');
  const gc = (globalThis.gc ?? vm.runInNewContext('gc')) as () => void;
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

/** Pre-creates one user per client, a few at a time (sign-up hashes a password: ~55 ms of CPU). */
async function createUsers(server: TestServer, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  while (users.length < count) {
    const batch = Math.min(4, count - users.length);
    users.push(...(await Promise.all(Array.from({ length: batch }, () => signUp(server)))));
  }
  return users;
}

/** Starts client i after its share of the ramp-up. */
function rampDelay(i: number, count: number): Promise<void> {
  return sleep(Math.floor((i * RAMP_UP_MS) / Math.max(1, count)));
}

/** Runs every client's loop until the deadline; each finishes its current round. */
async function loopUntil(clients: VirtualClient[], deadline: number, rampUp: boolean): Promise<void> {
  await Promise.all(
    clients.map(async (client, i) => {
      if (rampUp) await rampDelay(i, clients.length);
      while (Date.now() < deadline) await client.iterate();
    }),
  );
}

/** Every revoked token is refused and every live one accepted, with its own user. */
async function verifyAll(server: TestServer, clients: VirtualClient[], rec: Recorder): Promise<{ revoked: number; live: number }> {
  const counts = { revoked: 0, live: 0 };
  await Promise.all(
    clients.map(async (client) => {
      for (const s of client.tracked) {
        const res = await rec.request<{ me: { id: string } }>(server, 'verify', ME, undefined, s.token);
        if (!res) continue;
        if (s.live) {
          counts.live++;
          const data = answered(rec, `verify live session ${s.id}`, res);
          if (data && data.me.id !== client.userId) rec.fail(`verify: live session ${s.id} answered as user ${data.me.id}`);
        } else {
          counts.revoked++;
          refused(rec, `verify revoked session ${s.id}`, res, 401, 'UNAUTHENTICATED');
        }
      }
    }),
  );
  return counts;
}

/** Waits until the server holds no socket and no registration (or the timeout). */
async function untilDrained(server: TestServer, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stats = server.app.registry.stats();
    if (server.app.sockets.clients() === 0 && stats.connections === 0 && stats.streams === 0) return;
    await sleep(50);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function figures(values: number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: Math.round(percentile(sorted, 50) * 10) / 10, p99Ms: Math.round(percentile(sorted, 99) * 10) / 10 };
}

export async function runSoak(server: TestServer, options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  log(`creating ${options.clients} users`);
  const users = await createUsers(server, options.clients);
  // Warm-up: the same loop for a while, so that the baseline heap includes what the first rounds
  // allocate for good (optimised code, statement caches, pooled connections), and the heap check
  // measures growth in a steady state.
  const warmupSeconds = options.warmupSeconds ?? Math.min(10, Math.max(2, options.seconds / 6));
  const rec = new Recorder();
  const clients = users.map((u) => new VirtualClient(server, u, rec));
  await loopUntil(clients, Date.now() + warmupSeconds * 1000, true);
  await untilDrained(server);
  const heapBeforeBytes = await settledHeapUsed();
  log(`warm: heap ${(heapBeforeBytes / 2 ** 20).toFixed(1)} MiB; soaking ${options.clients} clients for ${options.seconds} s`);

  // The same clients go on: each one's model of its user's sessions spans the warm-up too.
  rec.resetFigures();
  const started = performance.now();
  await loopUntil(clients, Date.now() + options.seconds * 1000, false);
  const seconds = (performance.now() - started) / 1000;
  // Requests only: socket acknowledgements and the verification pass are reported apart.
  const soakLatencies = [...rec.latencies].filter(([op]) => op !== 'verify' && op !== 'socketAck').flatMap(([, list]) => list);
  log(`soak done: ${rec.iterations} rounds, ${soakLatencies.length} requests; verifying every session`);

  const verified = await verifyAll(server, clients, rec);
  await untilDrained(server);
  const heapAfterBytes = await settledHeapUsed();
  return {
    clients: options.clients,
    warmupSeconds,
    seconds: Math.round(seconds * 10) / 10,
    iterations: rec.iterations,
    requests: soakLatencies.length,
    requestsPerSecond: Math.round(soakLatencies.length / seconds),
    latency: figures(soakLatencies),
    byOperation: Object.fromEntries([...rec.latencies].map(([op, list]) => [op, figures(list)])),
    socketsOpened: rec.socketsOpened,
    kicks: rec.kicks,
    failures: rec.failures,
    failureCount: rec.failureCount,
    revokedChecked: verified.revoked,
    liveChecked: verified.live,
    heapBeforeBytes,
    heapAfterBytes,
    registryAfter: server.app.registry.stats(),
    socketsAfter: server.app.sockets.clients(),
  };
}

export function formatReport(r: SoakReport): string {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const growth = ((r.heapAfterBytes / r.heapBeforeBytes - 1) * 100).toFixed(1);
  const ops = Object.entries(r.byOperation).map(([op, f]) => `  ${op.padEnd(20)} ${String(f.count).padStart(6)}  p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms`);
  return [
    `clients ${r.clients}, ${r.seconds} s after a ${r.warmupSeconds} s warm-up, ${r.iterations} rounds`,
    `requests ${r.requests} (${r.requestsPerSecond} req/s), p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms`,
    ...ops,
    `sockets opened ${r.socketsOpened}, kicked with 4403 ${r.kicks}`,
    `verified afterwards: ${r.revokedChecked} revoked sessions refused, ${r.liveChecked} live sessions accepted`,
    `heap before ${mib(r.heapBeforeBytes)}, after ${mib(r.heapAfterBytes)} (${growth}%)`,
    `registry after ${JSON.stringify(r.registryAfter)}, open sockets ${r.socketsAfter}`,
    `failures ${r.failureCount === 0 ? 'none' : `${r.failureCount}\n  ${r.failures.join('\n  ')}`}`,
  ].join('\n');
}
