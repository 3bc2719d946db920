// Baseline for /auth/verify: node:http answering every request 200 with the five headers the
// gateway sends (constant values) and no body, without reading the request's.
import { createServer } from 'node:http';
import { serveBaseline } from '../lib/baseline-server.js';
import { CONSTANT_USER } from './constants.js';

const headers = {
  'x-session-id': '5f0c2a1e-8d3b-4c7a-9e61-2b4d8f0a7c35',
  'x-user-id': CONSTANT_USER.id,
  'x-user-email': 'bench-user@example.test',
  'x-organization-id': 'c3e9a7d2-1b4f-4e8a-a6d0-7f2b9c5e1a48',
  'x-role': CONSTANT_USER.currentOrganizationRole,
};
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end();
});
await serveBaseline(server);
