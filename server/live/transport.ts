// The declared interface of the graphql-transport-ws server (./protocol.ts): what it offers its
// user (Transport), what it asks of it (TransportHooks), and what a subscription's events may come
// from (./event-source.ts). It knows GraphQL execution and the protocol, nothing of sessions, the
// registry or Redis: the gateway (./gateway-socket.ts) implements the hooks.
import type { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql';
import type { Duplex } from 'node:stream';
import type { Params, SubscribePayload } from './protocol-messages.js';

export type { Params, SubscribePayload } from './protocol-messages.js';
export type { EventSource, Listener } from './event-source.js';

/** What a socket's owner may do with it (the registry's connections hold it as this). */
export interface Transport {
  /** Closes the socket; a reason too long for a close frame (123 bytes) becomes `whenTooLong`. */
  close(code: number, reason: string, whenTooLong?: string): void;
  /**
   * Runs `write` with every frame it sends (events, completes, the close) gathered into one write
   * to the network. `write` must not wait for anything: what it sends after an `await` leaves on
   * its own (typed `undefined`, so an async function is refused).
   */
  gathered(write: () => undefined): void;
}

/** A result that is there at once: what the one-write rule needs of a pushed event's execution. */
export type SyncExecutionResult = ExecutionResult;

/**
 * Runs a query or mutation, or one event of a subscription (its `rootValue`). An event's result
 * must come without a promise whenever its resolvers can answer at once (the one-write rule,
 * docs/ARCHITECTURE.md "Sockets"): a promise costs the kicked socket its single write.
 */
export type Executor = (args: ExecutionArgs) => SyncExecutionResult | Promise<ExecutionResult>;

/** How to run a subscribe message: graphql-js's `execute` unless `execute` is given. */
export interface Prepared {
  args: ExecutionArgs;
  execute?: Executor;
}

/** onSubscribe's answer: how to run it, errors to answer with (an `error` message), or null once the hook has closed the socket. */
export type Subscribed = Prepared | readonly GraphQLError[] | null;

/**
 * The hooks one server's sockets share (one object, not one per socket). `S` is the socket as
 * its owner built it (ProtocolSocket, or a subclass that adds its own fields).
 */
export interface TransportHooks<S> {
  /** connection_init: true acknowledges; false refuses with 4403 (unless the hook closed the socket itself). */
  onConnect(socket: S, params: Params): boolean | Promise<boolean>;
  /**
   * subscribe: how to run it. A subscription's source (what its root field's `subscribe`
   * returns) may be any async iterable, pulled, or an EventSource, which pushes its events.
   */
  onSubscribe(socket: S, id: string, payload: SubscribePayload): Subscribed | Promise<Subscribed>;
  /** An operation is over: completed by the client, finished, failed, or its socket closed. */
  onComplete?(socket: S, id: string): void;
  /** The socket closed; its operations are over. */
  onClose?(socket: S): void;
  /** More than `maxBufferedBytes` is queued: the socket is being closed with 4008. */
  onTooSlow?(socket: S): void;
  /** An error as the client is shown it (masked, coded), in results and error messages. */
  present(error: GraphQLError): GraphQLError;
}

export interface SocketOptions {
  /** connection_init must come within this time (else 4408). */
  initTimeoutMs: number;
  /** The connection under `ws` (the upgrade's socket): what `gathered` corks. */
  stream?: Duplex | null;
  /** More than this queued for a client that does not read: closed with 4008, then cut. */
  maxBufferedBytes?: number;
}
