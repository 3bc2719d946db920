// The keys that sign CAEP Security Event Tokens, and their public JWK Set (/.well-known/jwks.json).
// Every instance must sign with, and publish, the same keys: they come from CAEP_SIGNING_KEY (a
// private JWK, a JWK Set whose first key signs, or a PKCS#8 PEM), or else are generated once
// (ES256) and kept in the database, the private part sealed under the MFA key (secrets.ts).
// Several keys are published at once: the newest signs, the older still verify (rotation).
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { MfaSecrets } from '../auth/mfa-secrets.js';
import type { PrismaClient } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { seal, unseal } from './secrets.js';

export type CaepAlg = 'ES256' | 'RS256';

export interface SigningKey {
  kid: string;
  alg: CaepAlg;
  key: KeyObject;
}

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: CaepAlg;
  use: 'sig';
}

const context = (kid: string) => `caep-signing-key:${kid}`;

function algOf(key: KeyObject): CaepAlg {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error('CAEP_SIGNING_KEY must be an RSA (RS256) or P-256 (ES256) private key');
}

/** The public half as a JWK, kid = its RFC 7638 thumbprint unless the given JWK names one. */
async function publicOf(key: KeyObject, kid?: string): Promise<PublicJwk> {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const alg = algOf(key);
  return { ...jwk, kid: kid ?? (await calculateJwkThumbprint(jwk as Parameters<typeof calculateJwkThumbprint>[0])), alg, use: 'sig' };
}

/** CAEP_SIGNING_KEY → keys, the signing one first. Throws on anything malformed: the start fails. */
export async function parseEnvKeys(value: string): Promise<{ signing: SigningKey[]; published: PublicJwk[] }> {
  const text = value.trim();
  let sources: { key: KeyObject; kid?: string }[];
  if (text.startsWith('-----BEGIN')) sources = [{ key: createPrivateKey(text) }];
  else {
    const parsed = JSON.parse(text) as JsonWebKey | { keys: JsonWebKey[] };
    const jwks = 'keys' in parsed && Array.isArray(parsed.keys) ? parsed.keys : [parsed as JsonWebKey];
    if (jwks.length === 0) throw new Error('CAEP_SIGNING_KEY has no key');
    sources = jwks.map((jwk) => ({ key: createPrivateKey({ key: jwk, format: 'jwk' }), kid: typeof jwk.kid === 'string' ? jwk.kid : undefined }));
  }
  const published = await Promise.all(sources.map((s) => publicOf(s.key, s.kid)));
  return { signing: sources.map((s, i) => ({ kid: published[i]!.kid, alg: published[i]!.alg, key: s.key })), published };
}

interface Loaded {
  published: PublicJwk[];
  /** The newest key, opened on first use: serving the JWK Set needs no private part. */
  open: () => Promise<SigningKey>;
}

export class CaepKeys {
  private loaded: Promise<Loaded> | null = null;
  private opened: Promise<SigningKey> | null = null;
  /** http://localhost:PORT once listening (app.ts), when neither CAEP_ISSUER nor PUBLIC_URL is set. */
  fallbackIssuer = 'http://localhost';

  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: MfaSecrets,
    private readonly envValue: string | undefined,
    private readonly configuredIssuer: string | undefined,
  ) {}

  /** The SETs' `iss`: CAEP_ISSUER, else PUBLIC_URL's origin, else this instance's URL. */
  get issuer(): string {
    return this.configuredIssuer ?? this.fallbackIssuer;
  }

  /**
   * The key that signs now. A stored key that does not open (another MFA_ENCRYPTION_KEY than the
   * one that sealed it) throws here, on each attempt, which then fails and is retried: the
   * operator fixes the key, no new key is made behind the receivers' backs.
   */
  signing(): Promise<SigningKey> {
    if (!this.opened) {
      const pending = this.load().then((l) => l.open());
      this.opened = pending;
      pending.catch(() => {
        if (this.opened === pending) this.opened = null;
      });
    }
    return this.opened;
  }

  /** The JWK Set: public parts only. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: (await this.load()).published };
  }

  /** Loaded once per process; a failure (database down) is tried again on the next use. */
  load(): Promise<Loaded> {
    if (!this.loaded) {
      const pending = this.envValue ? this.fromEnv(this.envValue) : this.fromDatabase();
      this.loaded = pending;
      pending.catch(() => {
        if (this.loaded === pending) this.loaded = null;
      });
    }
    return this.loaded;
  }

  private async fromEnv(value: string): Promise<Loaded> {
    const { signing, published } = await parseEnvKeys(value);
    return { published, open: async () => signing[0]! };
  }

  private async fromDatabase(): Promise<Loaded> {
    let rows = await this.prisma.caepSigningKey.findMany({ orderBy: { generation: 'desc' } });
    if (rows.length === 0) {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = await exportJWK(privateKey);
      const pub = await publicOf(createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }));
      const privateJwk = await seal(this.secrets, JSON.stringify(jwk), context(pub.kid));
      // Generation 1 is unique: of two instances starting together, one row wins and both read it.
      await this.prisma.caepSigningKey.createMany({ data: [{ kid: pub.kid, generation: 1, alg: pub.alg, publicJwk: pub as unknown as Prisma.InputJsonObject, privateJwk }], skipDuplicates: true });
      rows = await this.prisma.caepSigningKey.findMany({ orderBy: { generation: 'desc' } });
    }
    const newest = rows[0]!;
    return {
      published: rows.map((r) => r.publicJwk as unknown as PublicJwk),
      open: async () => {
        const jwk = JSON.parse(await unseal(this.secrets, newest.privateJwk, context(newest.kid))) as JsonWebKey;
        return { kid: newest.kid, alg: newest.alg as CaepAlg, key: createPrivateKey({ key: jwk, format: 'jwk' }) };
      },
    };
  }
}
