// Baseline: node:http answering the JSON that `me` returns, with no GraphQL at all. It reads
// the request body (as any POST handler must) and sends a constant response.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measuredMemory, serveIpc } from '../lib/ipc.js';
import { CONSTANT_USER } from './constants.js';

const body = JSON.stringify({ data: { me: CONSTANT_USER } });
const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
serveIpc({ mem: () => measuredMemory() }, { url }, async () => {
  server.closeAllConnections();
  server.close();
});
