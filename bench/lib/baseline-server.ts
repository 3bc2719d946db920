// A baseline HTTP server as a bench process: listening on a free port, its URL and memory over IPC.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measuredMemory, serveIpc } from './ipc.js';

export async function serveBaseline(server: Server): Promise<void> {
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  serveIpc({ mem: () => measuredMemory() }, { url }, async () => {
    server.closeAllConnections();
    server.close();
  });
}
