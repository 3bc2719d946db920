// Recently checked sessions, so that a busy session costs no database query per request. Every
// change message (revocation, role change, expiry) drops the affected sessions, and a row read
// before a drop is never cached after it, so that a revoked session is refused on its very next
// request. With several instances (REDIS_URL) a change made elsewhere is heard a moment later:
// there a cached row is used only while its user's auth epoch (auth-epochs.ts), read before the
// row was, is still the current one, one Redis round trip instead of a query.
import type { Clock } from '../process/clock.js';
import type { AuthEpochs } from './auth-epochs.js';
import type { SessionChanges } from './change.js';

export interface CachedSession<Row> {
  row: Row;
  /** When its epoch was read, before the row: the TTL counts from there. */
  cachedAt: number;
  /** Its user's auth epoch, read before the row (null without Redis). */
  epoch: string | null;
}

/** Taken before the reads that fill an entry: the entry is kept only if nothing was dropped since. */
interface Ticket {
  generation: number;
  at: number;
}

export class SessionCache<Row extends { id: string; userId: string; tokenHash: string }> {
  private readonly byHash = new Map<string, CachedSession<Row>>();
  private readonly hashById = new Map<string, string>();
  /** With Redis: whose token a hash is (that never changes), so that the epoch is read before the row. */
  private readonly userByHash = new Map<string, string>();
  /**
   * Counts what voids the fills under way (a row read before it may predate a change): every drop
   * without Redis; with Redis the epochs cover that, and only a `clear()` counts.
   */
  private generation = 0;
  private readonly unsubscribe: () => void;
  private readonly unsuspend: () => void;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    bus: SessionChanges,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly epochs: AuthEpochs | null = null,
    private readonly maxEntries = 100_000,
  ) {
    this.unsubscribe = bus.subscribe((change) => {
      // A new session is in no cache, and must not void the fills under way.
      if (change.type !== 'CREATED') for (const id of change.sessionIds) this.forgetSession(id);
    });
    // Rows cached while Redis answered may have missed a change made while it did not.
    this.unsuspend = epochs?.onSuspend(() => this.clear()) ?? (() => undefined);
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

  /**
   * The auth row of a token: the cached one when it may be trusted, else `read()`'s (the database),
   * cached when `cacheable`. With Redis the order is what makes it safe: the user's epoch is read
   * first, then the row, and (row, epoch) is cached; a change commits, then sets a new epoch, then
   * answers. A row read before the commit was thus cached under the old epoch, which every request
   * begun after the answer reads as changed; a row read after it shows the change. A token not
   * seen here yet has no known user: its first request reads the row uncached and learns it.
   */
  async lookup(tokenHash: string, read: () => Promise<Row | undefined>, cacheable: (row: Row) => boolean): Promise<Row | undefined> {
    const hit = this.fresh(tokenHash);
    if (!this.epochs && hit) return hit.row;
    const ticket = { generation: this.generation, at: this.clock.now().getTime() };
    if (!this.epochs) return this.fill(tokenHash, read, cacheable, ticket, null);
    const userId = hit?.row.userId ?? this.userByHash.get(tokenHash);
    if (userId === undefined) {
      const row = await read();
      if (row?.tokenHash === tokenHash) this.learn(tokenHash, row.userId);
      return row;
    }
    // Never shared between requests: a read sent before a change answered confirms nothing after it.
    const seen = hit ? await this.epochs.read(userId) : null;
    if (hit && seen !== null && seen === hit.epoch && this.byHash.get(tokenHash) === hit) return hit.row;
    if (hit && this.byHash.get(tokenHash) === hit) this.delete(tokenHash, hit.row.id);
    // An epoch just read (before the row) serves the refill; a missing one is created first.
    const epoch = seen ?? (await this.epochs.current(userId));
    return this.fill(tokenHash, read, (row) => epoch !== null && row.userId === userId && cacheable(row), ticket, epoch);
  }

  forgetSession(sessionId: string): void {
    if (!this.epochs) this.generation++;
    const hash = this.hashById.get(sessionId);
    if (hash) this.delete(hash, sessionId);
  }

  /** Drops every entry (Redis stopped confirming epochs), and voids the fills under way. */
  clear(): void {
    this.generation++;
    this.byHash.clear();
    this.hashById.clear();
  }

  get size(): number {
    return this.byHash.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.unsubscribe();
    this.unsuspend();
    this.clear();
    this.userByHash.clear();
  }

  /** The entry of a token within its TTL. */
  private fresh(tokenHash: string): CachedSession<Row> | undefined {
    const hit = this.byHash.get(tokenHash);
    if (!hit) return undefined;
    if (this.clock.now().getTime() - hit.cachedAt > this.ttlMs) {
      this.delete(tokenHash, hit.row.id);
      return undefined;
    }
    return hit;
  }

  /** Reads the row; caches it only if it is the token's current, live row and nothing was dropped since `ticket`. */
  private async fill(tokenHash: string, read: () => Promise<Row | undefined>, cacheable: (row: Row) => boolean, ticket: Ticket, epoch: string | null): Promise<Row | undefined> {
    const row = await read();
    if (row && row.tokenHash === tokenHash && cacheable(row) && ticket.generation === this.generation) this.set(tokenHash, row, ticket.at, epoch);
    return row;
  }

  private set(tokenHash: string, row: Row, cachedAt: number, epoch: string | null): void {
    if (this.byHash.size >= this.maxEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.byHash.entries().next().value;
      if (oldest) this.delete(oldest[0], oldest[1].row.id);
    }
    // One entry per session: a hash cached before a rotation must not outlive the link to it.
    const previous = this.hashById.get(row.id);
    if (previous !== undefined && previous !== tokenHash) this.byHash.delete(previous);
    this.byHash.set(tokenHash, { row, cachedAt, epoch });
    this.hashById.set(row.id, tokenHash);
  }

  private learn(tokenHash: string, userId: string): void {
    if (this.userByHash.size >= this.maxEntries) {
      const oldest = this.userByHash.keys().next().value;
      if (oldest !== undefined) this.userByHash.delete(oldest);
    }
    this.userByHash.set(tokenHash, userId);
  }

  private delete(hash: string, id: string): void {
    this.byHash.delete(hash);
    if (this.hashById.get(id) === hash) this.hashById.delete(id);
  }
}
