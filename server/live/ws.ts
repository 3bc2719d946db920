// graphql-ws on the HTTP server's port and path, executing through Yoga's envelope so that the
// same schema, context, error masking and plugins apply to subscriptions.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST } from 'graphql';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import type { ServerOptions } from 'graphql-ws';
import { createGraphQLError } from 'graphql-yoga';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { presentedToken } from '../auth/cookies.js';
import type { Context, SocketSource } from '../context.js';
import { buildContext } from '../context.js';
import { appError } from '../errors.js';
import type { RequestHead, ServerContext } from '../http.js';
import { requestState } from '../http.js';
import { createErrorMasker } from '../mask-errors.js';
import type { Services } from '../services.js';
import { withCode } from '../yoga-plugins.js';
import type { LiveConnection, LiveRegistry } from './registry.js';
import { subscribe } from './subscribe.js';
import { CLOSE_REVOKED } from './registry.js';

export const MAX_PAYLOAD = 64 * 1024;
/** RFC 6455 policy violation: a cap was reached. */
const CLOSE_POLICY = 1008;
/** A socket that does not answer a ping within this interval is dropped. */
const KEEPALIVE_MS = 15_000;
/** How often the sockets' session ends are looked at: the lateness of an expiry close. */
const EXPIRY_TICK_MS = 250;

/** `{ authorization: 'Bearer <token>' }` for API clients; browsers use the cookie. */
type ConnectionParams = Record<string, unknown>;

/** What graphql-ws keeps per socket, beside the socket and its upgrade request. */
interface SocketState {
  sessionId: string;
  live?: LiveConnection;
}

type Extra = { socket: WebSocket; request: RequestHead; state?: SocketState };

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

/** Queries and mutations over a socket run through Yoga's envelope: they carry its `execute`. */
type SocketArgs = ExecutionArgs & { execute?: (a: ExecutionArgs) => unknown };

/** An error as a socket sends it: coded, without the HTTP status that only HTTP responses use. */
function forSocket(error: GraphQLError): GraphQLError {
  const coded = withCode(error);
  if (!coded.extensions?.http) return coded;
  const { http: _http, ...extensions } = coded.extensions;
  return createGraphQLError(coded.message, { nodes: coded.nodes, source: coded.source, positions: coded.positions, path: coded.path, originalError: coded.originalError, extensions });
}

