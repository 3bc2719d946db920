// TRUST_PROXY: which hops in front of the gateway are proxies whose X-Forwarded-* headers are
// believed. Express's rules, through proxy-addr: the client is the nearest hop that is not a
// trusted proxy, so whatever a client writes into X-Forwarded-For itself never counts.
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import type { RequestHead } from './request.js';

/** Whether `address`, `hop` steps away from the gateway (0: the TCP peer), is a trusted proxy. */
export type TrustProxy = (address: string, hop: number) => boolean;

export const trustNoProxy: TrustProxy = () => false;

/** The nearest `count` hops are proxies, whatever their addresses. */
export function trustHops(count: number): TrustProxy {
  return (_address, hop) => hop < count;
}

const OFF = new Set(['', '0', 'false', 'no', 'off']);
// Not Express's meaning of `true` (trust every hop, i.e. the left-most entry, which the client writes).
const ONE_HOP = new Set(['true', 'yes', 'on']);
const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR (`10.0.0.0/8`), an address with a netmask, or one of proxy-addr's names. */
function isTrustEntry(entry: string): boolean {
  if (NAMES.has(entry)) return true;
  const slash = entry.lastIndexOf('/');
  if (slash < 0) return isIP(entry) !== 0;
  const range = entry.slice(slash + 1);
  return isIP(entry.slice(0, slash)) !== 0 && (/^\d{1,3}$/.test(range) || isIP(range) === 4);
}

/**
 * TRUST_PROXY → a trust function, compiled once. Off: unset, `false`, `0`; a hop count: `1`, `2`…
 * (`true`/`yes`/`on` = 1); or a comma list of addresses, CIDRs, `loopback`, `linklocal`, `uniquelocal`.
 * Throws on anything else: a typo must not silently trust nothing, or everything.
 */
export function parseTrustProxy(value: string | undefined, name = 'TRUST_PROXY'): TrustProxy {
  const text = (value ?? '').trim().toLowerCase();
  if (OFF.has(text)) return trustNoProxy;
  if (ONE_HOP.has(text)) return trustHops(1);
  if (/^\d+$/.test(text)) return trustHops(Number(text));
  const entries = text.split(',').map((s) => s.trim());
  const expected = 'expected false, a hop count (1, 2, …) or a comma list of addresses, CIDRs, loopback, linklocal, uniquelocal';
  const bad = entries.find((entry) => !isTrustEntry(entry));
  if (bad !== undefined) throw new Error(`${name}: "${bad}" is not a proxy address (${expected}); got "${value}"`);
  try {
    return proxyaddr.compile(entries);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message} (${expected}); got "${value}"`);
  }
}

/** Whether the TCP peer is a trusted proxy, whose X-Forwarded-* headers may be believed. */
export function peerIsTrusted(req: RequestHead, trust: TrustProxy): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trust(peer, 0);
}
