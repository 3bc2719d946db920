// WebSockets on the HTTP server's port and path: the upgrade's checks (path, origin, caps), then
// graphql-transport-ws (./protocol.ts) with our session rules: a socket authenticates once, is
// registered for its session's events, and is closed when that session ends.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST } from 'graphql';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { clientIp } from '../auth/client-info.js';
import { presentedToken } from '../auth/cookies.js';
import type { Context, SocketSource } from '../context.js';
import { buildContext } from '../context.js';
import { appError } from '../errors.js';
import type { ServerContext } from '../context.js';
import type { RequestHead } from '../request.js';
import { requestState } from '../request.js';
import { createErrorMasker } from '../mask-errors.js';
import { originMayUseCookie } from '../origins.js';
import type { Services } from '../services.js';
import { withCode } from '../yoga-plugins.js';
import { eventExecutor } from './event-executor.js';
import type { Executor, Prepared, SubscribePayload } from './protocol.js';
import { CloseCode, PROTOCOL, ProtocolSocket } from './protocol.js';
import type { LiveConnection, LiveRegistry } from './registry.js';
import { CLOSE_REVOKED } from './registry.js';
import { refuseUnstorableVariables } from '../input-guard.js';

export const MAX_PAYLOAD = 64 * 1024;
/** RFC 6455 policy violation: a cap was reached. */
const CLOSE_POLICY = 1008;
/** A socket that does not answer a ping within this interval is dropped. */
const KEEPALIVE_MS = 15_000;
/** How often the sockets' session ends are looked at: the lateness of an expiry close. */
const EXPIRY_TICK_MS = 250;
/** A socket must send connection_init within this time. */
const INIT_TIMEOUT_MS = 5000;

/**
 * What a socket keeps of its upgrade request for its life: the headers its contexts read, not the
 * request with all its headers (bench scenario 4). The cookie goes once the socket authenticated.
 */
