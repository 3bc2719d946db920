// Request → context: the client's address and agent, and a lazy, memoized session check.
import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from './auth/client-info.js';
import { clientIp, parseUserAgent } from './auth/client-info.js';
import { clearedCookie, isSecureRequest, presentedToken, sessionCookie } from './auth/cookies.js';
import type { AuthResult, AuthState } from './auth/sessions.js';
import { fail } from './errors.js';
import type { Role } from './generated/prisma/client.js';
import type { RequestLog } from './logging.js';
import type { LiveConnection } from './live/registry.js';
import type { Services } from './services.js';

export interface Context {
  services: Services;
  /** Set on a WebSocket: where its subscriptions get their events. */
  live: LiveConnection | null;
  client: ClientInfo;
  log: RequestLog;
  /** The session check, run at most once per request (or per socket message). */
  authResult(): Promise<AuthResult>;
  /** The signed-in state, or UNAUTHENTICATED. */
  requireAuth(): Promise<AuthState>;
  /** The session this request acts as: the one it just issued (sign-in, switch), else the one it presented. */
  viewer(): Promise<Viewer>;
  currentSessionId(): Promise<string | null>;
  setIssuedSession(viewer: Viewer): void;
  /** The viewer's role in each of their organisations, loaded once per request. */
  viewerRoles(): Promise<Map<string, Role>>;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
}

export type Viewer = Pick<AuthState, 'sessionId' | 'userId' | 'organizationId' | 'role'>;

export interface ContextSource {
  services: Services;
  /** The HTTP request, or a socket's upgrade request. */
  req: IncomingMessage;
  log: RequestLog;
  /** Where cookies the resolvers set are collected; HTTP only. */
  cookies: string[];
  /** Sockets: the session the connection authenticated as, and its registration. */
  socket?: { sessionId: string; live: LiveConnection };
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}

export function buildContext(source: ContextSource): Context {
  const { services, req, log, socket } = source;
  const header = (name: string): string | null => {
    const value = req.headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const client: ClientInfo = {
    ipAddress: clientIp(req.socket.remoteAddress, header('x-forwarded-for'), services.config.trustProxy),
    ...parseUserAgent(header('user-agent')),
  };
  const secure = isSecureRequest(req, services.config);
  const fromCookie = !socket && !header('authorization') && Boolean(header('cookie'));
  const authResult = memo(async () => {
    let result: AuthResult;
    if (socket) {
      result = await services.sessions.check(socket.sessionId);
    } else {
      // Only cookie sessions rotate: the browser takes the new token from Set-Cookie by itself.
      result = await services.sessions.authenticate(presentedToken(header('authorization'), header('cookie')), { rotate: fromCookie });
    }
    if (result.ok) {
      log.sessionId = result.auth.sessionId;
      if (result.rotatedToken) source.cookies.push(sessionCookie(result.rotatedToken, result.auth.expiresAt, secure, services.clock.now()));
    } else if (result.reason !== 'missing') {
      log.refusal = result.reason;
      // A cookie that can never work again is cleared.
      if (fromCookie) source.cookies.push(clearedCookie(secure));
    }
    return result;
  });
  const requireAuth = async (): Promise<AuthState> => {
    const result = await authResult();
    if (!result.ok) {
      log.refusal ??= result.reason;
      return fail('UNAUTHENTICATED');
    }
    return result.auth;
  };
  let issued: Viewer | null = null;
  return {
    services,
    live: socket?.live ?? null,
    client,
    log,
    authResult,
    requireAuth,
    viewer: async () => issued ?? requireAuth(),
    async currentSessionId() {
      if (issued) return issued.sessionId;
      const result = await authResult();
      return result.ok ? result.auth.sessionId : null;
    },
    setIssuedSession(viewer) {
      issued = viewer;
      log.sessionId = viewer.sessionId;
    },
    // A socket's context lives as long as its subscription, so roles are read afresh there.
    viewerRoles: (socket ? (f: () => Promise<Map<string, Role>>) => f : memo)(async () => {
      const { userId } = issued ?? (await requireAuth());
      const rows = await services.prisma.membership.findMany({ where: { userId }, select: { organizationId: true, role: true } });
      return new Map(rows.map((r) => [r.organizationId, r.role]));
    }),
    setSessionCookie(token, expiresAt) {
      source.cookies.push(sessionCookie(token, expiresAt, secure, services.clock.now()));
    },
    clearSessionCookie() {
      source.cookies.push(clearedCookie(secure));
    },
  };
}

