// Request → context: the client's address and agent, and a lazy session check (memoized for one
// request or socket operation; never kept by a subscription, which lives as long as its socket).
import { clientIp } from '../http/client-address.js';
import type { ClientInfo } from '../sessions/user-agent.js';
import { describeClient } from '../sessions/user-agent.js';
import { clearedCookies, isSecureRequest, presentedToken, sessionCookies } from '../auth/cookies.js';
import type { AuthResult, AuthState } from '../sessions/types.js';
import { fail } from './errors.js';
import type { ServerResponse } from 'node:http';
import type { RequestHead } from '../http/request.js';
import type { Role } from '../generated/prisma/client.js';
import type { RequestLog } from '../process/logging.js';
import type { LiveConnection } from '../live/registry.js';
import type { Services } from '../process/services.js';

export interface Context {
  services: Services;
  /** Set on a WebSocket: where its subscriptions get their events. */
  live: LiveConnection | null;
  client: ClientInfo;
  log: RequestLog;
  /** The request presents its session by cookie (a browser, which follows Set-Cookie), not bearer or socket. */
  readonly fromCookie: boolean;
  /** The session check, run at most once per request or socket operation (a subscription checks afresh). */
  authResult(): Promise<AuthResult>;
  /** The signed-in state, or UNAUTHENTICATED. */
  requireAuth(): Promise<AuthState>;
  /** The signed-in state the `signedIn` scope (or requireAuth) has already checked in this request: read, not checked again. */
  auth(): AuthState;
  /** The session this request acts as: the one it just issued (sign-in, switch), else the one it presented. */
  viewer(): Promise<Viewer>;
  /** Whether `sessionId` is the session this request acts as: known at once on a socket or after a sign-in. */
  isCurrentSession(sessionId: string): boolean | Promise<boolean>;
  setIssuedSession(viewer: Viewer): void;
  /** The viewer's role in each of their organisations, loaded once per request (afresh in a subscription). */
  viewerRoles(): Promise<Map<string, Role>>;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
}

export type Viewer = Pick<AuthState, 'sessionId' | 'userId' | 'organizationId' | 'role'>;

export interface ContextSource {
  services: Services;
  /** The HTTP request, or a socket's upgrade request. */
  req: RequestHead;
  log: RequestLog;
  /** Where cookies the resolvers set are collected; HTTP only. */
  cookies: string[];
  /** Sockets: the registration of the session the connection authenticated as. */
  socket?: SocketSource;
}

/** Yoga's server context: the request, its response, and for an operation over a socket its source. */
export interface ServerContext {
  req: RequestHead;
  res?: ServerResponse;
  /** Set by the WebSocket layer for a query or mutation sent over a socket. */
  socket?: SocketSource;
}

export interface SocketSource {
  /** The socket's registration: its session and user. */
  live: LiveConnection;
  /** The check of the session that the socket's subscribe has just made: not made again. */
  checked?: AuthResult;
  /** A subscription's context, held for the socket's life: it keeps no check result. */
  lasting?: boolean;
}

/**
 * A context's own state. Its methods are module-level functions shared by every context, called
 * with the context as `this`: a context is one plain object, not a dozen closures, and a socket
 * holds one per subscription for its whole life. Yoga copies the context's
 * own properties onto its own object (Object.assign), which keeps them working there.
 */
interface ContextImpl extends Context {
  source: ContextSource;
  secure: boolean;
  issued: Viewer | null;
  authPending?: Promise<AuthResult>;
  /** The memoized check's signed-in state, once it has answered. */
  checked: AuthState | null;
  rolesPending?: Promise<Map<string, Role>>;
}

