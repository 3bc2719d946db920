// Codes for the errors that graphql-js, graphql-armor and Yoga raise without one, told by the
// phase that raised them: parsing, validation, and what graphql-js refuses before any field runs
// (a variable's value, the operation to run). Errors at a path are the resolvers' (coded) or
// masked (mask-errors.ts). What has no code when the answer leaves is a request Yoga refused.
import { Kind } from 'graphql';
import type { ExecutionResult, GraphQLError, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { HttpExtension } from './errors.js';
import { isGraphQLError, recode, withExtensions } from './errors.js';

const hasCode = (error: GraphQLError): boolean => typeof error.extensions?.code === 'string';

/**
 * What Yoga gives a parse error of an HTTP request (GraphQL over HTTP: 400 for graphql-response+json
 * clients); given here whatever the transport, because Yoga caches a document's parse error for
 * every later request with the same text.
 */
const PARSE_HTTP: HttpExtension = { spec: true, status: 400 };

/**
 * graphql-js names the input field at fault only in the message of a variable's coercion error:
 * `Variable "$input" got invalid value … at "input.email"; <the cause's message>`. The variable's
 * name comes from the error's node; only the path after it is read from the message, between the
 * printed value and the cause.
 */
function variableField(error: GraphQLError, variable: string): string {
  const tail = `; ${error.originalError?.message ?? ''}`;
  if (!error.originalError || !error.message.endsWith(tail)) return variable;
  const head = error.message.slice(0, -tail.length);
  const at = head.lastIndexOf(` at "${variable}`);
  return at >= 0 && head.endsWith('"') ? head.slice(at + ' at "'.length, -1) : variable;
}

/**
 * graphql-js's refusals before any field runs (its execution context): a variable's value (the
 * error's node is the variable's definition, or within it), else the operation to run.
 */
function refusedBeforeExecution(error: GraphQLError): GraphQLError {
  const node = error.nodes?.[0];
  if (node?.kind === Kind.VARIABLE_DEFINITION) return recode(error, 'BAD_USER_INPUT', { field: variableField(error, node.variable.name.value) });
  return recode(error, node ? 'BAD_USER_INPUT' : 'OPERATION_RESOLUTION_FAILURE');
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value) && !Array.isArray(value);
}

/** A result without `data` is one graphql-js refused before executing: its uncoded errors, coded. */
function codeRefusal(result: unknown, setResult: (result: ExecutionResult) => void): void {
  if (!isExecutionResult(result) || 'data' in result || !result.errors?.some((e) => !hasCode(e))) return;
  setResult({ ...result, errors: result.errors.map((e) => (hasCode(e) ? e : refusedBeforeExecution(e))) });
}

type Validate = typeof validate;

/** graphql-armor's rules throw from validation instead of reporting: what they throw, coded. */
function guarded(validateFn: Validate): Validate {
  return (...args) => {
    try {
      return validateFn(...args);
    } catch (err) {
      throw isGraphQLError(err) && !hasCode(err) ? recode(err, 'GRAPHQL_VALIDATION_FAILED') : err;
    }
  };
}

/**
 * Runs before Yoga's own HTTP coding of parse and validation errors (its plugins come after ours):
 * those find a code here and keep it. The same hooks run for the socket's operations (getEnveloped).
 */
export function useErrorPhases(): Plugin {
  const guards = new WeakMap<Validate, Validate>();
  return {
    onParse: () => ({ result, replaceParseResult }) => {
      if (isGraphQLError(result) && !hasCode(result)) replaceParseResult(recode(result, 'GRAPHQL_PARSE_FAILED', { http: PARSE_HTTP }));
    },
    onValidate: ({ validateFn, setValidationFn }) => {
      let guard = guards.get(validateFn);
      if (!guard) guards.set(validateFn, (guard = guarded(validateFn)));
      setValidationFn(guard);
    },
    onExecute: () => ({ onExecuteDone: ({ result, setResult }) => codeRefusal(result, setResult) }),
    onSubscribe: () => ({ onSubscribeResult: ({ result, setResult }) => codeRefusal(result, setResult) }),
  };
}

/** Errors withCode changes: no code, Yoga's internal detail, or a malformed request's status. */
function needsRewrite(error: GraphQLError): boolean {
  const extensions = error.extensions ?? {};
  if (typeof extensions.code !== 'string' || 'originalError' in extensions) return true;
  return extensions.code === 'BAD_REQUEST' && Boolean((extensions.http as HttpExtension | undefined)?.spec);
}

/** An error as it leaves, over HTTP or a socket: coded, without Yoga's internal detail. */
export function withCode(error: GraphQLError): GraphQLError {
  if (!needsRewrite(error)) return error;
  // Yoga attaches the parser's own message to HTTP errors: internal detail, never sent.
  const { originalError: _internal, ...extensions } = error.extensions ?? {};
  const cleaned = withExtensions(error, extensions);
  if (typeof extensions.code !== 'string') {
    // A socket's subscription: graphql-js coerces its variables outside the execute hooks (live/protocol.ts).
    if (!error.path && error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION) return refusedBeforeExecution(cleaned);
    // Yoga refused the request before reading a document (its method, a missing CSRF header): its status, our code.
    return recode(cleaned, 'BAD_REQUEST');
  }
  // A malformed request is a 400 whatever the client accepts (Yoga would answer application/json
  // clients with 200, as the GraphQL-over-HTTP spec allows).
  const http = extensions.http as HttpExtension | undefined;
  if (extensions.code === 'BAD_REQUEST' && http?.spec) return recode(cleaned, 'BAD_REQUEST', { http: { ...http, spec: false } });
  return cleaned;
}

/** An error as a socket sends it: coded, without the HTTP status that only HTTP responses use. */
export function forSocket(error: GraphQLError): GraphQLError {
  const coded = withCode(error);
  if (!coded.extensions?.http) return coded;
  const { http: _http, ...extensions } = coded.extensions;
  return withExtensions(coded, extensions);
}

/** Every answer's errors through withCode. */
export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (isExecutionResult(result) && result.errors?.some(needsRewrite)) {
        setResult({ ...result, errors: result.errors.map(withCode) });
      }
    },
  };
}
