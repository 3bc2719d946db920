// A push queue for one `sessionEvents` subscription. The socket protocol listens to it (push: an
// idle subscription holds no pending promise); graphql-js requires a subscription's source to be an
// async iterable, so it can be pulled as well. `finish` ends it after a last event and resolves
// once that event has been handed on, so the socket can be closed behind it.
import type { PushSource } from './protocol.js';

type Sink<T> = (value: T) => unknown;

export class EventStream<T> implements AsyncIterableIterator<T>, PushSource<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private sink: Sink<T> | null = null;
  private onEnd: (() => void) | null = null;
  private flushing = false;
  private ending = false;
  private done = false;
  private onDrained: (() => void) | null = null;
  private drained: Promise<void> | null = null;

  constructor(private readonly onReturn: () => void) {}

  listen(sink: Sink<T>, onEnd: () => void): void {
    this.sink = sink;
    this.onEnd = onEnd;
    if (this.queue.length > 0 || this.ending) void this.flush();
  }

  push(value: T): void {
    if (this.ending || this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.queue.push(value);
    if (this.sink && !this.flushing) void this.flush();
  }

  /** Queues `last` and ends the stream after it; resolves once `last` has been handed on. */
  finish(last: T): Promise<void> {
    if (this.done) return Promise.resolve();
    this.drained ??= new Promise((resolve) => (this.onDrained = resolve));
    this.push(last);
    this.ending = true;
    // Pulled: the consumer takes `last` before it sees the end. Listened: the flush ends it.
    if (this.waiting) this.close();
    return this.drained;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
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

  /** Hands queued events to the listener one at a time, each after the previous one's delivery. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0 && !this.done) await this.sink?.(this.queue.shift() as T);
    } catch {
      // The listener answers its own failures: one that escapes it ends the stream.
      this.ending = true;
    }
    this.flushing = false;
    if (this.ending) this.close();
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onReturn();
    this.onEnd?.();
    this.onDrained?.();
  }
}
