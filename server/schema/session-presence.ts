// `Session.online`: whether the session has a graphql-transport-ws socket open now, on any
// instance (live/presence.ts). Without Redis an answer at once; with Redis every `online` asked in
// one turn (a whole list) is one Redis round trip, and a Redis that does not answer leaves this
// instance's own sockets as the answer: the field never fails the query.
import { builder } from './builder.js';
import { SessionType } from './session.js';

builder.objectField(SessionType, 'online', (t) =>
  t.boolean({
    description: 'The session has at least one live socket (graphql-transport-ws) open now, on any gateway instance. With Redis unreachable: this instance’s sockets only.',
    resolve: (session, _args, ctx) => ctx.services.presence.isOnline(session.id),
  }),
);
