// The client's address: through trusted proxies only (TRUST_PROXY), never what a client claims.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import type { RequestHead } from './request.js';
import type { TrustProxy } from './proxy.js';
import { peerIsTrusted } from './proxy.js';

function normalizeIp(ip: string | undefined | null): string | null {
  if (!ip) return null;
  const trimmed = ip.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return isIP(trimmed) ? trimmed : null;
}

/**
 * The client's address: the nearest hop that is not a trusted proxy (TRUST_PROXY), so the entries
 * a client prepends to X-Forwarded-For itself are never taken. The TCP peer when it is no proxy.
 */
export function clientIp(req: RequestHead, trust: TrustProxy): string | null {
  if (!peerIsTrusted(req, trust)) return normalizeIp(req.socket.remoteAddress);
  // proxy-addr reads only headers['x-forwarded-for'] and socket.remoteAddress of the request.
  const chain = proxyaddr.all(req as IncomingMessage, trust);
  // An entry that is no address (a proxy passing junk on) falls back to the hop that vouched for it.
  for (let i = chain.length - 1; i >= 0; i--) {
    const ip = normalizeIp(chain[i]);
    if (ip) return ip;
  }
  return null;
}
