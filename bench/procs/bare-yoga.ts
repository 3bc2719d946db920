// Baseline: a bare Yoga server whose `me` returns a constant user (no session, no database).
// With {"jit":true} it executes through graphql-jit, to price a faster execution path.
import { createServer } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { serveBaseline } from '../lib/baseline-server.js';
import { CONSTANT_USER } from './constants.js';

const { jit } = JSON.parse(process.argv[2] ?? '{}') as { jit?: boolean };

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    enum Role { OWNER ADMIN MEMBER }
    type User { id: ID! currentOrganizationRole: Role! }
    type Query { me: User! }
  `,
  resolvers: { Query: { me: async () => CONSTANT_USER } },
});
const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', graphiql: false, landingPage: false, logging: false, plugins: jit ? [useGraphQlJit()] : [] });
const server = createServer(yoga);
await serveBaseline(server);
