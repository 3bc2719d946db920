// LIVE_WORKER: the gateway process answers HTTP and hands every WebSocket upgrade (its TCP socket,
// with the parsed request head) to a child process that holds the sockets: a kick of thousands of
// sockets then runs on another core than the one answering requests. The child is a whole gateway
// without a listening port (../process/live-worker.ts); every change this process's bus hears is
// forwarded to it, and what it publishes comes back here. A child that dies is started again; its
// clients reconnect as they do after a restart.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { SessionChange } from '../sessions/change.js';
import type { BusHealth, EventBus } from './bus.js';
import type { LiveNotice } from './notices.js';
import type { Presence } from './presence.js';
import type { LiveSockets } from './ws.js';
import { reject } from './ws.js';
import type { FromWorker, LiveStats, ToWorker } from './worker-messages.js';
import { WorkerOutbox } from './worker-outbox.js';

/** A first start migrates nothing (the gateway did), but opens the database and builds the schema. */
const READY_TIMEOUT_MS = 60_000;
/** After this long past its drain window, a worker that did not exit is killed. */
const EXIT_GRACE_MS = 5000;
const RESTART_DELAY_MS = [250, 1000, 5000];
const NO_WORKER: LiveStats = { connections: 0, sessions: 0, users: 0, streams: 0, clients: 0, pid: 0 };

/** The native handle of a TCP socket, as Node's `net` holds it (not a public API). */
interface TcpHandle {
  readStop?: () => number;
}

