// A push queue consumed by one graphql-ws subscription. `finish` ends it after a last event and
// resolves once that event has been handed on, so the socket can be closed behind it.

export class EventStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ending = false;
  private done = false;
  private onDrained: (() => void) | null = null;
  private readonly drained: Promise<void>;

  constructor(private readonly onReturn: () => void) {
    this.drained = new Promise((resolve) => {
      this.onDrained = resolve;
    });
  }

  push(value: T): void {
    if (this.ending || this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.queue.push(value);
    }
  }

  /**
   * Queues `last` and ends the stream after it. graphql-ws pulls the next value only after it
   * has sent the previous one, so the promise resolves once `last` is on the wire.
   */
  finish(last: T): Promise<void> {
    this.push(last);
    this.ending = true;
    if (this.waiting) this.close();
    return this.drained;
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ending || this.done) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onDrained?.();
    this.onReturn();
  }
}
