// The live part of the schema: a stream of the signed-in user's session changes.
import { fail } from '../graphql/errors.js';
import type { SessionEvent } from '../live/registry.js';
import { isRevokeReason, isUpdateReason } from '../sessions/revoke-reasons.js';
import { builder } from './builder.js';
import { RevokeReasonEnum, SessionUpdateEnum } from './codes.js';
import { SessionType } from './session.js';

const SessionEventTypeEnum = builder.enumType('SessionEventType', {
  values: {
    CREATED: { description: 'A new sign-in, in any organisation.' },
    REVOKED: { description: 'Signed out, revoked, switched away from, expired, or removed by an administrator.' },
    UPDATED: { description: "Something about the session changed, such as the user's role in its organisation." },
    ONLINE: { description: 'organizationSessionEvents only: the session opened its first live socket (on any instance).' },
    OFFLINE: { description: 'organizationSessionEvents only: the session closed its last live socket (on every instance).' },
  } as const,
});

export const SessionEventType = builder.objectRef<SessionEvent>('SessionEvent').implement({
  fields: (t) => ({
    type: t.field({ type: SessionEventTypeEnum, resolve: (e) => e.type }),
    session: t.field({ type: SessionType, resolve: (e) => e.session }),
    reason: t.field({
      type: RevokeReasonEnum,
      nullable: true,
      description: 'Why the session ended: set on REVOKED events only.',
      resolve: (e) => (e.type === 'REVOKED' && isRevokeReason(e.reason) ? e.reason : null),
    }),
    update: t.field({
      type: SessionUpdateEnum,
      nullable: true,
      description: 'What changed: set on UPDATED events only.',
      resolve: (e) => (e.type === 'UPDATED' && isUpdateReason(e.reason) ? e.reason : null),
    }),
  }),
});

builder.subscriptionType({});

builder.subscriptionField('sessionEvents', (t) =>
  t.field({
    type: SessionEventType,
    description:
      "Changes to the signed-in user's sessions in every organisation. When the subscriber's own session is revoked it receives that REVOKED event last, and the server then closes the socket with code 4403.",
    // Checked at subscribe (authorizeOnSubscribe), with the check the socket's subscribe just made.
    authScopes: { signedIn: true },
    subscribe: (_root, _args, ctx) => {
      if (!ctx.live) fail('BAD_USER_INPUT', { message: 'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql.' });
      return ctx.live.openStream();
    },
    resolve: (event) => event,
  }),
);
