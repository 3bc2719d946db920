// Which browser origins the gateway trusts with a user's cookie: ALLOWED_ORIGINS, compared exactly
// (scheme, host and port), for CORS (app.ts) and for cookie-authenticated sockets (live/ws.ts).
import type { CORSOptions, Plugin } from 'graphql-yoga';

/**
 * ALLOWED_ORIGINS → origins as browsers spell them in `Origin` (lower case, no default port, no
 * path). Throws on an entry that is no http(s) origin: `*` or a typo must not fail silently.
 */
export function parseOrigins(value: string | undefined, name = 'ALLOWED_ORIGINS'): string[] {
  const entries = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return entries.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const bare = url && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
    if (!url || !bare) throw new Error(`${name}: "${entry}" is not an origin (scheme://host[:port], http or https)`);
    return url.origin;
  });
}

/** One of ALLOWED_ORIGINS, exactly. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes(origin);
}

/**
 * The gateway's own origin: the page came from the host this request is addressed to (Host). A
 * browser enforces nothing on sockets, so live/ws.ts checks this; HTTP from here needs no CORS.
 */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/** May a page of `origin` use the user's cookie on the gateway? No Origin: not a browser page. */
export function originMayUseCookie(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  return origin === undefined || isAllowedOrigin(origin, allowed) || isOwnOrigin(origin, host);
}

/** Read on every request, like the rest of Config (tests change it on a running server). */
interface OriginConfig {
  allowedOrigins: string[];
}

/** What an allowed cross-origin page may send: the headers the app and API clients use. */
const CORS_ALLOWED: Exclude<CORSOptions, false> = {
  credentials: true,
  methods: ['GET', 'POST'],
  allowedHeaders: ['content-type', 'accept', 'authorization', 'x-graphql-csrf', 'graphql-client-name', 'apollo-require-preflight'],
  exposedHeaders: ['retry-after', 'x-request-id'],
  maxAge: 600,
};

/**
 * Yoga's `cors` option: credentialed CORS for ALLOWED_ORIGINS only, no access-control-* header
 * for any other origin (Yoga's default echoes every origin, with credentials). Same-origin pages
 * need none. `useVaryOrigin` adds the Vary: Origin that Yoga leaves out for a single origin.
 */
export function corsPolicy(config: OriginConfig): (request: Request) => CORSOptions {
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !isAllowedOrigin(origin, config.allowedOrigins)) return false;
    // One origin, given as such: Yoga then answers exactly it.
    return { ...CORS_ALLOWED, origin };
  };
}

/** Vary: Origin on every answer once the CORS headers depend on the origin (caches keep them apart). */
export function useVaryOrigin(config: OriginConfig): Plugin {
  return {
    onResponse({ response }) {
      if (config.allowedOrigins.length === 0) return;
      const vary = response.headers.get('vary');
      if (!vary) response.headers.set('vary', 'Origin');
      else if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) response.headers.set('vary', `${vary}, Origin`);
    },
  };
}
