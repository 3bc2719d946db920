// What the gateway process tells its live worker (./worker-host.ts), in order. A change of thousands
// of rows (a mass revocation) is serialized for the IPC channel in parts, one part per turn of the
// loop that answers HTTP, instead of in one pass of tens of milliseconds; the worker puts the rows
// back together before its bus hears the change (../process/live-worker.ts). Whatever is told
// meanwhile waits behind the parts, so the worker hears every change and notice in order.
import type { SessionChange } from '../sessions/change.js';
import type { SessionRow } from '../sessions/model.js';
import type { ToWorker } from './worker-messages.js';

export type OrderedMessage = Extract<ToWorker, { type: 'change' | 'notice' | 'health' }>;

export class WorkerOutbox {
  private readonly queue: ToWorker[] = [];
  private draining = false;

  constructor(
    /** Sends one message now; false when no worker took it (none running, or it could not be sent). */
    private readonly send: (message: ToWorker) => boolean,
    private readonly partRows: number,
  ) {}

  /** Sent at once when nothing is waiting; else after what is. */
  tell(message: OrderedMessage): void {
    this.queue.push(...this.partsOf(message));
    if (!this.draining) this.drain();
  }

  /** Messages not sent yet (a worker that died takes none of them). */
  clear(): void {
    this.queue.length = 0;
  }

  private partsOf(message: OrderedMessage): ToWorker[] {
    const rows = message.type === 'change' ? message.change.sessions : undefined;
    if (message.type !== 'change' || !rows || rows.length <= this.partRows) return [message];
    const parts: ToWorker[] = [];
    for (let at = 0; at < rows.length; at += this.partRows) parts.push({ type: 'rows', rows: rows.slice(at, at + this.partRows) });
    parts.push({ type: 'change', change: { ...message.change, sessions: undefined }, inParts: true });
    return parts;
  }

  private drain(): void {
    const next = this.queue.shift();
    if (!next) {
      this.draining = false;
      return;
    }
    this.draining = true;
    // Not taken: the worker is gone, and the next one starts without its sockets. What waits here
    // must not reach it either (a change's last parts without its first ones).
    if (!this.send(next)) this.clear();
    if (this.queue.length === 0) this.draining = false;
    else setImmediate(() => this.drain());
  }
}

/** The worker's side: rows of a change in parts, kept until the change itself arrives. */
export class PartsInbox {
  private parts: SessionRow[][] = [];

  rows(rows: SessionRow[]): void {
    this.parts.push(rows);
  }

  /** The change as it was published: its rows, if it came in parts, put back. */
  change(message: Extract<ToWorker, { type: 'change' }>): SessionChange {
    if (!message.inParts) return message.change;
    const sessions = this.parts.flat();
    this.parts = [];
    return { ...message.change, sessions };
  }
}
