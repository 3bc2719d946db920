// The node:http layer: request ids and access logs, /health, /auth/verify (forward-auth.ts), then Yoga (and later the web app).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import { isSecureRequest } from '../auth/cookies.js';
import type { Context, ServerContext } from '../graphql/context.js';
import { errorBody } from '../graphql/errors.js';
import { isVerifyPath, verifyRequest } from './forward-auth.js';
import { JWKS_PATH, serveJwks } from './jwks.js';
import type { Services } from '../process/services.js';
import type { RequestState } from './request.js';
import { requestState } from './request.js';
import { serveClient } from './static.js';

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
    // Every answer, API and web app alike (ASVS 5.0 3.4.1, 3.4.4); HSTS only where it was HTTPS.
    res.setHeader('x-content-type-options', 'nosniff');
    if (isSecureRequest(req, services.config)) res.setHeader('strict-transport-security', 'max-age=31536000');
    // No listener when the line would not be written (a closure and a listener per request).
    if (services.log.isLevelEnabled('info')) logWhenFinished(services, req, res, state);
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/health') {
        const up = await services.db.ping();
        sendJson(res, up ? 200 : 503, { status: up ? 'ok' : 'unavailable', database: services.db.kind });
        return;
      }
      if (isVerifyPath(path)) return await verifyRequest(services, req, res, state.log, path);
      if (path === JWKS_PATH) return await serveJwks(services, req, res);
      if (path === yoga.graphqlEndpoint) {
        const tooBig = bodyRefusal(req, services.config.limits.maxBodyBytes);
        if (tooBig) {
          // The connection closes after the answer: a body of any length is never read.
          res.setHeader('connection', 'close');
          sendJson(res, tooBig.status, errorBody('BAD_REQUEST', tooBig.message));
          return;
        }
        await yoga.requestListener(req, res);
        return;
      }
      if (await serveClient(req, res)) return;
      sendJson(res, 404, errorBody('NOT_FOUND'));
    } catch (err) {
      services.log.error({ requestId: state.log.requestId, err: (err as Error).message }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, errorBody('INTERNAL_SERVER_ERROR'));
      else res.end();
    }
  };
}
