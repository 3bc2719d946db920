// Baseline: node:http answering the JSON that `me` returns, with no GraphQL at all. It reads
// the request body (as any POST handler must) and sends a constant response.
import { createServer } from 'node:http';
import { serveBaseline } from '../lib/baseline-server.js';
import { CONSTANT_USER } from './constants.js';

const body = JSON.stringify({ data: { me: CONSTANT_USER } });
const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
await serveBaseline(server);
