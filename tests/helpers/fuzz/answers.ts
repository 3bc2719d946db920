// What a well-formed answer is: a GraphQL response with coded errors and no internal text.

/** Stack frames, ORM and engine names, file paths: internal text a client must never see. */
const INTERNAL_TEXT = /at \w+ \(|prisma|pglite|node_modules/gi;

/** graphql-ws close codes a server may close with, and RFC 6455's policy (1008) and size (1009). */
export const ALLOWED_CLOSE_CODES = new Set([4400, 4401, 4403, 4406, 4408, 4409, 4429, 1008, 1009]);

/** Content types a browser sends cross-origin without a preflight (CORS "simple" requests). */
export const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** Methods node's HTTP parser knows; for any other it answers 400 itself, before the app runs. */
export const PARSER_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH']);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Internal text in `answer` that the request did not itself contain (echoes are fine). */
export function leakedText(answer: string, request: string): string[] {
  const lowerRequest = request.toLowerCase();
  return [...answer.matchAll(INTERNAL_TEXT)].map((m) => m[0]).filter((m) => !lowerRequest.includes(m.toLowerCase()));
}

/** Throws unless `value` is a GraphQL error with a message and an `extensions.code` string. */
export function expectCodedError(value: unknown): string {
  if (!isRecord(value) || typeof value.message !== 'string') throw new Error(`error without a message: ${JSON.stringify(value)}`);
  const code = isRecord(value.extensions) ? value.extensions.code : undefined;
  if (typeof code !== 'string' || !/^[A-Z][A-Z_]+$/.test(code)) throw new Error(`error without an extensions.code: ${JSON.stringify(value)}`);
  if (code === 'INTERNAL_SERVER_ERROR') throw new Error(`internal error: ${JSON.stringify(value)}`);
  // Yoga's and graphql-js's internal fields (HTTP status, the original error, a stack) stay inside.
  const internal = ['http', 'originalError', 'stacktrace', 'exception'].filter((k) => isRecord(value.extensions) && k in value.extensions);
  if (internal.length > 0) throw new Error(`internal extensions ${internal.join(', ')}: ${JSON.stringify(value)}`);
  return code;
}

/** Throws unless `value` is a GraphQL response: `data` and/or coded `errors`. Returns the codes. */
export function expectGraphQLResult(value: unknown): string[] {
  if (!isRecord(value)) throw new Error(`response is not an object: ${JSON.stringify(value)?.slice(0, 200)}`);
  if (!('data' in value) && !('errors' in value)) throw new Error(`response has neither data nor errors: ${JSON.stringify(value).slice(0, 200)}`);
  const extra = Object.keys(value).filter((k) => !['data', 'errors', 'extensions'].includes(k));
  if (extra.length > 0) throw new Error(`response has unexpected keys ${extra.join(', ')}`);
  if (value.data !== undefined && value.data !== null && !isRecord(value.data)) throw new Error(`data is not an object: ${JSON.stringify(value.data)}`);
  if (value.errors === undefined) {
    if (!isRecord(value.data)) throw new Error('a response without errors has no data');
    return [];
  }
  if (!Array.isArray(value.errors) || value.errors.length === 0) throw new Error(`errors is not a non-empty array: ${JSON.stringify(value.errors)}`);
  return value.errors.map(expectCodedError);
}

/** The JSON documents of a text/event-stream body (the `complete` event carries none). */
export function sseResults(text: string): unknown[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((event) => event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n'))
    .filter((data) => data !== '')
    .map((data) => JSON.parse(data) as unknown);
}

/** The JSON parts of a multipart/mixed body. */
export function multipartResults(text: string): unknown[] {
  return text
    .split(/\r\n-{3,}/)
    .map((part) => {
      const start = part.indexOf('\r\n\r\n');
      return start < 0 ? '' : part.slice(start + 4).trim();
    })
    .filter((body) => body !== '')
    .map((body) => JSON.parse(body) as unknown);
}
