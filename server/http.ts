// The node:http layer: request ids and access logs, /health, then Yoga (and later the web app).
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Context, SocketSource } from './context.js';
import type { RequestLog } from './logging.js';
import type { Services } from './services.js';
import { serveClient } from './static.js';

/** Per-request state that Yoga passes to the context and back to the response. */
export interface RequestState {
  log: RequestLog;
  cookies: string[];
}

const STATE = Symbol('requestState');

/** The parts of a request the context reads: an HTTP request, or what a socket kept of its upgrade. */
export interface RequestHead {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string; encrypted?: boolean };
  /** Yoga's node adapter takes no extra context, so the state rides along on the request. */
  [STATE]?: RequestState;
}

export interface ServerContext {
  req: RequestHead;
  res?: ServerResponse;
  /** Set by the WebSocket layer for a query or mutation sent over a socket. */
  socket?: SocketSource;
}

/**
 * The request's state, made on first use (a property, not a WeakMap entry: bench scenario 1).
 * `lasting` (a socket's upgrade): `randomUUID` concatenates its string from ~20 pieces (490 bytes
 * on the heap), a copy is one flat string (66 bytes), and a socket keeps its id for hours
 * (bench scenario 4).
 */
export function requestState(req: RequestHead, lasting = false): RequestState {
  let state = req[STATE];
  if (!state) {
    const id = randomUUID();
    state = { log: { requestId: lasting ? Buffer.from(id, 'latin1').toString('latin1') : id }, cookies: [] };
    req[STATE] = state;
  }
  return state;
}

/**
 * Bodies are read whole by Yoga, so their size is capped before it starts reading. Node's parser
 * delivers exactly Content-Length bytes, so the header is the bound, and Yoga's own byte-counting
 * stream is switched off (app.ts).
 */
function bodyRefusal(req: IncomingMessage, maxBytes: number): { status: number; message: string } | null {
  if (req.method !== 'POST') return null;
  const length = req.headers['content-length'];
  if (length === undefined) return { status: 411, message: 'A Content-Length is required.' };
  if (!/^\d+$/.test(length)) return { status: 400, message: 'The Content-Length is not a number.' };
  if (Number(length) > maxBytes) return { status: 413, message: `The request body is larger than ${maxBytes} bytes.` };
  return null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** One access-log line per request, when its response has been sent. */
function logWhenFinished(services: Services, req: IncomingMessage, res: ServerResponse, state: RequestState): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const entry = state.log;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { ...entry, method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, durationMs: Math.round(durationMs * 100) / 100 };
    if (entry.refusal) services.log.info(line, 'request refused');
    else services.log.info(line, 'request');
  });
}

export function createRequestHandler(services: Services, yoga: YogaServerInstance<ServerContext, Context>) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const state = requestState(req);
    res.setHeader('x-request-id', state.log.requestId);
    // No listener when the line would not be written (a closure and a listener per request).
    if (services.log.isLevelEnabled('info')) logWhenFinished(services, req, res, state);
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/health') {
        const up = await services.db.ping();
        sendJson(res, up ? 200 : 503, { status: up ? 'ok' : 'unavailable', database: services.db.kind });
        return;
      }
      if (path === yoga.graphqlEndpoint) {
        const tooBig = bodyRefusal(req, services.config.limits.maxBodyBytes);
        if (tooBig) {
          // The connection closes after the answer: a body of any length is never read.
          res.setHeader('connection', 'close');
          sendJson(res, tooBig.status, { errors: [{ message: tooBig.message, extensions: { code: 'BAD_REQUEST' } }] });
          return;
        }
        await yoga.requestListener(req, res);
        return;
      }
      if (await serveClient(req, res)) return;
      sendJson(res, 404, { errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] });
    } catch (err) {
      services.log.error({ requestId: state.log.requestId, err: (err as Error).message }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
}
