// One push of a SET (RFC 8935): POST application/secevent+jwt, the compact JWS as the body. Any
// 2xx (the RFC's is 202) is delivered. A 400 with a JSON error body is the receiver refusing
// this SET for good (invalid_request, invalid_key, invalid_issuer, invalid_audience, ...): it is
// not retried, and its `err` is recorded. Anything else fails and is retried like any webhook.
import type { SigningKey } from './caep-keys.js';
import { signSet } from './caep.js';
import type { AttemptResult, SendOptions } from './send.js';
import { post } from './send.js';

export interface SetMessage {
  /** The delivery's id: the SET's jti. */
  id: string;
  /** The stored payload (events.ts). */
  body: string;
  url: string;
  issuer: string;
}

/** The `err` of an RFC 8935 error body, or null when the body is not one. */
export function setErrorCode(body: string | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { err?: unknown };
    return typeof parsed.err === 'string' ? parsed.err.slice(0, 60) : null;
  } catch {
    return null;
  }
}

export async function pushSet(message: SetMessage, key: SigningKey, options: SendOptions): Promise<AttemptResult> {
  const now = options.now ?? new Date();
  const jws = await signSet(message.body, message.id, { issuer: message.issuer, audience: message.url, key, now });
  if (!jws) return { ok: false, statusCode: null, error: 'no CAEP event type for this event', durationMs: 0, permanent: true };
  const result = await post(message.url, jws, { 'content-type': 'application/secevent+jwt', accept: 'application/json' }, options);
  if (result.statusCode === 400) {
    const code = setErrorCode(result.responseBody);
    if (code !== null) return { ...result, error: `SET refused: ${code}`, permanent: true };
  }
  return result;
}
