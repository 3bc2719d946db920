// Yoga plugins of our own: error codes on every error, Set-Cookie from resolvers, operation names in logs.
import { getOperationAST } from 'graphql';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.js';
import type { ServerContext } from './http.js';
import { requestState } from './http.js';

/** The `extensions.code` of errors that graphql-js and Yoga raise without one. */
function codeFor(error: GraphQLError): { code: string; field?: string } {
  const message = error.message;
  // graphql-armor's limits (depth, aliases, directives, tokens, cost) say "Syntax Error" too.
  if (/(limit|Token limit) of \d+ exceeded/i.test(message)) return { code: 'GRAPHQL_VALIDATION_FAILED' };
  if (message.startsWith('Syntax Error')) return { code: 'GRAPHQL_PARSE_FAILED' };
  const variable = /^Variable "\$([^"]+)" (?:got invalid value .*? at "([^"]+)"|got invalid value|of required type|of non-null type)/.exec(message);
  if (variable) return { code: 'BAD_USER_INPUT', field: variable[2] ?? variable[1] };
  if (/invalid value|Expected value of type|cannot represent/i.test(message)) return { code: 'BAD_USER_INPUT' };
  if (error.extensions?.http && !error.nodes) return { code: 'BAD_REQUEST' };
  return { code: 'GRAPHQL_VALIDATION_FAILED' };
}

export function withCode(error: GraphQLError): GraphQLError {
  const hasCode = typeof error.extensions?.code === 'string';
  if (hasCode && !('originalError' in (error.extensions ?? {}))) return error;
  // Yoga attaches the parser's own message to HTTP errors: internal detail, never sent.
  const { originalError: _internal, ...extensions } = error.extensions ?? {};
  const { code, field } = hasCode ? { code: String(extensions.code), field: undefined } : codeFor(error);
  // A malformed request is a 400 whatever the client accepts (Yoga would answer application/json
  // clients with 200, as the GraphQL-over-HTTP spec allows).
  const http = extensions.http as { status?: number; spec?: boolean } | undefined;
  if (code === 'BAD_REQUEST' && http?.spec) extensions.http = { ...http, spec: false };
  // createGraphQLError: the GraphQLError class that Yoga and graphql-ws load (a test runner may
  // load graphql a second time for our own modules, and graphql-ws checks with instanceof).
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...extensions, code, ...(field ? { field } : {}) },
  });
}

function isExecutionResult(value: unknown): value is { errors?: readonly GraphQLError[] } {
  return typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value) && !Array.isArray(value);
}

export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (isExecutionResult(result) && result.errors?.some((e) => typeof e.extensions?.code !== 'string' || 'originalError' in (e.extensions ?? {}))) {
        setResult({ ...result, errors: result.errors.map(withCode) });
      }
    },
  };
}

export function useRequestState(): Plugin<Context, ServerContext> {
  return {
    onExecute({ args }) {
      const log = args.contextValue.log;
      log.operationName ??= getOperationAST(args.document, args.operationName)?.name?.value ?? undefined;
    },
    onResponse({ response, serverContext }) {
      if (!serverContext?.req) return;
      for (const cookie of requestState(serverContext.req).cookies) response.headers.append('set-cookie', cookie);
    },
  };
}
