// HTTP probes: send one request, and check that whatever it was, the answer is well-formed.
import type { TestServer } from '../server.js';
import { expectGraphQLResult, isRecord, leakedText, multipartResults, PARSER_METHODS, sseResults } from './answers.js';
import { CASE_TIMEOUT_MS } from './run.js';

export interface HttpProbe {
  method: string;
  /** Path and query string, from the server's root. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
}

interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The error codes of every GraphQL result in the answer. */
  codes: string[];
  /** Some result carried data: an operation ran. */
  executed: boolean;
}

export function describeProbe(probe: HttpProbe): string {
  const body = typeof probe.body === 'string' ? probe.body : probe.body instanceof Uint8Array ? `<${probe.body.length} bytes>` : probe.body ? '<form data>' : '';
  return `${probe.method} ${probe.path.slice(0, 300)} ${JSON.stringify(probe.headers).slice(0, 600)} ${JSON.stringify(body.slice(0, 600))}`;
}

export async function send(server: TestServer, probe: HttpProbe): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(`${server.url}${probe.path}`, {
    method: probe.method,
    headers: probe.headers,
    body: probe.body,
    signal: AbortSignal.timeout(CASE_TIMEOUT_MS - 1000),
  });
  return { status: res.status, contentType: (res.headers.get('content-type') ?? '').toLowerCase(), text: await res.text() };
}

/** Sends `probe` and checks that the answer is well-formed whatever the probe was. */
export async function probeHttp(server: TestServer, probe: HttpProbe): Promise<HttpAnswer> {
  const { status, contentType, text } = await send(server, probe);
  const fail = (why: string): never => {
    throw new Error(`${why}\n  request:  ${describeProbe(probe)}\n  response: ${status} ${contentType} ${JSON.stringify(text.slice(0, 600))}`);
  };
  const accept = (probe.headers.accept ?? '').toLowerCase();
  const method = probe.method.toUpperCase(); // fetch upper-cases the standard methods
  // GraphiQL's page is a third-party bundle whose comments name its sources (node_modules/…): no
  // text of the gateway's. Whether it may be answered at all is checked below.
  const graphiql = contentType.startsWith('text/html') && method === 'GET' && accept.includes('text/html') && status === 200;
  const leaks = graphiql ? [] : leakedText(text, describeProbe(probe) + (typeof probe.body === 'string' ? probe.body : ''));
  if (leaks.length > 0) fail(`internal text in the response: ${leaks.join(', ')}`);
  let results: unknown[] | null = null;
  if (method === 'HEAD' || (method === 'OPTIONS' && status === 204)) {
    if (text !== '') fail('a body on a HEAD or preflight answer');
  } else if (text === '' && contentType === '' && (status === 431 || (status === 400 && !PARSER_METHODS.has(method)))) {
    // node:http's parser refuses a request line or headers over 16 KiB (431), or a method it does
    // not know (400), before the gateway sees the request.
  } else if (contentType.startsWith('text/html')) {
    // GraphiQL, outside production, for a browser's GET.
    if (method !== 'GET' || !accept.includes('text/html') || status !== 200) fail('an HTML answer to a request that did not ask for GraphiQL');
  } else if (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json')) {
    results = [parseOr(text, fail)];
  } else if (contentType.startsWith('text/event-stream')) {
    results = tryParse(() => sseResults(text), fail);
  } else if (contentType.startsWith('multipart/mixed')) {
    results = tryParse(() => multipartResults(text), fail);
  } else {
    fail('not a GraphQL response');
  }
  const codes: string[] = [];
  for (const result of results ?? []) {
    try {
      codes.push(...expectGraphQLResult(result));
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const executed = (results ?? []).some((r) => isRecord(r) && isRecord(r.data));
  if (status >= 500 && !(status === 503 && codes.includes('SERVICE_UNAVAILABLE'))) fail(`status ${status}`);
  if (results !== null && status >= 400 && codes.length === 0) fail('a refusal without a coded error');
  if (status === 401 && !codes.includes('UNAUTHENTICATED')) fail('401 without UNAUTHENTICATED');
  return { status, contentType, text, codes, executed };
}

function parseOr(text: string, fail: (why: string) => never): unknown {
  return tryParse(() => JSON.parse(text) as unknown, fail);
}

function tryParse<T>(parse: () => T, fail: (why: string) => never): T {
  try {
    return parse();
  } catch {
    return fail('the body does not parse as the content type says');
  }
}