function originAllowed(request: IncomingMessage, allowed: string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true; // not a browser: no ambient cookie to abuse
  if (allowed.includes(origin)) return true;
  const host = request.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

function reject(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSockets(server: Server, yoga: YogaServerInstance<ServerContext, Context>, services: Services, registry: LiveRegistry) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, handleProtocols: (protocols) => handleProtocols(protocols) });
  const { sessions, log, clock } = services;
  const maskError = createErrorMasker(log);

  const limits = services.config.limits;
  const perIp = new Map<string, number>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== yoga.graphqlEndpoint) return reject(socket, 404, 'Not Found');
    const ip = request.socket.remoteAddress ?? 'unknown';
    if ((perIp.get(ip) ?? 0) >= limits.socketsPerIp) {
      log.info({ ip }, 'websocket refused: too many sockets from this address');
      return reject(socket, 429, 'Too Many Requests');
    }
    // A cookie travels with any page's socket: only our own origins may use it.
    if (request.headers.cookie && !originAllowed(request, services.config.allowedOrigins)) {
      log.info({ origin: request.headers.origin }, 'websocket refused: origin not allowed');
      return reject(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(request, socket, head, (ws) => opened(ws, ip, headOf(request)));
  });

  // Outside the upgrade handler, so that no closure of the socket's life holds the upgrade request.
  function opened(ws: WebSocket, ip: string, head: RequestHead): void {
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    ws.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
    wss.emit('connection', ws, head);
  }

  // Sessions end (lifetime, idle timeout) without any request: one timer for every socket checks
  // which are due, instead of a timer per socket.
  const due = new Map<SocketState, { endAt: number; close: () => void }>();
  const expiryTick = setInterval(() => {
    const now = clock.now().getTime();
    for (const [state, entry] of due) {
      if (entry.endAt > now) continue;
      due.delete(state);
      void recheck(state, entry.close);
    }
  }, EXPIRY_TICK_MS);
  expiryTick.unref();

  /** Checks the socket's session: still live, it is watched until its (new) end; else closed. */
  async function recheck(state: SocketState, close: () => void): Promise<void> {
    try {
      const result = await sessions.check(state.sessionId);
      if (result.ok) {
        due.set(state, { endAt: sessions.endOf(result.auth).getTime(), close });
        return;
      }
      // Expiring publishes REVOKED: the registry then sends the event and closes the socket.
      const live = state.live;
      const expiring = (result.reason === 'expired' || result.reason === 'idle') && live !== undefined;
      if (!expiring || !(await sessions.expire(live.userId, live.sessionId))) close();
    } catch {
      close();
    }
  }

  const options: ServerOptions<ConnectionParams, Extra> = {
    connectionInitWaitTimeout: 5000,
    onConnect: async (ctx) => {
      const { request, socket } = ctx.extra;
      const params = ctx.connectionParams ?? {};
      const authorization = typeof params.authorization === 'string' ? params.authorization : null;
      const token = presentedToken(authorization, request.headers.cookie);
      // Not `delete`: an object that loses a property is rebuilt as a (larger) dictionary.
      request.headers.cookie = undefined;
      // Not cached: a socket checks its token once, and 10,000 reconnecting sockets would fill the cache.
      const result = await sessions.authenticate(token, { cache: false });
      if (!result.ok) {
        log.info({ refusal: result.reason }, 'websocket refused');
        return false; // graphql-ws closes with 4403 Forbidden
      }
      if (registry.countForUser(result.auth.userId) >= limits.socketsPerUser) {
        log.info({ userId: result.auth.userId }, 'websocket refused: too many sockets for this user');
        socket.close(CLOSE_POLICY, 'Too many open sockets for this user');
        return false;
      }
      const state: SocketState = { sessionId: result.auth.sessionId };
      state.live = registry.add(result.auth.sessionId, result.auth.userId, (code, reason) => socket.close(code, reason));
      ctx.extra.state = state;
      // Checked again now that it is registered: a revocation in between is not missed.
      void recheck(state, () => socket.close(CLOSE_REVOKED, 'Session ended'));
      return true;
    },
    onSubscribe: async (ctx, _id, payload) => {
      // Before any await: graphql-ws has reserved this operation's id, so the count includes every
      // subscribe that came before it on this socket, finished or not.
      if (Object.keys(ctx.subscriptions).length > limits.subscriptionsPerSocket) {
        return [forSocket(appError('RATE_LIMITED', { message: `At most ${limits.subscriptionsPerSocket} subscriptions per socket.` }))];
      }
      const state = ctx.extra.state;
      // The session is checked again on every subscribe.
      const result = state ? await sessions.check(state.sessionId) : null;
      if (!state?.live || !result?.ok) {
        ctx.extra.socket.close(CLOSE_REVOKED, 'Session revoked');
        return [];
      }
      const socketContext: SocketSource = { sessionId: state.sessionId, live: state.live, checked: result };
      const { schema, execute, contextFactory, parse, validate } = yoga.getEnveloped({ req: ctx.extra.request, socket: socketContext });
      let document;
      try {
        document = parse(payload.query);
      } catch (err) {
        return [forSocket(err as GraphQLError)];
      }
      let errors: readonly GraphQLError[];
      try {
        errors = validate(schema, document);
      } catch (err) {
        // graphql-armor's limits throw from validation instead of reporting.
        return [forSocket(err as GraphQLError)];
      }
      if (errors.length > 0) return errors.map(forSocket);
      const args: SocketArgs = { schema, operationName: payload.operationName, document, variableValues: payload.variables, contextValue: null };
      if (getOperationAST(document, payload.operationName)?.operation === 'subscription') {
        // A subscription lives as long as the socket: it runs directly (./subscribe.ts) with a context
        // of our own, without Yoga's per-request envelope around it (about a third of the memory a
        // socket cost, bench scenario 4). Its errors are masked and coded in onNext.
        const req = ctx.extra.request;
        args.contextValue = buildContext({ services, req, log: requestState(req).log, cookies: [], socket: socketContext });
      } else {
        args.contextValue = await contextFactory();
        args.execute = execute;
      }
      return args;
    },
    execute: (args) => (args as SocketArgs).execute?.(args) as ReturnType<NonNullable<ServerOptions['execute']>>,
    subscribe: (args) => subscribe(args),
    onNext: (_ctx, _id, _payload, _args, result) => {
      if (!result.errors?.length) return;
      // A result's errors are GraphQLErrors, and so is what the masker makes of them.
      return { ...result, errors: result.errors.map((e) => forSocket(maskError(e) as GraphQLError)) };
    },
    // graphql-ws's own errors (an operation it cannot identify, …) get codes too.
    // A stream that throws reaches here too, with its error's message: masked like any other.
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => forSocket(maskError(e) as GraphQLError)),
    onClose: (ctx) => {
      const state = ctx.extra.state;
      if (!state) return;
      due.delete(state);
      if (state.live) registry.remove(state.live);
    },
  };
  const protocol = makeServer(options);

  // One heartbeat for every socket: a socket that did not answer the last ping is dropped.
  const alive = new Set<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, KEEPALIVE_MS);
  heartbeat.unref();

  // Our own adapter instead of graphql-ws's `use/ws`: the same protocol wiring, with socket errors
  // (an oversized frame, a broken pipe) logged as data instead of printed to the console.
  wss.on('connection', (socket: WebSocket, request: RequestHead) => {
    socket.on('error', (err) => log.info({ err: err.message }, 'websocket error'));
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', (data) => {
            cb(String(data)).catch((err: unknown) => {
              const message = (err as Error).message;
              // graphql-ws throws for a message type only a server may send: the client's mistake.
              if (/^Unexpected message of type/.test(message)) return socket.close(CloseCode.BadRequest, 'Invalid message received');
              log.error({ err: message }, 'websocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      alive.delete(socket);
      void closed(code, String(reason));
    });
  });

  return {
    /** Sockets the WebSocket server still holds open. */
    clients: () => wss.clients.size,
    async close(): Promise<void> {
      clearInterval(heartbeat);
      clearInterval(expiryTick);
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
