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
    if (this.queue.length > 0 || this.ending) this.flush();
  }

  push(value: T): void {
    if (this.ending || this.done) return;
    this.queue.push(value);
    if (this.sink && !this.flushing) this.flush();
  }

  /**
   * Queues `last` and ends the stream after it; resolves once `last` has been handed on. With a
   * listener that takes it at once, the stream has ended when this returns (`ended`).
   */
  finish(last: T): Promise<void> {
    if (this.done) return Promise.resolve();
    this.drained ??= new Promise((resolve) => (this.onDrained = resolve));
    if (!this.ending) {
      this.queue.push(last);
      this.ending = true;
    }
    if (this.sink && !this.flushing) this.flush();
    return this.drained;
  }

  get ended(): boolean {
    return this.done;
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** graphql-js accepts only an async iterable as a subscription's source; it is listened to instead. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    throw new Error('An EventStream is listened to (PushSource), not pulled.');
  }

  /**
   * Hands queued events to the listener one at a time, each after the previous one's delivery:
   * synchronously while the listener takes them at once, so that a kick's event, `complete` and
   * close can leave together (registry.ts).
   */
  private flush(): void {
    this.flushing = true;
    while (this.queue.length > 0 && !this.done) {
      let delivery: unknown;
      try {
        delivery = this.sink?.(this.queue.shift() as T);
      } catch {
        return this.stop();
      }
      if (delivery instanceof Promise) {
        delivery.then(
          () => this.flush(),
          () => this.stop(),
        );
        return;
      }
    }
    this.flushing = false;
    if (this.ending) this.close();
  }

  /** The listener answers its own failures: one that escapes it ends the stream. */
  private stop(): void {
    this.flushing = false;
    this.ending = true;
    this.close();
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
