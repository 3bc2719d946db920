// The database is the truth, the bus the fast path. Whenever this instance may have missed
// messages (Redis reconnected or did not answer), and now and then in any case, it settles its
// open sockets against the database in one query: revoked sockets are kicked, a changed role is
// told, and after a gap every socket hears of the sessions created or revoked meanwhile.
import type { Logger } from 'pino';
import { readSettlingRows } from '../sessions/rows.js';
import type { PrismaClient } from '../db/client.js';
import type { BusHealth, EventBus } from './bus.js';
import type { LiveRegistry } from './registry.js';

export interface SweepOptions {
  /** Between two sweeps while the bus is healthy: bounds the delay of a message lost silently. */
  sweepMs: number;
  /** Between two sweeps while the bus may be missing messages (Redis down or hung). */
  degradedSweepMs: number;
}

/** Changes committed this long before a gap began are looked at again: commits in flight, clock skew. */
const SINCE_MARGIN_MS = 5000;

export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private degraded = false;
  private closed = false;
  private running: Promise<void> | null = null;
  private readonly stopHealth: () => void;
  /** The start of a gap whose changes are still to be replayed (kept until a pass succeeds). */
  private replaySince: Date | null = null;

  constructor(
    private readonly registry: LiveRegistry,
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    bus: EventBus,
    private readonly options: SweepOptions,
  ) {
    this.stopHealth = bus.onHealth((health) => this.onHealth(health));
    // An in-process bus loses nothing: only a lossy one needs sweeping.
    if (bus.lossy) this.schedule();
  }

  /** One pass; `since`: also replay what was created or revoked since then. Resolves to the sockets kicked. */
  async settle(since: Date | null = null): Promise<number> {
    const { sessionIds, userIds } = this.registry.held();
    if (sessionIds.length === 0) return 0;
    const rows = await readSettlingRows(this.prisma, sessionIds, userIds, since);
    const kicked = this.registry.settle(rows, sessionIds, since);
    if (kicked > 0) this.log.warn({ kicked, since }, 'sockets of sessions revoked while their news was missed: kicked');
    return kicked;
  }

  close(): void {
    this.closed = true;
    this.stopHealth();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onHealth(health: BusHealth): void {
    this.degraded = health.state === 'degraded';
    if (health.state === 'degraded') return this.schedule();
    const since = new Date(health.since.getTime() - SINCE_MARGIN_MS);
    if (!this.replaySince || since < this.replaySince) this.replaySince = since;
    this.run();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.degraded ? this.options.degradedSweepMs : this.options.sweepMs);
    this.timer.unref();
  }

  /** One pass at a time; a pass that cannot reach the database is tried again at the next tick. */
  private run(): void {
    const previous = this.running ?? Promise.resolve();
    const pass = previous.then(async () => {
      const since = this.replaySince;
      try {
        await this.settle(since);
        if (this.replaySince === since) this.replaySince = null;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'settling sockets failed: tried again at the next sweep');
      }
    });
    this.running = pass;
    void pass.finally(() => {
      if (this.running === pass) this.running = null;
      this.schedule();
    });
  }
}
