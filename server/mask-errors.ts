// What the client sees of an unexpected error: a code and a fixed message. A database that does
// not answer is SERVICE_UNAVAILABLE (503), anything else INTERNAL_SERVER_ERROR (500). The real
// error goes to the log only.
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { appError } from './errors.js';
import { Prisma } from './generated/prisma/client.js';

// P1xxx: cannot reach, authenticate to or find the database; P2024/P2037: pool exhausted.
const UNAVAILABLE_CODES = /^(P1\d{3}|P2024|P2037)$/;
const UNAVAILABLE_MESSAGE = /closed|ECONNREFUSED|ECONNRESET|terminat|connection|timeout/i;
// PostgreSQL SQLSTATEs of a server that is gone: connection exceptions, missing database,
// shutdown in progress, too many connections.
const UNAVAILABLE_SQLSTATE = /\b(08\d{3}|3D000|57P0[1-3]|53300)\b/;

// Not `instanceof`: graphql may be loaded twice (its CommonJS and ES builds), one per importer.
function isGraphQLError(value: unknown): value is GraphQLError {
  return Object.prototype.toString.call(value) === '[object GraphQLError]';
}

function rootCause(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) current = current.originalError;
  return current;
}

/**
 * Errors we raised on purpose (coded) and graphql-js's own: shown as they are. An error at a path
 * with neither a cause nor a code is the executor's own account of a server fault (graphql-jit
 * reports a null in a non-null field, or a serializer that threw, that way): not intended.
 */
function isIntended(error: unknown): error is GraphQLError {
  if (!isGraphQLError(error) || !isGraphQLError(rootCause(error))) return false;
  return !(error.path && !error.originalError && typeof error.extensions?.code !== 'string');
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = rootCause(error);
  if (cause instanceof Prisma.PrismaClientInitializationError) return true;
  if (cause instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.test(cause.code) || UNAVAILABLE_SQLSTATE.test(cause.message);
  if (cause instanceof Error) return cause.name === 'DriverAdapterError' || UNAVAILABLE_MESSAGE.test(cause.message);
  return false;
}

export function createErrorMasker(log: Logger) {
  return (error: unknown): Error => {
    if (isIntended(error)) return error;
    const cause = rootCause(error);
    // Yoga JSON.parses `variables` and `extensions` of GET and form requests: a client's mistake.
    if (cause instanceof SyntaxError) return appError('BAD_REQUEST', { message: 'A request parameter is not valid JSON.' });
    const unavailable = isDatabaseUnavailable(cause);
    log.error({ err: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), unavailable }, 'unexpected error');
    const masked = appError(unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR');
    if (isGraphQLError(error)) {
      return createGraphQLError(masked.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: masked.extensions });
    }
    return masked;
  };
}
