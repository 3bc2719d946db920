// The session cookie: HttpOnly, SameSite=Lax, Path=/; Secure with the __Host- prefix over HTTPS.
// Beside it, a hint the web app can read (no secret).
import type { Config } from '../process/config.js';
import type { RequestHead } from '../http/request.js';
import { peerIsTrusted } from '../http/proxy.js';

const PLAIN_NAME = 'sg_session';
const SECURE_NAME = `__Host-${PLAIN_NAME}`;

/** Over HTTPS (directly, through a trusted proxy, or when forced by config). */
export function isSecureRequest(req: RequestHead, config: Config): boolean {
  if (config.secureCookies) return true;
  if (req.socket.encrypted) return true;
  // Only a trusted proxy's word counts: anyone else may send the header too.
  if (!peerIsTrusted(req, config.trustProxy)) return false;
  const proto = req.headers['x-forwarded-proto'];
  return typeof proto === 'string' && proto.split(',')[0]?.trim() === 'https';
}

export function cookieName(secure: boolean): string {
  return secure ? SECURE_NAME : PLAIN_NAME;
}

/**
 * Not HttpOnly, on purpose: it tells the web app that this browser was given a session, so that a
 * signed-out visitor's page opens no socket and sends no request. It holds nothing secret.
 */
const HINT_NAME = 'sg_signed_in';

/** The session cookie, after its hint (same lifetime): the session cookie stays the last Set-Cookie. */
export function sessionCookies(token: string, expiresAt: Date, secure: boolean, now: Date): string[] {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  const attributes = ['Path=/', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])];
  return [[`${HINT_NAME}=1`, ...attributes].join('; '), [`${cookieName(secure)}=${token}`, 'HttpOnly', ...attributes].join('; ')];
}

export function clearedCookies(secure: boolean): string[] {
  const attributes = ['Path=/', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])];
  return [[`${HINT_NAME}=`, ...attributes].join('; '), [`${cookieName(secure)}=`, 'HttpOnly', ...attributes].join('; ')];
}

/** The value of one cookie from a Cookie header; null when absent. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The token a request presents. A bearer token wins and the cookie is then ignored; an
 * Authorization header that is not a well-formed bearer yields '' (refused as malformed).
 */
export function presentedToken(authorization: string | null | undefined, cookieHeader: string | null | undefined): string | null {
  if (authorization !== null && authorization !== undefined && authorization !== '') {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
    return match?.[1] ?? '';
  }
  return readCookie(cookieHeader, SECURE_NAME) ?? readCookie(cookieHeader, PLAIN_NAME);
}
