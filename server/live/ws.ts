// WebSockets on the HTTP server's port and path: the upgrade's checks (path, origin, caps), the
// sockets' shared timers (session ends, heartbeat), and the drain on shutdown. Each socket is a
// GatewaySocket: the transport (./protocol.ts) with the gateway's hooks (./gateway-socket.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { clientIp } from '../http/client-address.js';
import type { Context, ServerContext } from '../graphql/context.js';
import { createErrorMasker, isDatabaseUnavailable } from '../graphql/mask-errors.js';
import { originMayUseCookie } from '../http/origins.js';
import type { RequestHead } from '../http/request.js';
import { requestState } from '../http/request.js';
import type { Services } from '../process/services.js';
import { CLOSE_RESTARTING, CLOSE_REVOKED, CLOSE_TRY_AGAIN, CloseCode } from './close-codes.js';
import { GatewayHooks, GatewaySocket } from './gateway-socket.js';
import { PROTOCOL } from './protocol.js';
import type { LiveConnection, LiveRegistry } from './registry.js';

export const MAX_PAYLOAD = 64 * 1024;
/** A socket that does not answer a ping within this interval is dropped. */
const KEEPALIVE_MS = 15_000;
/** How often the sockets' session ends are looked at: the lateness of an expiry close. */
const EXPIRY_TICK_MS = 250;
/** A session check that could not reach the database is tried again after this long. */
const RECHECK_RETRY_MS = 5000;
/** After the drain window, sockets still open (their close handshake unanswered) are cut. */
const DRAIN_GRACE_MS = 2000;

/**
 * What a socket keeps of its upgrade request for its life: the headers its contexts read, not the
 * request with all its headers. The cookie goes once the socket authenticated.
 */
function headOf(request: IncomingMessage): RequestHead {
  const { cookie, 'user-agent': userAgent, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': forwardedProto } = request.headers;
  return {
    headers: { cookie, 'user-agent': userAgent, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': forwardedProto },
    socket: { remoteAddress: request.socket.remoteAddress, encrypted: 'encrypted' in request.socket && request.socket.encrypted === true },
  };
}

/** An upgrade answered with a bare HTTP status (no WebSocket). */
export function reject(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export interface LiveSockets {
  /** Sockets still open. */
  clients(): number;
  /** An HTTP upgrade on this port: the checks, then the WebSocket handshake. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops accepting sockets and closes the open ones with 1012, spread over `drainMs`. */
  close(drainMs?: number): Promise<void>;
}

export function createWebSockets(yoga: YogaServerInstance<ServerContext, Context>, services: Services, registry: LiveRegistry): LiveSockets {
  // No client tracking: our own set holds the sockets, with what each needs.
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_PAYLOAD, handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false) });
  const { sessions, log, clock } = services;
  const limits = services.config.limits;
  const perIp = new Map<string, number>();
  const sockets = new Set<GatewaySocket>();
  let accepting = true;
  const hooks = new GatewayHooks({
    services,
    yoga,
    registry,
    maskError: createErrorMasker(log),
    // Checked again now that it is registered: a revocation in between is not missed.
    registered: (socket) => void recheck(socket, socket.live),
  });

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== yoga.graphqlEndpoint) return reject(socket, 404, 'Not Found');
    if (!accepting) return reject(socket, 503, 'Service Unavailable');
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
  }

  // Outside the upgrade handler, so that no closure of the socket's life holds the upgrade request.
  function opened(ws: WebSocket, stream: Duplex, ip: string, head: RequestHead): void {
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    requestState(head, true);
    const socket = new GatewaySocket(ws, stream, ip, head, hooks);
    sockets.add(socket);
    ws.on('message', (data: Buffer) => {
      socket.receive(String(data)).catch((err: unknown) => {
        // Could not check the session: not a revocation, and not fatal for the client (it retries 1013).
        if (isDatabaseUnavailable(err)) {
          log.warn({ err: (err as Error).message }, 'websocket closed: the database did not answer');
          return socket.close(CLOSE_TRY_AGAIN, 'Try again later');
        }
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
      if (sockets.size === 0) drained?.();
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
  async function recheck(socket: GatewaySocket, live: LiveConnection | null): Promise<void> {
    if (!live) return;
    try {
      const result = await sessions.check(live.sessionId);
      if (result.ok) {
        socket.checkAt = sessions.endOf(result.auth).getTime();
        return;
      }
      // Expiring publishes REVOKED: the registry then sends the event and closes the socket.
      const expiring = result.reason === 'expired' || result.reason === 'idle';
      if (!expiring || !(await sessions.expire(live.userId, live.sessionId))) socket.close(CLOSE_REVOKED, 'Session ended');
    } catch (err) {
      // Not knowing is not "revoked": the check is tried again later.
      log.warn({ err: (err as Error).message, sessionId: live.sessionId }, 'socket session check failed: tried again later');
      socket.checkAt = clock.now().getTime() + RECHECK_RETRY_MS;
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

  let drained: (() => void) | null = null;

  return {
    clients: () => sockets.size,
    upgrade,
    async close(drainMs = 0): Promise<void> {
      accepting = false;
      clearInterval(heartbeat);
      clearInterval(expiryTick);
      const all = new Promise<void>((resolve) => (drained = resolve));
      if (sockets.size === 0) drained?.();
      // Each socket at a random moment of the window: clients come back spread, not as one herd.
      const timers = [...sockets].map((socket) => setTimeout(() => socket.close(CLOSE_RESTARTING, 'Service restart'), drainMs > 0 ? Math.random() * drainMs : 0));
      let cut: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise<void>((resolve) => (cut = setTimeout(resolve, drainMs + DRAIN_GRACE_MS)))]);
      clearTimeout(cut);
      timers.forEach(clearTimeout);
      for (const socket of sockets) socket.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
