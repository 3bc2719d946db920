// A real CAEP receiver (RFC 8935 push) for tests: node:http, every SET verified with jose against
// the gateway's served /.well-known/jwks.json (createRemoteJWKSet), issuer, audience and typ
// checked. It can answer 500 to each SET's first push, or refuse every one with a 400 JSON error.
import type { IncomingHttpHeaders } from 'node:http';
import type { JWTPayload } from 'jose';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { HttpReceiver } from './http-receiver.js';

export interface ReceivedSet {
  jti: string;
  claims: JWTPayload & { sub_id: Record<string, { format: string; id: string } | string>; events: Record<string, Record<string, unknown>> };
  kid: string | undefined;
  headers: IncomingHttpHeaders;
}

export type CaepMode = 'accept' | 'fail-first' | 'refuse';

export class CaepReceiver extends HttpReceiver {
  readonly received: ReceivedSet[] = [];
  /** Pushes per jti, whatever was answered. */
  readonly attempts = new Map<string, number>();
  /** SETs that did not verify (there must be none). */
  readonly rejected: string[] = [];
  mode: CaepMode = 'accept';

  /** `issuer`: the gateway's `iss`; `jwksUrl`: where its keys are served. */
  constructor(
    private readonly issuer: () => string,
    private readonly jwksUrl: () => string,
    readonly path = '/caep',
  ) {
    super();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  async listen(): Promise<void> {
    let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
    await this.serve(0, (req, body, res) => {
      void (async () => {
        const jws = body.toString('utf8');
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
  }

  protected describe(): string {
    return `got ${this.received.length} SETs, rejected: ${this.rejected.join('; ')}`;
  }

  of(eventUri: string, match: (r: ReceivedSet) => boolean = () => true): ReceivedSet[] {
    return this.received.filter((r) => eventUri in r.claims.events && match(r));
  }
}
