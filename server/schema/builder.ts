// The Pothos builder alone: plugins, the access scopes (scopes.ts) and scalars' TypeScript shapes,
// no domain types.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { RequestCache } from '@pothos/plugin-scope-auth';
import type { Context } from '../graphql/context.js';
import { appError } from '../graphql/errors.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { AuthScopes } from './scopes.js';
import { RequestScopes } from './scopes.js';

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: Context;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  // Scopes first: a refused field runs no other plugin's wrapper (nor its Prisma query).
  plugins: [ScopeAuthPlugin, RelayPlugin, PrismaPlugin],
  relay: {
    // No global node(id)/nodes(ids): each type is reached through a field that checks its tenant.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  scopeAuth: {
    // On a field with scopes: one object, no check yet (each loader is lazy, memoized on the context).
    authScopes: (ctx) => {
      // The plugin's cache is a WeakMap entry keyed by the context and holding it: such an entry
      // keeps the whole context alive until a full collection. Dropped at once (the plugin keeps
      // its own reference while it checks this field); a second field with scopes makes another.
      RequestCache.clearForContext(ctx);
      return new RequestScopes(ctx);
    },
    // The loaders' coded errors (UNAUTHENTICATED, NOT_FOUND, FORBIDDEN…) reach the client as thrown.
    treatErrorsAsUnauthorized: false,
    // Only a scope that answers false without an error of its own, which ours never do: never
    // the plugin's message naming the field.
    unauthorizedError: () => appError('FORBIDDEN'),
    // A subscription is authorised when it subscribes, not again at each event.
    authorizeOnSubscribe: true,
  },
  prisma: {
    // The client is per app (PGlite or PostgreSQL), so it comes from the context's services.
    client: (ctx) => ctx.services.prisma,
    dmmf: getDatamodel(),
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
});
