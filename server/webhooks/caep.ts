// A delivery of a CAEP endpoint as a Security Event Token (RFC 8417, CAEP 1.0): the outbox row's
// payload (events.ts) becomes one signed JWT. `jti` is the delivery's id, the same on every
// attempt and redelivery, so that a receiver dedupes by it (RFC 8935 2.1). Subjects are RFC 9493
// complex subjects of opaque ids: never an address, an email or a token.
import { SignJWT } from 'jose';
import { REVOKE_REASON_DESCRIPTIONS } from '../sessions/revoke-reasons.js';
import type { RevokeReason } from '../sessions/revoke-reasons.js';
import type { SigningKey } from './caep-keys.js';
import type { WebhookEvent } from './events.js';

export const CAEP_EVENT = {
  SESSION_REVOKED: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  CREDENTIAL_CHANGE: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
} as const;

/** The events a CAEP endpoint can take: those with a CAEP event type. */
export const CAEP_EVENTS: readonly WebhookEvent[] = ['session.revoked', 'user.credential_changed'];

type Initiator = 'admin' | 'user' | 'policy' | 'system';

const INITIATOR: Record<RevokeReason, Initiator> = {
  SIGNED_OUT: 'user',
  REVOKED_BY_USER: 'user',
  REVOKED_OTHER_SESSIONS: 'user',
  ORGANIZATION_SWITCHED: 'user',
  PASSWORD_CHANGED: 'user',
  MFA_CHANGED: 'user',
  PASSWORD_RESET: 'user',
  ACCOUNT_DELETED: 'user',
  REVOKED_BY_ADMIN: 'admin',
  MEMBER_REMOVED: 'admin',
  // The organisation's rule (two-factor required), not a person.
  MFA_REQUIRED: 'policy',
  EXPIRED: 'system',
  TOKEN_REUSE: 'system',
};

export function initiatorOf(reason: string): Initiator {
  return INITIATOR[reason as RevokeReason] ?? 'system';
}

interface StoredPayload {
  type: string;
  timestamp: string;
  data: { userId?: string; sessionId?: string; organizationId?: string; reason?: string; change?: string };
}

const opaque = (id: string | undefined) => ({ format: 'opaque', id: String(id) });
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** The `events` claim and the subject of one stored payload; null for an event CAEP has no type for. */
export function caepEvent(payload: StoredPayload): { subject: Record<string, unknown>; events: Record<string, Record<string, unknown>> } | null {
  const { data } = payload;
  const eventTimestamp = seconds(payload.timestamp);
  if (payload.type === 'session.revoked') {
    const reason = data.reason ?? 'REVOKED_BY_USER';
    return {
      subject: { format: 'complex', user: opaque(data.userId), session: opaque(data.sessionId), tenant: opaque(data.organizationId) },
      events: {
        [CAEP_EVENT.SESSION_REVOKED]: {
          event_timestamp: eventTimestamp,
          initiating_entity: initiatorOf(reason),
          reason_admin: { en: `${reason}: ${REVOKE_REASON_DESCRIPTIONS[reason as RevokeReason] ?? 'Session revoked.'}` },
        },
      },
    };
  }
  if (payload.type === 'user.credential_changed') {
    return {
      subject: { format: 'complex', user: opaque(data.userId), tenant: opaque(data.organizationId) },
      events: {
        [CAEP_EVENT.CREDENTIAL_CHANGE]: {
          event_timestamp: eventTimestamp,
          credential_type: 'password',
          change_type: 'update',
          initiating_entity: 'user',
          reason_admin: { en: data.change === 'PASSWORD_RESET' ? 'Password reset by mail link.' : 'Password changed by the user.' },
        },
      },
    };
  }
  return null;
}

/** The compact JWS of the SET for delivery `jti` of `body` (the stored payload) to `audience`. */
export async function signSet(body: string, jti: string, options: { issuer: string; audience: string; key: SigningKey; now: Date }): Promise<string | null> {
  const event = caepEvent(JSON.parse(body) as StoredPayload);
  if (!event) return null;
  return new SignJWT({ sub_id: event.subject, events: event.events })
    .setProtectedHeader({ alg: options.key.alg, typ: 'secevent+jwt', kid: options.key.kid })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(Math.floor(options.now.getTime() / 1000))
    .setJti(jti)
    .sign(options.key.key);
}
