// A real webhook receiver for tests: node:http, every request verified with standardwebhooks'
// Webhook.verify. It can answer 503, redirect, or stop listening (a receiver that is down).
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  type: string;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  headers: IncomingHttpHeaders;
  verified: boolean;
  path: string;
}

/** `hang`: reads the request and never answers (a receiver that stalls). */
export type Mode = 'ok' | 'unavailable' | 'redirect' | 'hang';

export class Receiver {
  readonly received: Received[] = [];
  /** Every request that arrived, whatever was answered (attempts per webhook-id). */
  readonly attempts = new Map<string, number>();
  /** Secrets by path ('/' by default); verification uses the one for the request's path. */
  readonly secrets = new Map<string, string>();
  mode: Mode = 'ok';
  private server: Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const id = String(req.headers['webhook-id'] ?? '');
        this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
        if (this.mode === 'hang') return;
        if (this.mode === 'unavailable') return void res.writeHead(503).end();
        if (this.mode === 'redirect' && path !== '/landed') return void res.writeHead(302, { location: `${this.url}/landed` }).end();
        let verified = false;
        try {
          new Webhook(this.secrets.get(path) ?? this.secrets.get('/') ?? '').verify(body, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        const payload = JSON.parse(body) as Received['payload'];
        this.received.push({ id, type: payload.type, body, payload, headers: req.headers, verified, path });
        res.writeHead(verified ? 204 : 400).end();
      });
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

  of(type: string, match: (r: Received) => boolean = () => true): Received[] {
    return this.received.filter((r) => r.type === type && match(r));
  }

  /** Waits until `check` returns something truthy (polling), or fails after `timeoutMs`. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`receiver: condition not met within ${timeoutMs} ms; got ${this.received.map((r) => r.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
