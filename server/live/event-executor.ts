// A subscription's events executed by graphql-jit: compiled once per document and operation, and
// shared by every socket that subscribed with it (Yoga's parse cache hands them the same
// document). graphql-js interprets the document again for every event of every socket, which a
// kick of many sockets at once would pay for each of them.
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Executor } from './transport.js';

/** null: graphql-jit could not compile it (graphql-js then executes its events). */
const compiled = new WeakMap<DocumentNode, Map<string, Executor | null>>();

/** The compiled executor of the document's subscription, or undefined where graphql-jit cannot compile it. */
export function eventExecutor(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Executor | undefined {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let executor = byName.get(key);
  if (executor === undefined) {
    const query = compileQuery(schema, document, operationName ?? undefined);
    executor = isCompiledQuery(query) ? (args) => query.query(args.rootValue, args.contextValue, args.variableValues ?? {}) as ExecutionResult | Promise<ExecutionResult> : null;
    byName.set(key, executor);
  }
  return executor ?? undefined;
}
