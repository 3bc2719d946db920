// Which sessions have a graphql-transport-ws socket open now (`Session.online`), and the
// transitions that organisation subscribers hear (ONLINE / OFFLINE). Fed with this instance's
// transitions: by its registry (a session's first socket here, its last one), or with LIVE_WORKER
// by the worker over IPC. Transitions are gathered per turn: a kick of thousands of sockets is one
// Redis call and one notice, not thousands. Without Redis the local set is the whole truth; with
// Redis (./presence-redis.ts) a read asks every instance's set in one round trip, and a Redis that
// does not answer falls back to this instance's own sockets (a read never fails the query).
import type { Logger } from 'pino';
import { Batcher } from '../sessions/batch.js';
import type { PresenceRef } from './notices.js';
import type { RedisPresence } from './presence-redis.js';

export type PresenceSink = (online: PresenceRef[], offline: PresenceRef[]) => void;

export interface PresenceOptions {
  /** With Redis: where every instance's presence is (read, and written unless `writes` is false). */
  store: RedisPresence | null;
  /** False in the live worker: the gateway process writes for it (what the worker tells it over IPC). */
  writes: boolean;
  /** Where the transitions go: the bus (a notice), or the gateway over IPC. */
  sink: PresenceSink;
  /** How long an instance's presence outlives its last heartbeat (PRESENCE_TTL_SECONDS). */
  ttlMs: number;
  log: Logger;
}

export class Presence {
  private readonly held = new Map<string, PresenceRef>();
  /** Sessions changed this turn, with whether they were held before it: only a net change is a transition. */
  private readonly pending = new Map<string, { ref: PresenceRef; before: boolean }>();
  private scheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private readonly beater: NodeJS.Timeout | null = null;
  /** A list's `online` fields, and every other asked in the same turn: one Redis call. */
  private readonly reads = new Batcher<string, true>(async (ids) => new Map([...(await this.online(ids))].map((id) => [id, true])));

  constructor(private readonly options: PresenceOptions) {
    const { store, writes, ttlMs } = options;
    if (store && writes) {
      // Three beats per TTL: one lost beat does not take an instance's sessions offline.
      this.beater = setInterval(() => void this.beat(), Math.max(250, Math.floor(ttlMs / 3)));
      this.beater.unref();
    }
  }

  /** This instance's transitions (the registry's, or the worker's). */
  changed(online: PresenceRef[], offline: PresenceRef[]): void {
    for (const ref of online) this.mark(ref, true);
    for (const ref of offline) this.mark(ref, false);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  /** Every session held here goes offline (the live worker died with its sockets). */
  reset(): void {
    this.changed([], [...this.held.values()]);
  }

  /** One session's `online`: at once without Redis (an event's fields then need no promise), else batched per turn. */
  isOnline(sessionId: string): boolean | Promise<boolean> {
    if (!this.options.store || this.held.has(sessionId)) return this.held.has(sessionId);
    return this.reads.load(sessionId).then((found) => found === true);
  }

  /** The sessions of `ids` online on any instance. */
  async online(ids: readonly string[]): Promise<Set<string>> {
    const local = new Set(ids.filter((id) => this.held.has(id)));
    const { store, log } = this.options;
    if (!store) return local;
    const rest = ids.filter((id) => !local.has(id));
    try {
      for (const id of await store.read(rest)) local.add(id);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'presence: redis did not answer; online is this instance’s knowledge only');
    }
    return local;
  }

  async close(): Promise<void> {
    if (this.beater) clearInterval(this.beater);
    await this.flushing;
    await this.options.store?.close(this.options.writes);
  }

  private mark(ref: PresenceRef, online: boolean): void {
    if (!this.pending.has(ref.sessionId)) this.pending.set(ref.sessionId, { ref, before: this.held.has(ref.sessionId) });
    if (online) this.held.set(ref.sessionId, ref);
    else this.held.delete(ref.sessionId);
  }

  private async flush(): Promise<void> {
    const online: PresenceRef[] = [];
    const offline: PresenceRef[] = [];
    for (const [id, { ref, before }] of this.pending) {
      const now = this.held.has(id);
      if (now !== before) (now ? online : offline).push(ref);
    }
    this.pending.clear();
    if (online.length === 0 && offline.length === 0) return;
    const { store, writes, sink, log } = this.options;
    if (!store || !writes) return sink(online, offline);
    try {
      const global = await store.apply(online, offline);
      sink(
        online.filter((r) => global.online.has(r.sessionId)),
        offline.filter((r) => global.offline.has(r.sessionId)),
      );
    } catch (err) {
      // Not written: the next heartbeat writes the whole set again. Told as this instance saw it.
      log.warn({ err: (err as Error).message }, 'presence: redis did not take the transitions');
      sink(online, offline);
    }
  }

  /** Also reaps dead instances: their sessions that no live instance holds are told OFFLINE from here. */
  private async beat(): Promise<void> {
    try {
      const gone = (await this.options.store?.beat([...this.held.values()])) ?? [];
      if (gone.length > 0) this.options.sink([], gone);
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'presence heartbeat failed');
    }
  }
}
