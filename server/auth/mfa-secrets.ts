// TOTP secrets at rest (ASVS 5.0 11.3.x via 6.4.4's "securely stored"): AES-256-GCM with a key
// that never lives in the database, so a copy of the database alone yields no secret.
//
// The key: MFA_ENCRYPTION_KEY (base64 of 32 bytes). Without it, the embedded mode (PGlite, no
// DATABASE_URL) makes one on first use in DATA_DIR/mfa.key (mode 0600), next to the data it
// protects; a `memory://` data folder keeps it in memory. With DATABASE_URL the database is shared
// and elsewhere, so a key on this instance's disk would differ between instances: enrolment then
// answers SERVICE_UNAVAILABLE until the operator sets the variable.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../process/config.js';
import { fail } from '../graphql/errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';
export const KEY_MISSING_MESSAGE = 'Two-factor authentication is not available: the operator must set MFA_ENCRYPTION_KEY (base64 of 32 random bytes).';

/** The key from MFA_ENCRYPTION_KEY, or an error naming the variable: a wrong key must not start. */
export function parseKey(value: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== value.trim().replace(/=+$/, '')) {
    throw new Error('MFA_ENCRYPTION_KEY must be the base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)');
  }
  return key;
}

async function embeddedKey(dataDir: string): Promise<Buffer> {
  if (dataDir.startsWith('memory://')) return randomBytes(KEY_BYTES);
  const file = path.join(dataDir, 'mfa.key');
  try {
    // `wx`: two instances starting together on one folder cannot both write a key.
    await writeFile(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseKey((await readFile(file, 'utf8')).trim());
}

export class MfaSecrets {
  private key: Promise<Buffer> | null;
  private readonly embedded: boolean;
  private readonly dataDir: string;

  constructor(config: Pick<Config, 'mfaEncryptionKey' | 'databaseUrl' | 'dataDir'>) {
    this.key = config.mfaEncryptionKey ? Promise.resolve(parseKey(config.mfaEncryptionKey)) : null;
    this.embedded = !config.databaseUrl;
    this.dataDir = config.dataDir;
  }

  /** False when secrets cannot be kept (DATABASE_URL without a key): app.ts warns at start. */
  get available(): boolean {
    return this.key !== null || this.embedded;
  }

  private async keyOrFail(): Promise<Buffer> {
    if (!this.key) {
      if (!this.embedded) fail('SERVICE_UNAVAILABLE', { message: KEY_MISSING_MESSAGE });
      const pending = embeddedKey(this.dataDir);
      this.key = pending;
      // A failed read or write is tried again on the next use, not remembered.
      pending.catch(() => {
        if (this.key === pending) this.key = null;
      });
    }
    return this.key;
  }

  /** `userId` is authenticated data: a ciphertext copied onto another user's row does not decrypt. */
  async encrypt(plain: string, userId: string): Promise<string> {
    const key = await this.keyOrFail();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(userId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws on a wrong key or a tampered value: that is a server fault, masked as such. */
  async decrypt(stored: string, userId: string): Promise<string> {
    const key = await this.keyOrFail();
    const [version, iv, tag, body] = stored.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown TOTP secret format');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
