// The server side of graphql-transport-ws (the protocol graphql-ws speaks), one object per socket,
// driven through its declared interface (./transport.ts): hooks for connection_init and subscribe,
// `close` and `gathered` for its owner. It knows nothing of sessions. A subscription whose source
// is an EventSource is pushed its events (no pending promise while it is idle, and an event that
// executes at once is sent at once); any other async iterable is pulled. Messages, close codes and
// their order follow graphql-ws 6, except that an operation the client completed (or whose socket
// closed) while it was being prepared is not run, and a close reason too long for a close frame is
// replaced instead of failing the socket.
import { createSourceEventStream, execute, getOperationAST, GraphQLError } from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { appError } from '../graphql/errors.js';
import { CLOSE_TOO_SLOW, CloseCode } from './close-codes.js';
import type { EventSource, Listener } from './event-source.js';
import { isEventSource } from './event-source.js';
import type { SubscribePayload } from './protocol-messages.js';
import { parseClientMessage } from './protocol-messages.js';
import type { Executor, SocketOptions, Transport, TransportHooks } from './transport.js';

export const PROTOCOL = 'graphql-transport-ws';

interface Operation {
  readonly id: string;
  /** Set once a subscription runs: ended when the client completes it or the socket closes. */
  source: EventSource<unknown> | AsyncIterator<unknown> | null;
  /** A subscription's document, each event executed with it. */
  args: ExecutionArgs | null;
  run: Executor;
}

/** Ends a subscription's source: an EventSource, or an iterator (whose `return` is optional). */
function stop(source: Operation['source']): void {
  if (!source) return;
  if (isEventSource(source)) return source.return();
  source.return?.().catch(() => undefined);
}

const enum Phase {
  /** Refused at once (subprotocol): its messages are ignored. */
  Refused,
  Opened,
  InitReceived,
  Acknowledged,
}

/** A socket closed for reading too slowly is cut this long after its close frame was queued. */
const TOO_SLOW_CUT_MS = 1000;

/**
 * `S`: the socket as its hooks see it, this class or a subclass that adds its owner's fields (one
 * object per socket). The owner feeds it the client's frames (`receive`) and its end (`closed`).
 */
export class ProtocolSocket<S extends Transport = Transport> implements Transport, Listener<unknown> {
  /** Usually one: an array is smaller than a Map, and a socket holds it for hours. */
  private operations: Operation[] = [];
  private phase = Phase.Opened;
  private initTimer: NodeJS.Timeout | null = null;
  private readonly stream: Duplex | null;
  private readonly maxBufferedBytes: number;

