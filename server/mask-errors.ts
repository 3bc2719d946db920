// What the client sees of an unexpected error: a code and a fixed message. A database that does
// not answer is SERVICE_UNAVAILABLE (503), anything else INTERNAL_SERVER_ERROR (500). The real
// error goes to the log only.
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { appError } from './errors.js';
import { Prisma } from './generated/prisma/client.js';

const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const UNAVAILABLE_MESSAGE = /closed|ECONNREFUSED|ECONNRESET|terminat|connection|timeout/i;

// Not `instanceof`: graphql may be loaded twice (its CommonJS and ES builds), one per importer.
function isGraphQLError(value: unknown): value is GraphQLError {
  return Object.prototype.toString.call(value) === '[object GraphQLError]';
}

function rootCause(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) current = current.originalError;
  return current;
}

/** Errors we raised on purpose (coded) and graphql-js's own: shown as they are. */
function isIntended(error: unknown): error is GraphQLError {
  return isGraphQLError(error) && isGraphQLError(rootCause(error));
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = rootCause(error);
  if (cause instanceof Prisma.PrismaClientInitializationError) return true;
  if (cause instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.has(cause.code);
  if (cause instanceof Error) return cause.name === 'DriverAdapterError' || UNAVAILABLE_MESSAGE.test(cause.message);
  return false;
}

export function createErrorMasker(log: Logger) {
  return (error: unknown): Error => {
    if (isIntended(error)) return error;
    const cause = rootCause(error);
    const unavailable = isDatabaseUnavailable(cause);
    log.error({ err: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), unavailable }, 'unexpected error');
    const masked = appError(unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR');
    if (isGraphQLError(error)) {
      return createGraphQLError(masked.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: masked.extensions });
    }
    return masked;
  };
}
