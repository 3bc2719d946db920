// Where a webhook may be sent (SSRF, ASVS 5.0 1.3.6 / 15.3.2): by default only to public unicast
// addresses. Every address a name resolves to is checked at connect time (the `lookup` hook of the
// request, so a name that resolves elsewhere on the second look — DNS rebinding — is refused too);
// an address literal, which Node connects to without a look-up, is checked before the request.
import type { LookupAddress, LookupAllOptions, LookupOneOptions, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export const MAX_URL_LENGTH = 2048;

/** Public unicast only: private, loopback, link-local, unique-local, multicast, unspecified, CGNAT, reserved … are not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ::ffff:10.0.0.1 is 10.0.0.1.
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/** Why `url` cannot be an endpoint, or null. `allowPrivate`: what the name or literal points at is not checked. */
export function urlProblem(url: string, allowPrivate: boolean): string | null {
  if (url.length > MAX_URL_LENGTH) return `The URL is longer than ${MAX_URL_LENGTH} characters.`;
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) return 'The URL must be an absolute http:// or https:// URL.';
  if (parsed.username || parsed.password) return 'The URL must not carry credentials.';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'The URL must not point at this host or a private network.';
  if (isIP(host) && !isPublicAddress(host)) return 'The URL must not point at this host or a private network.';
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function refused(address: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`refused: ${address} is not a public address`);
  err.code = 'EWEBHOOKTARGET';
  return err;
}

/** A `lookup` for http(s).request that refuses the connection unless every resolved address is public. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  const all: LookupAllOptions = { ...(options as LookupOneOptions), all: true };
  dnsLookup(hostname, all, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad || addresses.length === 0) return callback(refused(bad?.address ?? hostname), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
}
