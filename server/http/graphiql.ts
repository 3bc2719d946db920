// GraphiQL outside production: the page and its editor bundled in the gateway (no CDN, so it works
// offline), subscriptions over the graphql-transport-ws socket on /graphql (live/ws.ts), and a
// Content-Security-Policy of its own (the web app's, static.ts, stays as strict as it is).
import { createHash } from 'node:crypto';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * The page's options. Subscriptions over WS: the gateway serves them on the socket only (HTTP
 * refuses them). The socket authenticates with the session cookie, like the web app's.
 */
export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'Session Gateway GraphiQL',
  subscriptionsProtocol: 'WS',
  credentials: 'same-origin',
};

interface Page {
  /** Encoded once: a 9 MB string costs a fresh UTF-8 encoding on every answer. */
  body: Uint8Array<ArrayBuffer>;
  csp: string;
}

let page: Promise<Page> | undefined;

/**
 * The one inline script (about 9 MB: editor, workers, GraphiQL) allowed by its hash, so no other
 * script can run on the page. Monaco's workers are blob: URLs the script makes; styles, fonts and
 * images are inline or data: URLs; requests go to this origin only (HTTP and the socket).
 */
function policyFor(html: string): string {
  const start = html.indexOf('<script>') + '<script>'.length;
  const end = html.lastIndexOf('</script>');
  if (start < '<script>'.length || end < start) throw new Error('GraphiQL page without its inline script');
  const hash = createHash('sha256').update(html.slice(start, end)).digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    'worker-src blob:',
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Rendered on first use, then kept: the bundle is loaded only when someone opens GraphiQL. */
function graphiqlPage(options: GraphiQLOptions): Promise<Page> {
  page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => {
    const html = renderGraphiQL(options);
    return { body: new TextEncoder().encode(html), csp: policyFor(html) };
  });
  return page;
}

/** Yoga's `renderGraphiQL`: the options are the constant above, so one rendering serves all. */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<Uint8Array<ArrayBuffer>> {
  return (await graphiqlPage(options)).body;
}

/** The page's own headers. Yoga answers nothing else with HTML (no landing page). */
export function useGraphiQLHeaders(): Plugin {
  return {
    async onResponse({ response }) {
      if (!page || !response.headers.get('content-type')?.startsWith('text/html')) return;
      response.headers.set('content-type', 'text/html; charset=utf-8');
      response.headers.set('content-security-policy', (await page).csp);
      response.headers.set('x-frame-options', 'DENY');
      response.headers.set('referrer-policy', 'same-origin');
    },
  };
}
