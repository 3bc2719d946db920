// GET /.well-known/jwks.json: the public keys that verify the gateway's CAEP Security Event Tokens
// (webhooks/caep-keys.ts). Public by design; cached briefly, so that a rotation's new key is
// fetched soon by receivers that see an unknown `kid` (jose's createRemoteJWKSet refetches then).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../process/services.js';

export const JWKS_PATH = '/.well-known/jwks.json';

export async function serveJwks(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'method not allowed' }));
    return;
  }
  const body = JSON.stringify(await services.caepKeys.jwks());
  res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
