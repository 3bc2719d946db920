// What the client sees of an unexpected error: a code and a fixed message. A database that does
// not answer is SERVICE_UNAVAILABLE (503); a value the database cannot hold is BAD_USER_INPUT
// (400) and a unique violation no resolver handled is CONFLICT (409), both the client's doing;
// anything else INTERNAL_SERVER_ERROR (500). A connection argument Pothos refuses is BAD_USER_INPUT. The real error goes to the log only.
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { isUniqueViolation, isUnreachable, sqlStateOf } from '../db/driver-errors.js';
import type { ErrorCode, ErrorDetails } from './errors.js';
import { appError, isGraphQLError } from './errors.js';
import { Prisma } from '../generated/prisma/client.js';

// P1xxx: cannot reach, authenticate to or find the database; P2024/P2037: pool exhausted.
const UNAVAILABLE_CODES = /^(P1\d{3}|P2024|P2037)$/;
const UNAVAILABLE_MESSAGE = /closed|ECONNREFUSED|ECONNRESET|terminat|connection|timeout/i;
// PostgreSQL SQLSTATEs of a server that is gone: connection exceptions, missing database,
// shutdown in progress, too many connections.
const UNAVAILABLE_SQLSTATE = /\b(08\d{3}|3D000|57P0[1-3]|53300)\b/;
// A text the database's encoding cannot hold: 22021 invalid byte sequence (U+0000), 22P05
// untranslatable character. input-guard.ts refuses these first; this is the last line.
const UNSTORABLE_SQLSTATE = new Set(['22021', '22P05']);

function rootCause(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) current = current.originalError;
  return current;
}

/**
 * Errors we raised on purpose (coded) and graphql-js's own refusals of a request: shown as they
 * are. An error at a path without a code is the executor's own account of a server fault (a null
 * in a non-null field, a value a serializer or an enum refused): not intended.
 */
function isIntended(error: unknown): error is GraphQLError {
  if (!isGraphQLError(error) || !isGraphQLError(rootCause(error))) return false;
  return !(error.path && typeof error.extensions?.code !== 'string');
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = rootCause(error);
  if (cause instanceof Prisma.PrismaClientInitializationError || isUnreachable(cause)) return true;
  if (cause instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.test(cause.code) || UNAVAILABLE_SQLSTATE.test(cause.message) || UNAVAILABLE_SQLSTATE.test(sqlStateOf(cause) ?? '');
  if (cause instanceof Error) return cause.name === 'DriverAdapterError' || UNAVAILABLE_MESSAGE.test(cause.message);
  return false;
}

/** A database refusal caused by what the client sent, as the client should see it; null when not one. */
function clientFault(cause: unknown): { code: ErrorCode; details?: ErrorDetails } | null {
  const state = sqlStateOf(cause);
  if (state !== undefined && UNSTORABLE_SQLSTATE.has(state)) return { code: 'BAD_USER_INPUT', details: { message: 'The input contains a character that cannot be stored.' } };
  if (isUniqueViolation(cause)) return { code: 'CONFLICT' };
  return null;
}

export function createErrorMasker(log: Logger) {
  return (error: unknown): Error => {
    if (isIntended(error)) return error;
    const cause = rootCause(error);
    // Yoga JSON.parses `variables` and `extensions` of GET and form requests: a client's mistake.
    if (cause instanceof SyntaxError) return appError('BAD_REQUEST', { message: 'A request parameter is not valid JSON.' });
    // The masked error at the original's place in the response.
    const at = isGraphQLError(error) ? error : undefined;
    // The Pothos connection helpers' refusal of their arguments (a cursor that does not decode, a
    // negative first or last): the client's, whatever the field (by name: a runner may load Pothos twice).
    if (cause instanceof Error && cause.name === 'PothosValidationError') return appError('BAD_USER_INPUT', { message: 'A connection argument (a cursor, first or last) is not valid.' }, at);
    const fault = clientFault(cause);
    if (fault) {
      log.warn({ err: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), code: fault.code }, 'database refused the input');
      return appError(fault.code, fault.details, at);
    }
    const unavailable = isDatabaseUnavailable(cause);
    log.error({ err: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), unavailable }, 'unexpected error');
    return appError(unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR', {}, at);
  };
}
