// The live worker's bus: what the gateway process heard (its own changes, and other instances'
// through Redis) arrives over IPC; what the worker publishes goes to the gateway, which delivers
// it to its own listeners and to Redis. Lossy exactly when the gateway's bus is: the gateway
// forwards its health, so that the worker's reconciler sweeps as it would in one process.
import type { SessionChange } from '../sessions/change.js';
import type { BusHealth } from './bus.js';
import { LocalBus } from './bus.js';
import type { LiveNotice } from './notices.js';
import type { FromWorker } from './worker-messages.js';

export class WorkerBus extends LocalBus {
  override readonly lossy: boolean;

  constructor(
    lossy: boolean,
    private readonly send: (message: FromWorker) => void,
  ) {
    super();
    this.lossy = lossy;
  }

  override async publish(change: SessionChange): Promise<void> {
    this.deliver(change);
    this.send({ type: 'publish', change });
  }

  override publishNotice(notice: LiveNotice): void {
    this.deliverNotice(notice);
    this.send({ type: 'notice', notice });
  }

  /** A notice the gateway heard. */
  heardNotice(notice: LiveNotice): void {
    this.deliverNotice(notice);
  }

  /** A change the gateway heard. */
  heard(change: SessionChange): void {
    this.deliver(change);
  }

  health(health: BusHealth): void {
    for (const listener of this.healthListeners) listener(health);
  }
}