/** The worker's entry, next to this build's own files (the sources through tsx, or dist/). */
function workerEntry(): { file: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(`../process/live-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  return { file, execArgv: fromSources ? ['--import', 'tsx'] : ['--enable-source-maps'] };
}

export class LiveWorkerHost implements LiveSockets {
  private child: ChildProcess | null = null;
  /** A worker forked and not ready yet (a restart): close() must end it too, or it outlives us. */
  private starting: ChildProcess | null = null;
  private accepting = true;
  private stopping = false;
  private restarts = 0;
  private lastCount = 0;
  private lastHealth: BusHealth | null = null;
  private nextStatsId = 0;
  private readonly pendingStats = new Map<number, (stats: LiveStats) => void>();
  /** Changes the worker published: not sent back to it. */
  private readonly fromWorker = new WeakSet<SessionChange | LiveNotice>();
  private readonly unsubscribe: () => void;
  private readonly stopHealth: () => void;
  private readonly stopNotices: () => void;
  /** Changes, notices and health, in order; a large change in parts (./worker-outbox.ts). */
  private readonly outbox: WorkerOutbox;

  constructor(
    private readonly bus: EventBus,
    /** The worker's sockets' presence, written by this process (it told us its transitions). */
    private readonly presence: Presence,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv,
    private readonly options: { drainMs: number; workerPartRows: number },
  ) {
    this.outbox = new WorkerOutbox((message) => this.send(message), options.workerPartRows);
    this.unsubscribe = bus.subscribe((change) => {
      if (!this.fromWorker.has(change)) this.outbox.tell({ type: 'change', change });
    });
    this.stopNotices = bus.onNotice((notice) => {
      if (!this.fromWorker.has(notice)) this.outbox.tell({ type: 'notice', notice });
    });
    this.stopHealth = bus.onHealth((health) => {
      this.lastHealth = health;
      this.outbox.tell({ type: 'health', health });
    });
  }

  /** Starts the worker and resolves once it can take sockets. */
  start(): Promise<void> {
    const { file, execArgv } = workerEntry();
    const child = fork(file, [], { env: { ...this.env, LIVE_WORKER_CHILD: '1' }, execArgv, serialization: 'advanced', stdio: 'inherit' });
    this.starting = child;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('the live worker did not start in time')), READY_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        if (this.starting === child) this.starting = null;
        child.kill('SIGKILL');
        reject(err);
      };
      child.once('error', fail);
      child.once('exit', (code, signal) => {
        if (this.child !== child) return fail(new Error(`the live worker exited at start (${signal ?? code})`));
        this.exited(child, code, signal);
      });
      child.on('message', (message: FromWorker) => {
        if (message.type !== 'ready') return this.received(message);
        clearTimeout(timer);
        if (this.starting === child) this.starting = null;
        // Ready after close() began (a restart under way): not wanted any more.
        if (this.stopping) {
          child.kill('SIGKILL');
          return resolve();
        }
        child.off('error', fail);
        child.on('error', (err) => this.log.error({ err: err.message }, 'live worker error'));
        this.child = child;
        this.restarts = 0;
        // A worker started during a Redis gap must not trust that it hears everything.
        if (this.lastHealth?.state === 'degraded') this.outbox.tell({ type: 'health', health: this.lastHealth });
        this.log.info({ pid: child.pid }, 'live worker ready');
        resolve();
      });
    });
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const child = this.child;
    if (!this.accepting || !child) return reject(socket, 503, 'Service Unavailable');
    const message: ToWorker = {
      type: 'upgrade',
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      httpVersion: request.httpVersion,
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      head,
    };
    // Until the handle is closed here, this process keeps reading the socket, and Node drops what
    // it reads once the handle is on its way: the client's first frame, sent as soon as the worker
    // answered 101, would be lost. Stopped now, the bytes wait in the kernel for the worker.
    (socket as unknown as { _handle?: TcpHandle })._handle?.readStop?.();
    child.send(message, socket as Socket, (err) => {
      if (err) reject(socket, 503, 'Service Unavailable');
    });
  }

  clients(): number {
    return this.lastCount;
  }

  /** The worker's registry and socket count. */
  stats(): Promise<LiveStats> {
    const id = this.nextStatsId++;
    return new Promise((resolve) => {
      this.pendingStats.set(id, resolve);
      if (!this.send({ type: 'stats', id })) {
        this.pendingStats.delete(id);
        resolve(NO_WORKER);
      }
    });
  }

  async close(): Promise<void> {
    this.accepting = false;
    this.stopping = true;
    this.unsubscribe();
    this.stopHealth();
    this.stopNotices();
    if (this.starting?.exitCode === null) this.starting.kill('SIGKILL');
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const kill = setTimeout(() => child.kill('SIGKILL'), this.options.drainMs + EXIT_GRACE_MS);
    this.send({ type: 'stop' });
    await exited;
    clearTimeout(kill);
  }

  private send(message: ToWorker): boolean {
    const child = this.child;
    if (!child?.connected) return false;
    try {
      child.send(message);
      return true;
    } catch (err) {
      // A worker that cannot be told a change must not keep sockets that may have been revoked:
      // killed, it is started again and its clients reconnect, checked afresh.
      this.log.error({ err: (err as Error).message, type: message.type }, 'live worker could not be told: killing it');
      child.kill('SIGKILL');
      return false;
    }
  }

  private received(message: FromWorker): void {
    switch (message.type) {
      case 'publish':
        this.fromWorker.add(message.change);
        void this.bus.publish(message.change);
        return;
      case 'stats':
        this.pendingStats.get(message.id)?.(message.stats);
        this.pendingStats.delete(message.id);
        return;
      case 'notice':
        this.fromWorker.add(message.notice);
        this.bus.publishNotice(message.notice);
        return;
      case 'presence':
        this.presence.changed(message.online, message.offline);
        return;
      case 'clients':
        this.lastCount = message.count;
        return;
      case 'ready':
        return;
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) this.child = null;
    this.lastCount = 0;
    // Parts of a change it will never put together: the next worker starts without its sockets.
    this.outbox.clear();
    // Its sockets are gone: so is their presence.
    this.presence.reset();
    for (const resolve of this.pendingStats.values()) resolve(NO_WORKER);
    this.pendingStats.clear();
    if (this.stopping) return;
    const delay = RESTART_DELAY_MS[Math.min(this.restarts++, RESTART_DELAY_MS.length - 1)];
    this.log.error({ code, signal, restartInMs: delay }, 'live worker exited: its sockets are gone; starting another');
    setTimeout(() => {
      if (this.stopping) return;
      this.start().catch((err: unknown) => {
        this.log.error({ err: (err as Error).message }, 'live worker did not start again');
        this.exited(child, null, null);
      });
    }, delay).unref();
  }
}
