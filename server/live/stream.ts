// A push queue for one `sessionEvents` subscription: the socket protocol listens to it, so an idle
// subscription holds no pending promise. `finish` ends it after a last event and resolves once
// that event has been handed on, so the socket can be closed behind it.
import type { PushSource } from './protocol.js';

type Sink<T> = (value: T) => unknown;

export class EventStream<T> implements AsyncIterable<T>, PushSource<T> {
  private readonly queue: T[] = [];
  private sink: Sink<T> | null = null;
  private onEnd: (() => void) | null = null;
  private flushing = false;
  private ending = false;
  private done = false;
  private onDrained: (() => void) | null = null;
  private drained: Promise<void> | null = null;

  constructor(private readonly onReturn: () => void) {}

  listen(sink: Sink<T>, onEnd: () => void): void {
    // Ended before anyone listened (a kicked connection's late subscribe): the end is still heard.
    if (this.done) return onEnd();
    this.sink = sink;
    this.onEnd = onEnd;
    if (this.queue.length > 0 || this.ending) void this.flush();
  }

  push(value: T): void {
    if (this.ending || this.done) return;
    this.queue.push(value);
    if (this.sink && !this.flushing) void this.flush();
  }

  /** Queues `last` and ends the stream after it; resolves once `last` has been handed on. */
  finish(last: T): Promise<void> {
    if (this.done) return Promise.resolve();
    this.drained ??= new Promise((resolve) => (this.onDrained = resolve));
    this.push(last);
    this.ending = true;
    return this.drained;
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** graphql-js accepts only an async iterable as a subscription's source; it is listened to instead. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    throw new Error('An EventStream is listened to (PushSource), not pulled.');
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
    this.onReturn();
    this.onEnd?.();
    this.onDrained?.();
  }
}
