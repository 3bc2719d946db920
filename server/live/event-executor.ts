// A subscription's events executed by graphql-jit: compiled once per document and operation, and
// shared by every socket that subscribed with it (Yoga's parse cache hands them the same
// document). graphql-js interprets the document again for every event of every socket: in a
// 10,000-socket kick that was the largest share of the pass after the writes (bench scenario 3).
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';

export type EventExecutor = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

const compiled = new WeakMap<DocumentNode, Map<string, EventExecutor | null>>();

/** The compiled executor of the document's subscription, or null where graphql-jit cannot compile it. */
export function eventExecutor(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): EventExecutor | null {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let executor = byName.get(key);
  if (executor === undefined) {
    const query = compileQuery(schema, document, operationName ?? undefined);
    executor = isCompiledQuery(query) ? (args) => query.query(args.rootValue, args.contextValue, args.variableValues ?? {}) as ExecutionResult | Promise<ExecutionResult> : null;
    byName.set(key, executor);
  }
  return executor;
}