  constructor(
    readonly ws: WebSocket,
    private readonly hooks: TransportHooks<S>,
    options: SocketOptions,
  ) {
    this.stream = options.stream ?? null;
    this.maxBufferedBytes = options.maxBufferedBytes ?? Infinity;
    if (ws.protocol !== PROTOCOL) {
      this.phase = Phase.Refused;
      ws.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    this.initTimer = setTimeout(() => this.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout'), options.initTimeoutMs);
  }

  /** The hooks are given the socket as the class that built it (S is that class). */
  private get self(): S {
    return this as unknown as S;
  }

  /** Operations reserved or running, the one being subscribed included. */
  get operationCount(): number {
    return this.operations.length;
  }

  /** Corks the upgrade's socket around `write`: each frame is a write of its own otherwise. */
  gathered(write: () => undefined): void {
    this.stream?.cork();
    try {
      write();
    } finally {
      this.stream?.uncork();
    }
  }

  /** A close frame's reason is at most 123 bytes: `ws` throws on a longer one. */
  close(code: number, reason: string, whenTooLong = 'Closed'): void {
    this.ws.close(code, Buffer.byteLength(reason) <= 123 ? reason : whenTooLong);
  }

  /** One frame from the client. Rejects only on a server fault (a hook threw): the owner closes the socket. */
  async receive(data: string): Promise<void> {
    if (this.phase === Phase.Refused) return;
    const message = parseClientMessage(data);
    if (!message) return this.close(CloseCode.BadRequest, 'Invalid message received');
    switch (message.type) {
      case 'connection_init': {
        if (this.phase !== Phase.Opened) return this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
        this.phase = Phase.InitReceived;
        if (this.initTimer) clearTimeout(this.initTimer);
        this.initTimer = null;
        if (!(await this.hooks.onConnect(this.self, message.payload ?? {}))) return this.close(CloseCode.Forbidden, 'Forbidden');
        this.phase = Phase.Acknowledged;
        return this.send({ type: 'connection_ack' });
      }
      case 'ping':
        return this.send(message.payload ? { type: 'pong', payload: message.payload } : { type: 'pong' });
      case 'pong':
        return;
      case 'subscribe':
        return this.subscribe(message.id, message.payload);
      case 'complete': {
        const op = this.operations.find((o) => o.id === message.id);
        if (!op) return;
        this.drop(op);
        stop(op.source);
        return;
      }
    }
  }

  /** The socket closed: every running subscription's source ends. */
  closed(): void {
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    const operations = this.operations;
    this.operations = [];
    for (const op of operations) {
      stop(op.source);
      this.hooks.onComplete?.(this.self, op.id);
    }
    this.hooks.onClose?.(this.self);
  }

  /** A pushed event (Listener): executed and sent, in this turn when its resolvers answer at once. */
  onEvent(event: unknown, source: EventSource<unknown>): undefined | Promise<void> {
    const op = this.listening(source);
    return op ? this.deliver(op, event) : undefined;
  }

  /** A pushed subscription's source ended: `complete`; failing, graphql-ws's `error` message. */
  onEnd(source: EventSource<unknown>, error?: Error): void {
    const op = this.listening(source);
    if (!op) return;
    if (error) this.fail(op, [new GraphQLError(error.message, { originalError: error })]);
    else this.finish(op, null);
  }

  private listening(source: EventSource<unknown>): Operation | undefined {
    for (const op of this.operations) if (op.source === source) return op;
    return undefined;
  }

  private async subscribe(id: string, payload: SubscribePayload): Promise<void> {
    if (this.phase !== Phase.Acknowledged) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    if (this.operations.some((o) => o.id === id)) return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`, 'Subscriber already exists');
    const op: Operation = { id, source: null, args: null, run: execute };
    this.operations.push(op);
    try {
      await this.run(op, payload);
    } catch (err) {
      this.drop(op);
      throw err;
    }
  }

  private async run(op: Operation, payload: SubscribePayload): Promise<void> {
    const prepared = await this.hooks.onSubscribe(this.self, op.id, payload);
    // Completed by the client, or the socket closed, while it was prepared: nothing to run.
    if (prepared === null || !this.operations.includes(op)) return this.drop(op);
    if (!('args' in prepared)) return this.fail(op, prepared);
    const { args } = prepared;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return this.fail(op, [appError('OPERATION_RESOLUTION_FAILURE', { message: 'Unable to identify operation' })]);
    const run = prepared.execute ?? execute;
    if (operation.operation !== 'subscription') return this.finish(op, await run(args));
    const source: AsyncIterable<unknown> | EventSource<unknown> | ExecutionResult = await createSourceEventStream(args);
    if (!isEventSource(source) && !(Symbol.asyncIterator in source)) return this.finish(op, source);
    op.args = args;
    op.run = run;
    const events = isEventSource(source) ? source : source[Symbol.asyncIterator]();
    if (!this.operations.includes(op)) return stop(events);
    op.source = events;
    if (isEventSource(events)) return events.listen(this);
    void this.pull(op, events);
  }

  /** A source that is not an EventSource: pulled, each event sent before the next is asked for. */
  private async pull(op: Operation, iterator: AsyncIterator<unknown>): Promise<void> {
    try {
      for (;;) {
        const step = await iterator.next();
        if (!this.operations.includes(op)) return;
        if (step.done) return this.finish(op, null);
        await this.deliver(op, step.value);
      }
    } catch (err) {
      this.streamFailed(op, err);
    }
  }

  /** One event executed with its subscription's document, and sent: at once when its result comes at once. */
  private deliver(op: Operation, event: unknown): undefined | Promise<void> {
    if (!op.args || !this.operations.includes(op)) return;
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = op.run({ ...op.args, rootValue: event });
    } catch (err) {
      this.streamFailed(op, err);
      return;
    }
    if (!(result instanceof Promise)) {
      this.sendEvent(op, result);
      return;
    }
    return result.then(
      (r) => this.sendEvent(op, r),
      (err: unknown) => this.streamFailed(op, err),
    );
  }

  private sendEvent(op: Operation, result: ExecutionResult): void {
    if (this.operations.includes(op)) this.next(op.id, result);
  }

  /**
   * graphql-ws answers a stream that throws with an error message (masked by present()), and the
   * operation is over.
   */
  private streamFailed(op: Operation, err: unknown): void {
    this.fail(op, [new GraphQLError((err as Error).message, { originalError: err as Error })]);
    stop(op.source);
  }

  /** The operation's last result (if any), then complete. */
  private finish(op: Operation, result: ExecutionResult | null): void {
    if (!this.operations.includes(op)) return;
    this.drop(op);
    if (result) this.next(op.id, result);
    this.send({ id: op.id, type: 'complete' });
  }

  private fail(op: Operation, errors: readonly GraphQLError[]): void {
    if (!this.operations.includes(op)) return;
    this.drop(op);
    this.send({ id: op.id, type: 'error', payload: errors.map((e) => this.hooks.present(e)) });
  }

  private next(id: string, result: ExecutionResult): void {
    const payload = result.errors?.length ? { ...result, errors: result.errors.map((e) => this.hooks.present(e)) } : result;
    this.send({ id, type: 'next', payload });
  }

  private drop(op: Operation): void {
    const at = this.operations.indexOf(op);
    if (at < 0) return;
    this.operations.splice(at, 1);
    this.hooks.onComplete?.(this.self, op.id);
  }

  /**
   * Frames are queued by `ws` in order: a close after a send goes out after it. A client that
   * stops reading would make the queue grow without end: over the bound it is closed.
   */
  private send(message: object): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(message));
    if (this.ws.bufferedAmount > this.maxBufferedBytes) this.tooSlow();
  }

  /** Over the bound: closed, and cut soon after (the client reads its close frame no sooner than the rest). */
  private tooSlow(): void {
    this.hooks.onTooSlow?.(this.self);
    this.close(CLOSE_TOO_SLOW, 'Too slow: the server stopped queuing for this socket');
    setTimeout(() => this.ws.terminate(), TOO_SLOW_CUT_MS).unref();
  }
}