function headOf(request: IncomingMessage): RequestHead {
  const { cookie, 'user-agent': userAgent, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': forwardedProto } = request.headers;
  return {
    headers: { cookie, 'user-agent': userAgent, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': forwardedProto },
    socket: { remoteAddress: request.socket.remoteAddress, encrypted: 'encrypted' in request.socket && request.socket.encrypted === true },
  };
}

/** An error as a socket sends it: coded, without the HTTP status that only HTTP responses use. */
function forSocket(error: GraphQLError): GraphQLError {
  const coded = withCode(error);
  if (!coded.extensions?.http) return coded;
  const { http: _http, ...extensions } = coded.extensions;
  return createGraphQLError(coded.message, { nodes: coded.nodes, source: coded.source, positions: coded.positions, path: coded.path, originalError: coded.originalError, extensions });
}

function reject(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSockets(server: Server, yoga: YogaServerInstance<ServerContext, Context>, services: Services, registry: LiveRegistry) {
  // No client tracking: our own set holds the sockets, with what each needs.
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_PAYLOAD, handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false) });
  const { sessions, log, clock } = services;
  const maskError = createErrorMasker(log);
  const limits = services.config.limits;
  const perIp = new Map<string, number>();
  const sockets = new Set<GatewaySocket>();

  /** One object per socket: the protocol's state and ours (bench scenario 4). */
  class GatewaySocket extends ProtocolSocket {
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
    ) {
      super(ws, INIT_TIMEOUT_MS, stream);
    }

    /** `{ authorization: 'Bearer <token>' }` for API clients; browsers use the cookie. */
    protected async connect(params: Record<string, unknown>): Promise<boolean> {
      const authorization = typeof params.authorization === 'string' ? params.authorization : null;
      const token = presentedToken(authorization, this.head.headers.cookie);
      // Not `delete`: an object that loses a property is rebuilt as a (larger) dictionary.
      this.head.headers.cookie = undefined;
      // Not cached: a socket checks its token once, and 10,000 reconnecting sockets would fill the cache.
      const result = await sessions.authenticate(token, { cache: false });
      if (!result.ok) {
        log.info({ refusal: result.reason }, 'websocket refused');
        return false;
      }
      if (this.ws.readyState !== this.ws.OPEN) return false; // closed meanwhile: nothing to register
      const { sessionId, userId } = result.auth;
      if (registry.countForUser(userId) >= limits.socketsPerUser) {
        log.info({ userId }, 'websocket refused: too many sockets for this user');
        this.close(CLOSE_POLICY, 'Too many open sockets for this user');
        return false;
      }
      this.live = registry.add(sessionId, userId, this);
      // Checked again now that it is registered: a revocation in between is not missed.
      void recheck(this, this.live);
      return true;
    }

    protected async prepare(_id: string, payload: SubscribePayload): Promise<Prepared | readonly GraphQLError[] | null> {
      // The count includes this subscribe and every other one still being prepared or running.
      if (this.operationCount > limits.subscriptionsPerSocket) {
        return [appError('RATE_LIMITED', { message: `At most ${limits.subscriptionsPerSocket} subscriptions per socket.` })];
      }
      // The session is checked again on every subscribe.
      const live = this.live;
      const result = live ? await sessions.check(live.sessionId) : null;
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
      return forSocket(maskError(error) as GraphQLError);
    }

    override closed(): void {
      super.closed();
      if (this.live) registry.remove(this.live);
    }
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== yoga.graphqlEndpoint) return reject(socket, 404, 'Not Found');
    // The same client address as HTTP: behind a proxy, the peer is the proxy, shared by everyone.
    const ip = clientIp(request, services.config.trustProxy) ?? 'unknown';
    if ((perIp.get(ip) ?? 0) >= limits.socketsPerIp) {
      log.info({ ip }, 'websocket refused: too many sockets from this address');
      return reject(socket, 429, 'Too Many Requests');
    }
    // A cookie travels with any page's socket: only our own origins may use it (no Origin: not a
    // browser, no ambient cookie to abuse).
    if (request.headers.cookie && !originMayUseCookie(request.headers.origin || undefined, request.headers.host, services.config.allowedOrigins)) {
      log.info({ origin: request.headers.origin }, 'websocket refused: origin not allowed');
      return reject(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(request, socket, head, (ws) => opened(ws, socket, ip, headOf(request)));
  });

  // Outside the upgrade handler, so that no closure of the socket's life holds the upgrade request.
  function opened(ws: WebSocket, stream: Duplex, ip: string, head: RequestHead): void {
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    requestState(head, true);
    const socket = new GatewaySocket(ws, stream, ip, head);
    sockets.add(socket);
    ws.on('message', (data: Buffer) => {
      socket.receive(String(data)).catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'websocket message failed');
        socket.close(CloseCode.InternalServerError, 'Internal server error');
      });
    });
    // An oversized frame, a broken pipe: logged as data, not printed to the console.
    ws.on('error', (err) => log.info({ err: err.message }, 'websocket error'));
    ws.on('pong', () => (socket.alive = true));
    ws.on('close', () => {
      sockets.delete(socket);
      const left = (perIp.get(socket.ip) ?? 1) - 1;
      if (left > 0) perIp.set(socket.ip, left);
      else perIp.delete(socket.ip);
      socket.closed();
    });
  }

  // Sessions end (lifetime, idle timeout) without any request: one timer for every socket checks
  // which are due, instead of a timer per socket.
  const expiryTick = setInterval(() => {
    const now = clock.now().getTime();
    for (const socket of sockets) {
      if (socket.checkAt > now || !socket.live) continue;
      socket.checkAt = Infinity;
      void recheck(socket, socket.live);
    }
  }, EXPIRY_TICK_MS);
  expiryTick.unref();

  /** Checks the socket's session: still live, it is watched until its (new) end; else closed. */
  async function recheck(socket: GatewaySocket, live: LiveConnection): Promise<void> {
    const ended = () => socket.close(CLOSE_REVOKED, 'Session ended');
    try {
      const result = await sessions.check(live.sessionId);
      if (result.ok) {
        socket.checkAt = sessions.endOf(result.auth).getTime();
        return;
      }
      // Expiring publishes REVOKED: the registry then sends the event and closes the socket.
      const expiring = result.reason === 'expired' || result.reason === 'idle';
      if (!expiring || !(await sessions.expire(live.userId, live.sessionId))) ended();
    } catch {
      ended();
    }
  }

  // One heartbeat for every socket: a socket that did not answer the last ping is dropped.
  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (!socket.alive) {
        socket.ws.terminate();
        continue;
      }
      socket.alive = false;
      socket.ws.ping();
    }
  }, KEEPALIVE_MS);
  heartbeat.unref();

  return {
    /** Sockets still open. */
    clients: () => sockets.size,
    async close(): Promise<void> {
      clearInterval(heartbeat);
      clearInterval(expiryTick);
      for (const socket of sockets) socket.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
