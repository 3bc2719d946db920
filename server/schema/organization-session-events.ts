// The live feed of one organisation's sessions for its OWNERs and ADMINs (live/org-feed.ts).
import { fail } from '../graphql/errors.js';
import { builder } from './builder.js';
import { SessionEventType } from './session-events.js';

builder.subscriptionField('organizationSessionEvents', (t) =>
  t.field({
    type: SessionEventType,
    description:
      "Every change of any session bound to this organisation, whoever's it is: CREATED, REVOKED (with its reason), UPDATED, and ONLINE / OFFLINE when its first socket opens or its last one closes (on any instance). OWNER or ADMIN, checked at subscribe (MEMBER: FORBIDDEN; not a member: NOT_FOUND). A subscriber who stops being OWNER or ADMIN has the subscription ended at once with an error message whose code is FORBIDDEN; the socket stays open.",
    args: { organizationId: t.arg.id({ required: true }) },
    // No recent authentication: reading the feed changes nothing (managing members does ask it).
    authScopes: (_root, args) => ({ organizationRole: { organizationId: String(args.organizationId), min: 'ADMIN', refusal: "Only an owner or an admin can follow the organisation's sessions." } }),
    subscribe: (_root, args, ctx) => {
      if (!ctx.live) fail('BAD_USER_INPUT', { message: 'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql.' });
      return ctx.services.orgFeed.open(String(args.organizationId), ctx.live.userId);
    },
    resolve: (event) => event,
  }),
);
