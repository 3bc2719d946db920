// /auth/verify, any method: forward authentication for a reverse proxy (nginx auth_request,
// Traefik ForwardAuth, Caddy forward_auth, Envoy ext_authz). The request's session is checked as
// /graphql checks it and the answer is headers only: it runs before every request of the proxied
// application, so no GraphQL, no body read, no cookie set (docs/PROXIES.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { presentedToken } from '../auth/cookies.js';
import { hasAtLeast } from '../auth/roles.js';
import type { Role } from '../generated/prisma/enums.js';
import type { PublicErrorCode } from '../graphql/errors.js';
import { ERRORS, errorBody } from '../graphql/errors.js';
import { isDatabaseUnavailable } from '../graphql/mask-errors.js';
import type { RequestLog } from '../process/logging.js';
import type { Services } from '../process/services.js';
import type { AuthResult } from '../sessions/types.js';

export const VERIFY_PATH = '/auth/verify';

/** The path itself, or below it: Envoy's HTTP ext_authz appends the original path to its path_prefix. */
export function isVerifyPath(path: string | undefined): path is string {
  return path !== undefined && (path === VERIFY_PATH || path.startsWith(`${VERIFY_PATH}/`));
}

/**
 * `?role=` on the path itself: the minimum role, null when absent, undefined when not a role.
 * Below the path the query string is the original request's, the client's own: never read.
 */
function minimumRole(url: string, path: string): Role | null | undefined {
  const query = url.indexOf('?');
  if (path !== VERIFY_PATH || query < 0) return null;
  const values = new URLSearchParams(url.slice(query + 1)).getAll('role');
  if (values.length === 0) return null;
  const [value] = values;
  return values.length === 1 && (value === 'MEMBER' || value === 'ADMIN' || value === 'OWNER') ? value : undefined;
}

/** Printable ASCII but `%` as it is, anything else percent-encoded (UTF-8): decodeURIComponent gives the value back. */
function headerValue(value: string): string {
  return value.replace(/[^\x21-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}

function refuse(res: ServerResponse, status: number, code: PublicErrorCode, message?: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(errorBody(code, message)));
}

export async function verifyRequest(services: Services, req: IncomingMessage, res: ServerResponse, log: RequestLog, path: string): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  // Loaded by no other origin's page (no CORS headers either): only the proxy reads the answer.
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  // The body is never read: a connection that brought one is not reused.
  const length = req.headers['content-length'];
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) res.setHeader('connection', 'close');
  const min = minimumRole(req.url ?? '', path);
  if (min === undefined) return refuse(res, 400, 'BAD_REQUEST', 'The role parameter must be MEMBER, ADMIN or OWNER.');
  let result: AuthResult;
  try {
    // Never rotated here: a proxied answer may not reach the browser (docs/PROXIES.md).
    result = await services.sessions.authenticate(presentedToken(req.headers.authorization, req.headers.cookie));
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    services.log.warn({ requestId: log.requestId, err: (err as Error).message }, 'forward auth: database unavailable');
    return refuse(res, 503, 'SERVICE_UNAVAILABLE', undefined, { 'retry-after': String(ERRORS.SERVICE_UNAVAILABLE.retryAfterSeconds) });
  }
  if (!result.ok) {
    // A refused cookie is not cleared: the proxy may not pass a Set-Cookie on.
    log.refusal = result.reason;
    return refuse(res, 401, 'UNAUTHENTICATED');
  }
  const { auth } = result;
  log.sessionId = auth.sessionId;
  if (min !== null && !hasAtLeast(auth.role, min)) {
    log.refusal = 'role_below_minimum';
    return refuse(res, 403, 'FORBIDDEN', `This needs the role ${min} or higher.`);
  }
  res.writeHead(200, {
    'x-session-id': auth.sessionId,
    'x-user-id': auth.userId,
    'x-user-email': headerValue(auth.email),
    'x-organization-id': auth.organizationId,
    'x-role': auth.role,
  });
  res.end();
}
