// The only constructors of coded errors and bodies, for the codes of error-codes.ts.
import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError, GraphQLErrorExtensions } from 'graphql';

import { ERRORS, isPublicErrorCode, REPORTED_AS } from './error-codes.js';
import type { ErrorCode, ErrorEntry, PublicErrorCode } from './error-codes.js';

export { ERRORS, PUBLIC_ERROR_CODES, isPublicErrorCode } from './error-codes.js';
export type { ErrorCode, PublicErrorCode } from './error-codes.js';

const publicCode = (code: ErrorCode): PublicErrorCode => (isPublicErrorCode(code) ? code : REPORTED_AS[code]);

export interface ErrorDetails {
  message?: string;
  /** The input field at fault, for BAD_USER_INPUT and CONFLICT. */
  field?: string;
  retryAfterSeconds?: number;
  /** MFA_REQUIRED: the opaque token that completeSignIn takes; MFA_ENROLLMENT_REQUIRED: the one enrolment takes. */
  challenge?: string;
}

/** `extensions.http` as Yoga reads it: the answer's status (`spec`: only for graphql-response+json clients) and headers. */
export interface HttpExtension {
  status?: number;
  spec?: boolean;
  headers?: Record<string, string>;
}

/**
 * `error` with other extensions: its message, nodes, source, positions, path and cause kept.
 * createGraphQLError: the GraphQLError class that Yoga loads (a test runner may load graphql a
 * second time for our own modules).
 */
export function withExtensions(error: GraphQLError, extensions: GraphQLErrorExtensions): GraphQLError {
  return createGraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions });
}

/** One of our errors. `at`: in that error's place in the response (its nodes, positions, path), without its cause. */
export function appError(code: ErrorCode, details: ErrorDetails = {}, at?: GraphQLError): GraphQLError {
  const entry: ErrorEntry = ERRORS[code];
  const retryAfterSeconds = details.retryAfterSeconds ?? entry.retryAfterSeconds;
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return createGraphQLError(details.message ?? entry.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: {
      code: publicCode(code),
      ...(details.field ? { field: details.field } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}),
      ...(details.challenge !== undefined ? { challenge: details.challenge } : {}),
      http: { status: entry.status, headers },
    },
  });
}

/** An error graphql-js or Yoga raised, with our code: its message and place kept, its status too unless `http` is given. */
export function recode(error: GraphQLError, code: PublicErrorCode, extras: { field?: string; http?: HttpExtension } = {}): GraphQLError {
  const { field, http } = extras;
  return withExtensions(error, { ...error.extensions, code, ...(field ? { field } : {}), ...(http ? { http } : {}) });
}

export interface ErrorBody {
  errors: [{ message: string; extensions: { code: PublicErrorCode } }];
}

/** The JSON body of an answer that is not GraphQL's (http/server.ts, Yoga's 406 and 415): one coded error. */
export function errorBody(code: PublicErrorCode, message: string = ERRORS[code].message): ErrorBody {
  return { errors: [{ message, extensions: { code } }] };
}

/** Throws; typed `never` so that narrowing works after a call. */
export function fail(code: ErrorCode, details?: ErrorDetails): never {
  throw appError(code, details);
}

export function badInput(field: string, message: string): never {
  throw appError('BAD_USER_INPUT', { field, message });
}

/** Not `instanceof`: graphql may be loaded twice (its CommonJS and ES builds), one per importer. */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return Object.prototype.toString.call(value) === '[object GraphQLError]';
}
