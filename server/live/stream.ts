// A push queue for one `sessionEvents` subscription: the socket protocol listens to it, so an idle
// subscription holds no pending promise. `finish` ends it after a last event, and says when that
// event has been handed on, so the socket can be closed behind it.
import type { EventSource, Listener } from './event-source.js';
import { pull } from './event-source.js';

export class EventStream<T> implements EventSource<T>, AsyncIterable<T> {
  private readonly queue: T[] = [];
  private listener: Listener<T> | null = null;
  private flushing = false;
  private ending = false;
  private done = false;
  /** Set by `fail`: the stream ends with it (the listener hears it in onEnd). */
  private failure: Error | null = null;
  private onDrained: (() => void) | null = null;
  private drained: Promise<void> | null = null;

  constructor(private readonly onReturn: () => void) {}

  listen(listener: Listener<T>): void {
    // Ended before anyone listened (a kicked connection's late subscribe): the end is still heard.
    if (this.done) return listener.onEnd(this, this.failure ?? undefined);
    this.listener = listener;
    if (this.queue.length > 0 || this.ending) this.flush();
  }

  push(value: T): void {
    if (this.ending || this.done) return;
    this.queue.push(value);
    if (this.listener && !this.flushing) this.flush();
  }

  /**
   * Queues `last` and ends the stream after it. Undefined when the listener took it at once (the
   * stream has ended when this returns); else a promise that resolves once it has been handed on.
   */
  finish(last: T): Promise<void> | undefined {
    if (this.done) return undefined;
    if (!this.ending) {
      this.queue.push(last);
      this.ending = true;
    }
    if (this.listener && !this.flushing) this.flush();
    if (this.done) return undefined;
    return (this.drained ??= new Promise((resolve) => (this.onDrained = resolve)));
  }

  /** Ends the stream with an error, at once: events still queued are dropped (its subscription fails with it). */
  fail(error: Error): void {
    if (this.done || this.ending) return;
    this.failure = error;
    this.ending = true;
    this.queue.length = 0;
    if (this.listener && !this.flushing) this.flush();
  }

  get ended(): boolean {
    return this.done;
  }

  return(): void {
    this.close();
  }

  /** Pulled (graphql-js's check, or a consumer other than our protocol): each event waits for its `next()`. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return pull(this);
  }

  /**
   * Hands queued events to the listener one at a time, each after the previous one's delivery:
   * synchronously while the listener takes them at once, so that a kick's event, `complete` and
   * close can leave together (Connection.kick).
   */
  private flush(): void {
    this.flushing = true;
    while (this.queue.length > 0 && !this.done) {
      let delivery: undefined | Promise<void>;
      try {
        delivery = this.listener?.onEvent(this.queue.shift() as T, this);
      } catch {
        return this.stop();
      }
      if (delivery) {
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
    this.listener?.onEnd(this, this.failure ?? undefined);
    this.listener = null;
    this.onDrained?.();
  }
}
