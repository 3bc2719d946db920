// Look-ups made in the same turn of the event loop answered by one query: a reconnect storm of
// 10,000 sockets checks its sessions in a few statements instead of 10,000. Each caller still
// gets its own answer (or the query's error).
interface Waiting<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

export class Batcher<K, V> {
  private pending = new Map<K, Waiting<V>[]>();
  private scheduled = false;

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    /** Keys per statement: a bound on its parameter array and on the rows it returns. */
    private readonly maxKeys = 1000,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: every frame that arrived with this one joins.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let at = 0; at < keys.length; at += this.maxKeys) {
      const chunk = keys.slice(at, at + this.maxKeys);
      this.loadMany(chunk).then(
        (found) => chunk.forEach((k) => batch.get(k)?.forEach((w) => w.resolve(found.get(k)))),
        (err: unknown) => chunk.forEach((k) => batch.get(k)?.forEach((w) => w.reject(err))),
      );
    }
  }
}
