// One WebSocket of the gateway: graphql-transport-ws (./protocol.ts) with our session rules. It
// authenticates once at connection_init, is registered for its session's events, checks its
// session again on every subscribe, and runs subscriptions with a context of its own.
import type { Duplex } from 'node:stream';
import { getOperationAST } from 'graphql';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
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
import { withCode } from '../graphql/yoga-plugins.js';
import { CLOSE_POLICY, CLOSE_REVOKED } from './close-codes.js';
import { eventExecutor } from './event-executor.js';
import type { Executor, Prepared, SubscribePayload } from './protocol.js';
import { ProtocolSocket } from './protocol.js';
import type { LiveConnection, LiveRegistry } from './registry.js';

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

/** An error as a socket sends it: coded, without the HTTP status that only HTTP responses use. */
function forSocket(error: GraphQLError): GraphQLError {
  const coded = withCode(error);
  if (!coded.extensions?.http) return coded;
  const { http: _http, ...extensions } = coded.extensions;
  return createGraphQLError(coded.message, { nodes: coded.nodes, source: coded.source, positions: coded.positions, path: coded.path, originalError: coded.originalError, extensions });
}

/** One object per socket: the protocol's state and ours (bench scenario 4). */
export class GatewaySocket extends ProtocolSocket {
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
    private readonly deps: SocketDeps,
  ) {
    super(ws, { initTimeoutMs: INIT_TIMEOUT_MS, stream, maxBufferedBytes: deps.services.config.live.maxBufferedBytes });
  }

  /** `{ authorization: 'Bearer <token>' }` for API clients; browsers use the cookie. */
  protected async connect(params: Record<string, unknown>): Promise<boolean> {
    const { sessions, log, config } = this.deps.services;
    const authorization = typeof params.authorization === 'string' ? params.authorization : null;
    const token = presentedToken(authorization, this.head.headers.cookie);
    // Not `delete`: an object that loses a property is rebuilt as a (larger) dictionary.
    this.head.headers.cookie = undefined;
    // Not cached: a socket checks its token once, and 10,000 reconnecting sockets would fill the cache.
    // A database that does not answer throws: the socket is closed with 1013, not refused.
    const result = await sessions.authenticate(token, { cache: false });
    if (!result.ok) {
      log.info({ refusal: result.reason }, 'websocket refused');
      return false;
    }
    if (this.ws.readyState !== this.ws.OPEN) return false; // closed meanwhile: nothing to register
    const { sessionId, userId, role } = result.auth;
    if (this.deps.registry.countForUser(userId) >= config.limits.socketsPerUser) {
      log.info({ userId }, 'websocket refused: too many sockets for this user');
      this.close(CLOSE_POLICY, 'Too many open sockets for this user');
      return false;
    }
    this.live = this.deps.registry.add(sessionId, userId, role, this);
    this.deps.registered(this);
    return true;
  }

  protected async prepare(_id: string, payload: SubscribePayload): Promise<Prepared | readonly GraphQLError[] | null> {
    const { services, yoga } = this.deps;
    const limit = services.config.limits.subscriptionsPerSocket;
    // The count includes this subscribe and every other one still being prepared or running.
    if (this.operationCount > limit) return [appError('RATE_LIMITED', { message: `At most ${limit} subscriptions per socket.` })];
    // The session is checked again on every subscribe (a database that does not answer throws: 1013).
    const live = this.live;
    const result = live ? await services.sessions.check(live.sessionId) : null;
    if (!live || !result?.ok) {
      this.close(CLOSE_REVOKED, 'Session revoked');
      return null;
    }
    const socket: SocketSource = { live, checked: result };
    const { schema, execute, contextFactory, parse, validate } = yoga.getEnveloped({ req: this.head, socket });
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
      // Yoga's per-request envelope around it (bench scenario 4). Its errors are masked in present().
      // No subscribe hook sees a subscription's variables (it skips Yoga's execute): refused here.
      const refused = refuseUnstorableVariables(document, payload.variables);
      if (refused) return [refused];
      socket.lasting = true;
      args.contextValue = buildContext({ services, req: this.head, log: requestState(this.head).log, cookies: [], socket });
      return { args, execute: eventExecutor(schema, document, payload.operationName) };
    }
    args.contextValue = await contextFactory();
    return { args, execute: execute as Executor };
  }

  protected present(error: GraphQLError): GraphQLError {
    return forSocket(this.deps.maskError(error) as GraphQLError);
  }

  protected override tooSlow(): void {
    this.deps.services.log.warn({ ip: this.ip, sessionId: this.live?.sessionId, queued: this.ws.bufferedAmount }, 'websocket too slow: closed (4008)');
    super.tooSlow();
  }

  override closed(): void {
    super.closed();
    if (this.live) this.deps.registry.remove(this.live);
  }
}
