// The session cookie: HttpOnly, SameSite=Lax, Path=/; Secure with the __Host- prefix over HTTPS.
import type { Config } from '../config.js';
import type { RequestHead } from '../request.js';
import { peerIsTrusted } from '../proxy.js';

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

export function sessionCookie(token: string, expiresAt: Date, secure: boolean, now: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return [`${cookieName(secure)}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedCookie(secure: boolean): string {
  return [`${cookieName(secure)}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
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
