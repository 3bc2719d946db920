// Request → context: the client's address and agent, and a lazy, memoized session check.
import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from './auth/client-info.js';
import { clientIp, describeClient } from './auth/client-info.js';
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
  /** The same, without waiting, when it is already known (undefined otherwise). */
  peekCurrentSessionId(): string | null | undefined;
  setIssuedSession(viewer: Viewer): void;
  /** The viewer's role in each of their organisations, loaded once per request. */
  viewerRoles(): Promise<Map<string, Role>>;
  /** The same, without waiting, once loaded in this request (undefined otherwise). */
  peekViewerRoles(): Map<string, Role> | undefined;
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

interface Memo<T> {
  (): Promise<T>;
  /** The value once settled, so that per-row resolvers can answer without a promise. */
  peek(): T | undefined;
}

function memo<T>(fn: () => Promise<T>): Memo<T> {
  let value: Promise<T> | undefined;
  let settled: { value: T } | undefined;
  const get = (() =>
    (value ??= fn().then((v) => {
      settled = { value: v };
      return v;
    }))) as Memo<T>;
  get.peek = () => settled?.value;
  return get;
}

export function buildContext(source: ContextSource): Context {
  const { services, req, log, socket } = source;
  const header = (name: string): string | null => {
    const value = req.headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const client = describeClient(clientIp(req.socket.remoteAddress, header('x-forwarded-for'), services.config.trustProxy), header('user-agent'));
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
  const loadRoles = async (): Promise<Map<string, Role>> => {
    const { userId } = issued ?? (await requireAuth());
    const rows = await services.prisma.membership.findMany({ where: { userId }, select: { organizationId: true, role: true } });
    return new Map(rows.map((r) => [r.organizationId, r.role]));
  };
  const rolesMemo = memo(loadRoles);
  const viewerRoles = socket ? loadRoles : rolesMemo;
  return {
    services,
    live: socket?.live ?? null,
    client,
    log,
    authResult,
    requireAuth,
    viewer: async () => issued ?? requireAuth(),
    peekCurrentSessionId() {
      if (issued) return issued.sessionId;
      const result = authResult.peek();
      return result === undefined ? undefined : result.ok ? result.auth.sessionId : null;
    },
    async currentSessionId() {
      if (issued) return issued.sessionId;
      const result = await authResult();
      return result.ok ? result.auth.sessionId : null;
    },
    setIssuedSession(viewer) {
      issued = viewer;
      log.sessionId = viewer.sessionId;
    },
    viewerRoles,
    // A socket's context lives as long as its subscription: roles are read afresh there.
    peekViewerRoles: () => (socket ? undefined : rolesMemo.peek()),
    setSessionCookie(token, expiresAt) {
      source.cookies.push(sessionCookie(token, expiresAt, secure, services.clock.now()));
    },
    clearSessionCookie() {
      source.cookies.push(clearedCookie(secure));
    },
  };
}

