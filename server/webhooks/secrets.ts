// Endpoint secrets: `whsec_` + base64 of 32 random bytes, shown once. They must be recoverable to
// sign, so they are kept encrypted with the TOTP secrets' AES-256-GCM key (auth/mfa-secrets.ts:
// MFA_ENCRYPTION_KEY, or DATA_DIR/mfa.key on the embedded database), the endpoint's id as
// authenticated data. With DATABASE_URL and no key there is no key to keep: the secret is then
// stored as is (`plain:`), and app start warns about the missing key already.
import { randomBytes } from 'node:crypto';
import type { MfaSecrets } from '../auth/mfa-secrets.js';

const SECRET_BYTES = 32;
const PLAIN = 'plain:';
const SEALED = 'enc:';

export function newSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

const aad = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** `enc:` + AES-256-GCM with `context` as authenticated data, or `plain:` when no key can be kept. Also the CAEP keys'. */
export async function seal(keys: MfaSecrets, secret: string, context: string): Promise<string> {
  return keys.available ? SEALED + (await keys.encrypt(secret, context)) : PLAIN + secret;
}

export async function unseal(keys: MfaSecrets, stored: string, context: string): Promise<string> {
  if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
  if (stored.startsWith(SEALED)) return keys.decrypt(stored.slice(SEALED.length), context);
  throw new Error('unknown sealed secret format');
}

export const sealSecret = (keys: MfaSecrets, secret: string, endpointId: string): Promise<string> => seal(keys, secret, aad(endpointId));
export const openSecret = (keys: MfaSecrets, stored: string, endpointId: string): Promise<string> => unseal(keys, stored, aad(endpointId));
