// Recently checked sessions, so that a busy session costs no database query per request. Every
// change message (revocation, role change, expiry) drops the affected sessions before the
// mutation that caused it returns, so a revoked session is refused on its very next request.
// Only safe when every revocation reaches this process synchronously, i.e. a single instance:
// with Redis the cache is off unless configured (see README).
import type { Clock } from '../process/clock.js';
import type { SessionChanges } from './change.js';

export interface CachedSession<Row> {
  row: Row;
  cachedAt: number;
}

export class SessionCache<Row extends { id: string }> {
  private readonly byHash = new Map<string, CachedSession<Row>>();
  private readonly hashById = new Map<string, string>();
  private readonly unsubscribe: () => void;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    bus: SessionChanges,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {
    this.unsubscribe = bus.subscribe((change) => {
      for (const id of change.sessionIds) this.forgetSession(id);
    });
    // Expired entries would otherwise hold their memory until their token comes back (or never: a
    // socket authenticates once).
    this.sweeper = setInterval(() => this.sweep(), ttlMs);
    this.sweeper.unref();
  }

  /** Drops the entries older than the TTL. */
  sweep(): void {
    const now = this.clock.now().getTime();
    for (const [hash, entry] of this.byHash) {
      if (now - entry.cachedAt > this.ttlMs) this.delete(hash, entry.row.id);
    }
  }

  get(tokenHash: string): Row | undefined {
    const hit = this.byHash.get(tokenHash);
    if (!hit) return undefined;
    if (this.clock.now().getTime() - hit.cachedAt > this.ttlMs) {
      this.delete(tokenHash, hit.row.id);
      return undefined;
    }
    return hit.row;
  }

  set(tokenHash: string, row: Row): void {
    if (this.byHash.size >= this.maxEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.byHash.entries().next().value;
      if (oldest) this.delete(oldest[0], oldest[1].row.id);
    }
    // One entry per session: a hash cached before a rotation must not outlive the link to it.
    const previous = this.hashById.get(row.id);
    if (previous !== undefined && previous !== tokenHash) this.byHash.delete(previous);
    this.byHash.set(tokenHash, { row, cachedAt: this.clock.now().getTime() });
    this.hashById.set(row.id, tokenHash);
  }

  forgetSession(sessionId: string): void {
    const hash = this.hashById.get(sessionId);
    if (hash) this.delete(hash, sessionId);
  }

  get size(): number {
    return this.byHash.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.unsubscribe();
    this.byHash.clear();
    this.hashById.clear();
  }

  private delete(hash: string, id: string): void {
    this.byHash.delete(hash);
    if (this.hashById.get(id) === hash) this.hashById.delete(id);
  }
}
