// A subscription source that pushes its events (./stream.ts EventStream), and the adapter that
// makes one an ordinary async iterable for whoever pulls instead (graphql-js, another server).
// Pushed, an idle subscription holds no pending promise; and a listener that answers at once is
// handed the next event at once, in the same turn: what lets a kick's frames leave in one write.

/**
 * Listens to EventSources: an object, so that a subscription costs no closure; one listener may
 * hear several sources (a socket, its subscriptions), each call says which.
 */
export interface Listener<T> {
  /**
   * One event. Answer without a promise whenever the event can be handled at once: a promise
   * holds the source's next event back until it settles, and ends the synchronous pass.
   */
  onEvent(value: T, source: EventSource<T>): undefined | Promise<void>;
  /**
   * The source ended: by itself, or through `return` (then the listener may already be done with
   * it). `error`: it ended failing (graphql-ws: an `error` message for the operation).
   */
  onEnd(source: EventSource<T>, error?: Error): void;
}

export interface EventSource<T> {
  /** One listener; events queued before it listens are handed on at once. */
  listen(listener: Listener<T>): void;
  /** Ends the source: no more events; its listener hears `onEnd`. */
  return(): void;
}

export function isEventSource(value: unknown): value is EventSource<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as EventSource<unknown>).listen === 'function';
}

const NOTHING: unique symbol = Symbol('nothing');

/** An EventSource pulled as an async iterator: each event waits for the `next()` that takes it. */
class Pulled<T> implements AsyncIterableIterator<T>, Listener<T> {
  private held: T | typeof NOTHING = NOTHING;
  private ended = false;
  private failure: Error | null = null;
  /** A `next()` waiting for an event. */
  private waiting: ((step: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: Error) => void) | null = null;
  /** Lets the source hand on the next event (the last one was taken). */
  private resume: (() => void) | null = null;

  constructor(private readonly source: EventSource<T>) {
    source.listen(this);
  }

  onEvent(value: T): Promise<void> {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting({ value, done: false });
    else this.held = value;
    return new Promise((resolve) => (this.resume = resolve));
  }

  onEnd(_source?: EventSource<T>, error?: Error): void {
    this.ended = true;
    if (error && this.failWaiting) this.failWaiting(error);
    else if (error) this.failure = error;
    else this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.failWaiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.held !== NOTHING) {
      const value = this.held;
      this.held = NOTHING;
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    const step = new Promise<IteratorResult<T>>((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
    const resume = this.resume;
    this.resume = null;
    resume?.();
    return step;
  }

  return(): Promise<IteratorResult<T>> {
    this.source.return();
    this.held = NOTHING;
    this.onEnd();
    this.resume?.();
    this.resume = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The source as an async iterator (its one listener): for consumers that pull. */
export function pull<T>(source: EventSource<T>): AsyncIterableIterator<T> {
  return new Pulled(source);
}
