// Mail sent after the answer: the mutation that asked for it neither waits for the relay nor
// fails with it. Failures are logged without the address (a relay's error text may quote it).
import type { Logger } from 'pino';
import type { Mailer, MailMessage } from './mailer.js';

/** Messages waiting for the relay; past this, new ones are dropped (a flood, or a dead relay). */
const MAX_PENDING = 200;

export class BackgroundMail {
  private readonly pending = new Set<Promise<void>>();
  /** The base of links when PUBLIC_URL is unset: app.ts sets http://localhost:PORT once listening. */
  fallbackBase = 'http://localhost:4000';

  constructor(
    private readonly mailer: Mailer,
    private readonly log: Logger,
    private readonly publicUrl: string | undefined,
  ) {}

  get linkBase(): string {
    return this.publicUrl ?? this.fallbackBase;
  }

  /** Queues `make()`'s message (made only when mail is on) and returns at once. */
  send(kind: string, make: () => MailMessage): void {
    if (!this.mailer.enabled) return;
    if (this.pending.size >= MAX_PENDING) {
      this.log.warn({ kind, pending: this.pending.size }, 'mail is piling up: one dropped');
      return;
    }
    const task: Promise<void> = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.mailer.send(make()))
      .catch((err: unknown) => this.log.warn({ kind, err: err instanceof Error ? err.name : 'unknown' }, 'mail not sent'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Waits for the messages in flight (stop(), before the relay closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
