// What the gateway process and its live worker (./worker-host.ts, ../process/live-worker.ts) say to
// each other over the IPC channel. Advanced serialization: rows keep their Dates, nothing to revive.
import type { IncomingHttpHeaders } from 'node:http';
import type { SessionChange } from '../sessions/change.js';
import type { SessionRow } from '../sessions/model.js';
import type { BusHealth } from './bus.js';
import type { LiveNotice, PresenceRef } from './notices.js';
import type { RegistryStats } from './registry.js';

export interface LiveStats extends RegistryStats {
  /** WebSockets open (authenticated or not). */
  clients: number;
  /** The process holding them (the worker's, with LIVE_WORKER). */
  pid: number;
}

/** An HTTP upgrade as the gateway parsed it; its TCP socket travels as the message's handle. */
export interface UpgradeMessage {
  type: 'upgrade';
  method: string;
  url: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  /** Bytes the client sent after the request head (normally none: it waits for the 101). */
  head: Uint8Array;
}

export type ToWorker =
  | UpgradeMessage
  /**
   * A change heard by the gateway's bus (its own, or another instance's through Redis). `inParts`:
   * its rows came before it in `rows` messages (a large change goes out in parts, ./worker-outbox.ts).
   */
  | { type: 'change'; change: SessionChange; inParts?: true }
  /** Some rows of the next change that comes `inParts`, in order. */
  | { type: 'rows'; rows: SessionRow[] }
  | { type: 'health'; health: BusHealth }
  /** A notice heard by the gateway's bus (presence transitions, membership changes). */
  | { type: 'notice'; notice: LiveNotice }
  | { type: 'stats'; id: number }
  /** Drain the sockets (1012 over the drain window), close, exit. */
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  /** A change the worker made (a session it found expired): the gateway publishes it. */
  | { type: 'publish'; change: SessionChange }
  | { type: 'stats'; id: number; stats: LiveStats }
  /** A notice the worker made (a membership change through a socket's mutation): the gateway publishes it. */
  | { type: 'notice'; notice: LiveNotice }
  /** Sessions whose first socket opened / last socket closed in the worker: the gateway tracks its presence. */
  | { type: 'presence'; online: PresenceRef[]; offline: PresenceRef[] }
  | { type: 'clients'; count: number };