function header(req: RequestHead, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

async function checkSession(this: ContextImpl): Promise<AuthResult> {
  const { services, source, log } = this;
  let result: AuthResult;
  if (source.socket) {
    const checked = source.socket.checked;
    // Used once: a subscription's context lives as long as the socket, and keeps no check result.
    source.socket.checked = undefined;
    result = checked ?? (await services.sessions.check(source.socket.live.sessionId));
  } else {
    // Only cookie sessions rotate: the browser takes the new token from Set-Cookie by itself.
    result = await services.sessions.authenticate(presentedToken(header(source.req, 'authorization'), header(source.req, 'cookie')), { rotate: this.fromCookie });
  }
  if (result.ok) {
    log.sessionId = result.auth.sessionId;
    // A subscription's context keeps no check result (it would outlive a revocation).
    if (!source.socket?.lasting) this.checked = result.auth;
    if (result.rotatedToken) source.cookies.push(...sessionCookies(result.rotatedToken, result.auth.expiresAt, this.secure, services.clock.now()));
  } else if (result.reason !== 'missing') {
    log.refusal = result.reason;
    // A cookie that can never work again is cleared; not one its session replaced on purpose: a
    // late request of the old token would clear the new cookie the browser already holds.
    if (this.fromCookie && result.reason !== 'replaced') source.cookies.push(...clearedCookies(this.secure));
  }
  return result;
}

function authResult(this: ContextImpl): Promise<AuthResult> {
  // Not kept by a subscription: its context lives as long as the socket, and a later check must
  // see a revocation.
  if (this.source.socket?.lasting) return checkSession.call(this);
  return (this.authPending ??= checkSession.call(this));
}

async function requireAuth(this: ContextImpl): Promise<AuthState> {
  const result = await this.authResult();
  if (!result.ok) {
    this.log.refusal ??= result.reason;
    return fail('UNAUTHENTICATED');
  }
  return result.auth;
}

function auth(this: ContextImpl): AuthState {
  // Reached only behind a scope that awaited the check: without one, a field was declared without it.
  if (!this.checked) throw new Error('ctx.auth() read before the session check: the field lacks its signedIn scope');
  return this.checked;
}

async function viewer(this: ContextImpl): Promise<Viewer> {
  return this.issued ?? this.requireAuth();
}

function isCurrentSession(this: ContextImpl, sessionId: string): boolean | Promise<boolean> {
  // A socket is bound to its session, and closed when that session ends. Known without waiting,
  // the rows of a change event sent to many sockets at once resolve without a promise each.
  const known = this.issued?.sessionId ?? this.source.socket?.live.sessionId;
  if (known !== undefined) return known === sessionId;
  return this.authResult().then((result) => result.ok && result.auth.sessionId === sessionId);
}

function setIssuedSession(this: ContextImpl, issued: Viewer): void {
  this.issued = issued;
  this.log.sessionId = issued.sessionId;
}

async function loadRoles(this: ContextImpl): Promise<Map<string, Role>> {
  // A socket's user is known without a check: its own REVOKED event, sent after the revocation,
  // still resolves its session's role.
  const { userId } = this.issued ?? this.source.socket?.live ?? (await this.requireAuth());
  const rows = await this.services.prisma.membership.findMany({ where: { userId }, select: { organizationId: true, role: true } });
  return new Map(rows.map((r) => [r.organizationId, r.role]));
}

function viewerRoles(this: ContextImpl): Promise<Map<string, Role>> {
  // A subscription's context lives as long as the socket: roles are read afresh there.
  if (this.source.socket?.lasting) return loadRoles.call(this);
  return (this.rolesPending ??= loadRoles.call(this));
}

function setSessionCookie(this: ContextImpl, token: string, expiresAt: Date): void {
  this.source.cookies.push(...sessionCookies(token, expiresAt, this.secure, this.services.clock.now()));
}

function clearSessionCookie(this: ContextImpl): void {
  this.source.cookies.push(...clearedCookies(this.secure));
}

export function buildContext(source: ContextSource): Context {
  const { services, req, log, socket } = source;
  const context: ContextImpl = {
    services,
    live: socket?.live ?? null,
    client: describeClient(clientIp(req, services.config.trustProxy), header(req, 'user-agent')),
    log,
    source,
    fromCookie: !socket && !header(req, 'authorization') && Boolean(header(req, 'cookie')),
    secure: isSecureRequest(req, services.config),
    issued: null,
    checked: null,
    authResult,
    requireAuth,
    auth,
    viewer,
    isCurrentSession,
    setIssuedSession,
    viewerRoles,
    setSessionCookie,
    clearSessionCookie,
  };
  return context;
}
