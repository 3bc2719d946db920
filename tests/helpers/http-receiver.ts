// What the tests' receivers share (webhook-receiver.ts, caep-receiver.ts): a node:http server on
// loopback that reads each request whole, its close, and a poll for what it received.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class HttpReceiver {
  private server: Server | null = null;
  port = 0;

  /** Listens on 127.0.0.1:`port` (0: a free one), `handle` called with each request's whole body. */
  protected async serve(port: number, handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** What was received so far, for the message of a wait that timed out. */
  protected abstract describe(): string;

  /** Waits until `check` returns something truthy (polling), or fails after `timeoutMs`. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`${this.constructor.name}: condition not met within ${timeoutMs} ms; ${this.describe()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
