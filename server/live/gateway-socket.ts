// The gateway's side of the transport (./transport.ts): our session rules as its hooks. A socket
// authenticates once at connection_init, is registered for its session's events, checks its
// session again on every subscribe, and runs subscriptions with a context of its own.
import type { Duplex } from 'node:stream';
import { getOperationAST } from 'graphql';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import type { WebSocket } from 'ws';
import { presentedToken } from '../auth/cookies.js';
import type { Context, ServerContext, SocketSource } from '../graphql/context.js';
import { buildContext } from '../graphql/context.js';
import { appError } from '../graphql/errors.js';
import { refuseUnstorableVariables } from '../graphql/input-guard.js';
import type { RequestHead } from '../http/request.js';
import { requestState } from '../http/request.js';
import type { Services } from '../process/services.js';
import { forSocket } from '../graphql/error-phases.js';
import { CLOSE_POLICY, CLOSE_REVOKED } from './close-codes.js';
import { eventExecutor } from './event-executor.js';
import { ProtocolSocket } from './protocol.js';
import type { LiveConnection, LiveRegistry } from './registry.js';
import type { Executor, Params, SubscribePayload, Subscribed, TransportHooks } from './transport.js';

/** A socket must send connection_init within this time. */
const INIT_TIMEOUT_MS = 5000;

/** What every socket shares: built once per server. */
export interface SocketDeps {
  services: Services;
  yoga: YogaServerInstance<ServerContext, Context>;
  registry: LiveRegistry;
  maskError: (error: unknown) => Error;
  /** Called once a socket is registered: its session is checked again (a revocation in between). */
  registered(socket: GatewaySocket): void;
}

/** The transport's fields and ours in one object per socket; the behaviour is in GatewayHooks, shared. */
export class GatewaySocket extends ProtocolSocket<GatewaySocket> {
  /** Its session's registration (session and user), once connection_init authenticated it. */
  live: LiveConnection | null = null;
  /** When the session is due to be checked again (its lifetime or idle end). */
  checkAt = Infinity;
  /** Answered the last heartbeat ping. */
  alive = true;

  constructor(
    ws: WebSocket,
    stream: Duplex,
    readonly ip: string,
    readonly head: RequestHead,
    hooks: GatewayHooks,
  ) {
    super(ws, hooks, { initTimeoutMs: INIT_TIMEOUT_MS, stream, maxBufferedBytes: hooks.deps.services.config.live.maxBufferedBytes });
  }
}

/** The hooks every socket of one server shares. */
export class GatewayHooks implements TransportHooks<GatewaySocket> {
  constructor(readonly deps: SocketDeps) {}

  /** `{ authorization: 'Bearer <token>' }` for API clients; browsers use the cookie. */
  async onConnect(socket: GatewaySocket, params: Params): Promise<boolean> {
    const { sessions, log, config } = this.deps.services;
    const authorization = typeof params.authorization === 'string' ? params.authorization : null;
    const token = presentedToken(authorization, socket.head.headers.cookie);
    // Not `delete`: an object that loses a property is rebuilt as a (larger) dictionary.
    socket.head.headers.cookie = undefined;
    // Not cached: a socket checks its token once, and 10,000 reconnecting sockets would fill the cache.
    // A database that does not answer throws: the socket is closed with 1013, not refused.
    const result = await sessions.authenticate(token, { cache: false });
    if (!result.ok) {
      log.info({ refusal: result.reason }, 'websocket refused');
      return false;
    }
    if (socket.ws.readyState !== socket.ws.OPEN) return false; // closed meanwhile: nothing to register
    const { sessionId, userId, role, organizationId } = result.auth;
    if (this.deps.registry.countForUser(userId) >= config.limits.socketsPerUser) {
      log.info({ userId }, 'websocket refused: too many sockets for this user');
      socket.close(CLOSE_POLICY, 'Too many open sockets for this user');
      return false;
    }
    socket.live = this.deps.registry.add(sessionId, userId, role, socket, organizationId);
    this.deps.registered(socket);
    return true;
  }

  async onSubscribe(owner: GatewaySocket, _id: string, payload: SubscribePayload): Promise<Subscribed> {
    const { services, yoga } = this.deps;
    const limit = services.config.limits.subscriptionsPerSocket;
    // The count includes this subscribe and every other one still being prepared or running.
    if (owner.operationCount > limit) return [appError('RATE_LIMITED', { message: `At most ${limit} subscriptions per socket.` })];
    // The session is checked again on every subscribe (a database that does not answer throws: 1013).
    const live = owner.live;
    const result = live ? await services.sessions.check(live.sessionId) : null;
    if (!live || !result?.ok) {
      owner.close(CLOSE_REVOKED, 'Session revoked');
      return null;
    }
    const socket: SocketSource = { live, checked: result };
    const { schema, execute, contextFactory, parse, validate } = yoga.getEnveloped({ req: owner.head, socket });
    let document;
    try {
      document = parse(payload.query);
    } catch (err) {
      return [err as GraphQLError];
    }
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, document);
    } catch (err) {
      // graphql-armor's limits throw from validation instead of reporting.
      return [err as GraphQLError];
    }
    if (errors.length > 0) return errors;
    const args: ExecutionArgs = { schema, operationName: payload.operationName, document, variableValues: payload.variables, contextValue: null };
    if (getOperationAST(document, payload.operationName)?.operation === 'subscription') {
      // A subscription lives as long as the socket: it runs with a context of our own, without
      // Yoga's per-request envelope around it. Its errors are masked in present().
      // No subscribe hook sees a subscription's variables (it skips Yoga's execute): refused here.
      const refused = refuseUnstorableVariables(document, payload.variables);
      if (refused) return [refused];
      socket.lasting = true;
      args.contextValue = buildContext({ services, req: owner.head, log: requestState(owner.head).log, cookies: [], socket });
      return { args, execute: eventExecutor(schema, document, payload.operationName) };
    }
    args.contextValue = await contextFactory();
    return { args, execute: execute as Executor };
  }

  present(error: GraphQLError): GraphQLError {
    return forSocket(this.deps.maskError(error) as GraphQLError);
  }

  onTooSlow(socket: GatewaySocket): void {
    this.deps.services.log.warn({ ip: socket.ip, sessionId: socket.live?.sessionId, queued: socket.ws.bufferedAmount }, 'websocket too slow: closed (4008)');
  }

  onClose(socket: GatewaySocket): void {
    if (socket.live) this.deps.registry.remove(socket.live);
  }
}
