// Serves the built web app (client/dist) with a fallback to index.html for the app's own routes
// (/login, /sessions, …), so that deep links work on one port with the API. Any other
// extension-less path gets the app too, whose page says "not found", with a 404 status.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../process/paths.js';
import { isAppRoute } from './web-routes.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

export const CLIENT_DIST = path.join(PROJECT_ROOT, 'client/dist');

async function fileAt(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** Answers GET/HEAD for the web app; false when the request is not for it. */
export async function serveClient(req: IncomingMessage, res: ServerResponse, root = CLIENT_DIST): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return false;
  }
  const resolved = path.resolve(root, `.${pathname}`);
  if (!resolved.startsWith(root + path.sep) && resolved !== root) return false;
  let file = resolved;
  let size = await fileAt(file);
  const isAsset = size !== null;
  let status = 200;
  if (size === null) {
    // Only extension-less paths are app routes; a missing /x.js is a 404, not the app.
    if (path.extname(pathname) !== '') return false;
    file = path.join(root, 'index.html');
    size = await fileAt(file);
    if (size === null) return false;
    if (!isAppRoute(pathname)) status = 404;
  }
  const hashed = isAsset && pathname.startsWith('/assets/');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(file).pipe(res);
  return true;
}
