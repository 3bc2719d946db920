// The delivery worker: looks at the outbox every WEBHOOK_POLL_MS, claims what is due (outbox.ts),
// sends each attempt without waiting for the others (send.ts), records the outcome and the next
// attempt (schedule.ts). Revocations never wait for it: they only wrote their outbox rows.
import type { Services } from '../process/services.js';
import type { WebhookConfig } from './config.js';
import { CAEP_EVENTS } from './caep.js';
import { pushSet } from './caep-send.js';
import { WEBHOOK_EVENTS } from './events.js';
import type { Claimed } from './outbox.js';
import { refreshGate } from './gate.js';
import { claimDue, recordAttempt } from './outbox.js';
import { retryDelayMs } from './schedule.js';
import { openSecret } from './secrets.js';
import { send } from './send.js';

/** The operator's endpoint (WEBHOOK_URL): one fixed row, so its deliveries sit in the same outbox. */
export const OPERATOR_ENDPOINT_ID = '00000000-0000-4000-8000-000000000000';

/** Attempts in flight per instance, all endpoints together. */
const MAX_IN_FLIGHT = 64;

type WorkerServices = Pick<Services, 'prisma' | 'log' | 'clock' | 'mfaSecrets' | 'caepKeys'>;

export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  /** The look at the outbox in progress, if any: stop() waits for it and for what it launched. */
  private ticking: Promise<void> | null = null;
  private stopped = false;
  private readonly perEndpoint = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly services: WorkerServices,
    private readonly config: WebhookConfig,
  ) {}

  async start(): Promise<void> {
    await this.syncOperatorEndpoint();
    // At the first start the key is generated here, before any SET or JWKS request needs it. A
    // failure is not the start's: the JWK Set and the SETs try again when asked.
    await this.services.caepKeys.load().catch((err: unknown) => this.services.log.warn({ err: (err as Error).message }, 'CAEP signing keys not loaded'));
    this.timer = setInterval(() => void this.tick(), this.config.pollMs);
    this.timer.unref();
    void this.tick();
  }

  /** Waits for the attempts in flight (each bounded by WEBHOOK_TIMEOUT_MS); what is left stays due. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  /** WEBHOOK_URL as the row without an organisation, or no such row when unset. */
  private async syncOperatorEndpoint(): Promise<void> {
    const { prisma } = this.services;
    if (!this.config.url) {
      await prisma.webhookEndpoint.deleteMany({ where: { id: OPERATOR_ENDPOINT_ID } });
      return;
    }
    const caep = this.config.format === 'CAEP';
    const data = { url: this.config.url, events: caep ? [...CAEP_EVENTS] : [...WEBHOOK_EVENTS], secret: '', format: this.config.format };
    await prisma.webhookEndpoint.upsert({ where: { id: OPERATOR_ENDPOINT_ID }, create: { id: OPERATOR_ENDPOINT_ID, organizationId: null, ...data }, update: data });
  }

  tick(): Promise<void> {
    if (this.ticking || this.stopped) return this.ticking ?? Promise.resolve();
    this.ticking = this.look().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async look(): Promise<void> {
    try {
      const room = MAX_IN_FLIGHT - this.running.size;
      if (room <= 0) return;
      const now = this.services.clock.now();
      // Longer than any attempt: nobody else takes the row while this one is in flight.
      const leaseUntil = new Date(now.getTime() + this.config.timeoutMs + 30_000);
      // Whether revocations must write outbox rows (gate.ts): looked at on every poll.
      await refreshGate(this.services.prisma, async () => (await this.services.prisma.webhookEndpoint.count({ take: 1 })) > 0);
      const claimed = await claimDue(this.services.prisma, now, leaseUntil, room, this.config.concurrencyPerEndpoint, this.perEndpoint);
      for (const row of claimed) this.launch(row);
    } catch (err) {
      this.services.log.warn({ err: (err as Error).message }, 'webhook outbox claim failed');
    }
  }

  private launch(row: Claimed): void {
    this.perEndpoint.set(row.endpointId, (this.perEndpoint.get(row.endpointId) ?? 0) + 1);
    const task = this.attempt(row)
      .catch((err: unknown) => this.services.log.warn({ err: (err as Error).message, webhookId: row.id }, 'webhook attempt not recorded'))
      .finally(() => {
        this.running.delete(task);
        const left = (this.perEndpoint.get(row.endpointId) ?? 1) - 1;
        if (left > 0) this.perEndpoint.set(row.endpointId, left);
        else this.perEndpoint.delete(row.endpointId);
        // Freed room: the next due row need not wait for the next poll.
        if (!this.stopped) setImmediate(() => void this.tick());
      });
    this.running.add(task);
  }

  private async attempt(row: Claimed): Promise<void> {
    const operator = row.endpointOrganizationId === null;
    // The operator's own URL is configuration, not tenant input: it may be on a private network.
    const options = { timeoutMs: this.config.timeoutMs, allowPrivateTargets: operator || this.config.allowPrivateTargets, now: this.services.clock.now() };
    let result;
    if (row.format === 'CAEP') {
      const { caepKeys } = this.services;
      const key = await caepKeys.signing().catch((err: unknown) => err as Error);
      // A key that does not open (a changed MFA_ENCRYPTION_KEY) is a failed attempt, retried.
      result = key instanceof Error
        ? { ok: false, statusCode: null, error: `CAEP signing key unavailable: ${key.message.slice(0, 120)}`, durationMs: 0 }
        : await pushSet({ id: row.id, body: row.body, url: row.url, issuer: caepKeys.issuer }, key, options);
    } else {
      const secret = operator ? (this.config.secret ?? '') : await openSecret(this.services.mfaSecrets, row.secret, row.endpointId);
      result = await send({ id: row.id, body: row.body, url: row.url, secret }, options);
    }
    const at = this.services.clock.now();
    const delay = result.ok || result.permanent ? null : retryDelayMs(this.config, row.attemptCount);
    const status = result.ok ? 'DELIVERED' : delay === null ? 'FAILED' : 'PENDING';
    const nextAttemptAt = delay === null ? null : new Date(at.getTime() + delay);
    await recordAttempt(this.services.prisma, row.id, { at, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, status, nextAttemptAt });
    if (status === 'FAILED') this.services.log.warn({ webhookId: row.id, endpointId: row.endpointId, attempts: row.attemptCount }, 'webhook delivery failed for good');
  }
}
