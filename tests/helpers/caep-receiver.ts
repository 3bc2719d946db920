// A real CAEP receiver (RFC 8935 push) for tests: node:http, every SET verified with jose against
// the gateway's served /.well-known/jwks.json (createRemoteJWKSet), issuer, audience and typ
// checked. It can answer 500 to each SET's first push, or refuse every one with a 400 JSON error.
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWTPayload } from 'jose';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';

export interface ReceivedSet {
  jti: string;
  claims: JWTPayload & { sub_id: Record<string, { format: string; id: string } | string>; events: Record<string, Record<string, unknown>> };
  kid: string | undefined;
  headers: IncomingHttpHeaders;
}

export type CaepMode = 'accept' | 'fail-first' | 'refuse';

export class CaepReceiver {
  readonly received: ReceivedSet[] = [];
  /** Pushes per jti, whatever was answered. */
  readonly attempts = new Map<string, number>();
  /** SETs that did not verify (there must be none). */
  readonly rejected: string[] = [];
  mode: CaepMode = 'accept';
  private server: Server | null = null;
  port = 0;

  /** `issuer`: the gateway's `iss`; `jwksUrl`: where its keys are served. */
  constructor(
    private readonly issuer: () => string,
    private readonly jwksUrl: () => string,
    readonly path = '/caep',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  async listen(): Promise<void> {
    let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const jws = Buffer.concat(chunks).toString('utf8');
          const jti = String(decodeJwt(jws).jti);
          const n = (this.attempts.get(jti) ?? 0) + 1;
          this.attempts.set(jti, n);
          if (this.mode === 'refuse') return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ err: 'invalid_audience', description: 'not ours' }));
          if (this.mode === 'fail-first' && n === 1) return void res.writeHead(500).end();
          try {
            if (req.headers['content-type'] !== 'application/secevent+jwt') throw new Error(`content-type ${req.headers['content-type']}`);
            jwks ??= createRemoteJWKSet(new URL(this.jwksUrl()));
            const { payload, protectedHeader } = await jwtVerify(jws, jwks, { issuer: this.issuer(), audience: this.url, typ: 'secevent+jwt' });
            this.received.push({ jti, claims: payload as ReceivedSet['claims'], kid: protectedHeader.kid, headers: req.headers });
            res.writeHead(202).end();
          } catch (err) {
            this.rejected.push((err as Error).message);
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ err: 'invalid_request' }));
          }
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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

  of(eventUri: string, match: (r: ReceivedSet) => boolean = () => true): ReceivedSet[] {
    return this.received.filter((r) => eventUri in r.claims.events && match(r));
  }

  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`CAEP receiver: condition not met within ${timeoutMs} ms; got ${this.received.length} SETs, rejected: ${this.rejected.join('; ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
