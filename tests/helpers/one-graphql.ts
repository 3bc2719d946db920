// One graphql for everything, as under Node: Vite would give our own modules graphql's ES build
// (its "module" field) while the packages that build and run the schema load its CommonJS build
// through Node, and graphql-js refuses objects of the other copy. Used by every vitest config
// that runs the server.
import { createRequire } from 'node:module';

export const oneGraphql = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };
