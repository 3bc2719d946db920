// A real webhook receiver for tests: node:http, every request verified with standardwebhooks'
// Webhook.verify. It can answer 503, redirect, or stop listening (a receiver that is down).
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { HttpReceiver } from './http-receiver.js';

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

export class Receiver extends HttpReceiver {
  readonly received: Received[] = [];
  /** Every request that arrived, whatever was answered (attempts per webhook-id). */
  readonly attempts = new Map<string, number>();
  /** Secrets by path ('/' by default); verification uses the one for the request's path. */
  readonly secrets = new Map<string, string>();
  mode: Mode = 'ok';

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  listen(port = this.port): Promise<void> {
    return this.serve(port, (req, raw, res) => {
      const body = raw.toString('utf8');
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
  }

  protected describe(): string {
    return `got ${this.received.map((r) => r.type).join(', ')}`;
  }

  of(type: string, match: (r: Received) => boolean = () => true): Received[] {
    return this.received.filter((r) => r.type === type && match(r));
  }
}
