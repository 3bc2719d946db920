// The server side of graphql-transport-ws (the protocol graphql-ws speaks), one object per socket.
// graphql-ws's makeServer keeps each subscription in a suspended `for await` loop, with closures
// and the subscribe message around it: about 3.4 KiB per idle socket (bench scenario 4). Here a
// subscription's events are pushed to the socket (EventStream.listen), so an idle socket holds no
// pending promise at all. Messages, close codes and their order follow graphql-ws 6, except that
// an operation the client completed (or whose socket closed) while it was being prepared is not
// run, and a close reason too long for a close frame is replaced instead of failing the socket.
import { createSourceEventStream, execute, getOperationAST, GraphQLError } from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CLOSE_TOO_SLOW } from './close-codes.js';
import type { Params, SubscribePayload } from './protocol-messages.js';
import { parseClientMessage } from './protocol-messages.js';

export const PROTOCOL = 'graphql-transport-ws';

export const CloseCode = {
  InternalServerError: 4500,
  BadRequest: 4400,
  Unauthorized: 4401,
  /** The same code as CLOSE_REVOKED (close-codes.ts): a refused connection_init is a revoked or unknown session. */
  Forbidden: 4403,
  SubprotocolNotAcceptable: 4406,
  ConnectionInitialisationTimeout: 4408,
  SubscriberAlreadyExists: 4409,
  TooManyInitialisationRequests: 4429,
} as const;

export type { SubscribePayload } from './protocol-messages.js';

/** A subscription's source that pushes its events (server/live/stream.ts). */
export interface PushSource<T = unknown> {
  /** `sink` gets each event, the next one once its promise settles; `end` once the source ends by itself. */
  listen(sink: (value: T) => unknown, end: () => void): void;
  return(): unknown;
}

function isPushSource(value: unknown): value is PushSource {
  return typeof value === 'object' && value !== null && typeof (value as PushSource).listen === 'function';
}

/**
 * How to run a subscribe message. `execute`, when given, runs a query or mutation (Yoga's), or
 * each event of a subscription (compiled); graphql-js's otherwise.
 */
export interface Prepared {
  args: ExecutionArgs;
  execute?: Executor;
}

export type Executor = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

interface Operation {
  readonly id: string;
  /** Set once a subscription runs: ended when the client completes it or the socket closes. */
  source: PushSource | null;
}

const enum Phase {
  /** Refused at once (subprotocol): its messages are ignored. */
  Refused,
  Opened,
  InitReceived,
  Acknowledged,
}

export interface SocketOptions {
  /** connection_init must come within this time. */
  initTimeoutMs: number;
  /** The connection under `ws` (the upgrade's socket), for `gathered`. */
  stream?: Duplex | null;
  /** More than this queued for a client that does not read: closed with CLOSE_TOO_SLOW, then cut. */
  maxBufferedBytes?: number;
}

/** A socket closed for reading too slowly is cut this long after its close frame was queued. */
const TOO_SLOW_CUT_MS = 1000;

export abstract class ProtocolSocket {
  /** Usually one: an array is smaller than a Map, and a socket holds it for hours. */
  private operations: Operation[] = [];
  private phase = Phase.Opened;
  private initTimer: NodeJS.Timeout | null = null;

  /** The connection under `ws` (the upgrade's socket), for `gathered`. */
  private readonly stream: Duplex | null;
  private readonly maxBufferedBytes: number;

  constructor(
    readonly ws: WebSocket,
    options: SocketOptions,
  ) {
    const { initTimeoutMs } = options;
    this.stream = options.stream ?? null;
    this.maxBufferedBytes = options.maxBufferedBytes ?? Infinity;
    if (ws.protocol !== PROTOCOL) {
      this.phase = Phase.Refused;
      ws.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    this.initTimer = setTimeout(() => this.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout'), initTimeoutMs);
  }

  /** connection_init: true to acknowledge; false refuses with 4403 (unless the hook closed the socket). */
  protected abstract connect(params: Params): Promise<boolean>;
  /** subscribe: how to run it, errors to answer with, or null when the hook has closed the socket. */
  protected abstract prepare(id: string, payload: SubscribePayload): Promise<Prepared | readonly GraphQLError[] | null>;
  /** An error as the client sees it (masked, coded). */
  protected abstract present(error: GraphQLError): GraphQLError;

  /** Operations reserved or running, the one being subscribed included. */
  get operationCount(): number {
    return this.operations.length;
  }

  /**
   * Runs `write` with this socket's frames gathered into one write to the network: each frame is
   * a syscall of its own otherwise (a third of a 10,000-socket kick's time in bench scenario 3).
   */
  gathered(write: () => void): void {
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

  /** One frame from the client. Rejects only on a server fault: the caller closes with 4500. */
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
        if (!(await this.connect(message.payload ?? {}))) return this.close(CloseCode.Forbidden, 'Forbidden');
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
        op.source?.return();
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
    for (const op of operations) op.source?.return();
  }

  private async subscribe(id: string, payload: SubscribePayload): Promise<void> {
    if (this.phase !== Phase.Acknowledged) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    if (this.operations.some((o) => o.id === id)) return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`, 'Subscriber already exists');
    const op: Operation = { id, source: null };
    this.operations.push(op);
    try {
      await this.run(op, payload);
    } catch (err) {
      this.drop(op);
      throw err;
    }
  }

  private async run(op: Operation, payload: SubscribePayload): Promise<void> {
    const prepared = await this.prepare(op.id, payload);
    // Completed by the client, or the socket closed, while it was prepared: nothing to run.
    if (prepared === null || !this.operations.includes(op)) return this.drop(op);
    if (!('args' in prepared)) return this.fail(op, prepared);
    const { args } = prepared;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return this.fail(op, [new GraphQLError('Unable to identify operation')]);
    const run = prepared.execute ?? execute;
    if (operation.operation !== 'subscription') return this.finish(op, await run(args));
    const source = await createSourceEventStream(args);
    if (!isPushSource(source)) {
      if (Symbol.asyncIterator in source) throw new Error('A subscription source must push its events (EventStream).');
      return this.finish(op, source);
    }
    if (!this.operations.includes(op)) {
      source.return();
      return;
    }
    op.source = source;
    source.listen(
      (event) => this.deliver(op, args, run, event),
      () => this.finish(op, null),
    );
  }

  /**
   * One event of a subscription, executed with its document and sent: at once when every resolver
   * answers at once (a change event's rows carry what the fields need), so that a kick's frames
   * can leave in one write (`gathered`).
   */
  private deliver(op: Operation, args: ExecutionArgs, run: Executor, event: unknown): void | Promise<void> {
    if (!this.operations.includes(op)) return;
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = run({ ...args, rootValue: event });
    } catch (err) {
      return this.streamFailed(op, err);
    }
    if (!(result instanceof Promise)) return this.sendEvent(op, result);
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
    op.source?.return();
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
    this.send({ id: op.id, type: 'error', payload: errors.map((e) => this.present(e)) });
  }

  private next(id: string, result: ExecutionResult): void {
    const payload = result.errors?.length ? { ...result, errors: result.errors.map((e) => this.present(e)) } : result;
    this.send({ id, type: 'next', payload });
  }

  private drop(op: Operation): void {
    const at = this.operations.indexOf(op);
    if (at >= 0) this.operations.splice(at, 1);
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
  protected tooSlow(): void {
    this.close(CLOSE_TOO_SLOW, 'Too slow: the server stopped queuing for this socket');
    setTimeout(() => this.ws.terminate(), TOO_SLOW_CUT_MS).unref();
  }
}
