// The one map of error codes: every failure a client sees is one of these.
import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

export const ERRORS = {
  UNAUTHENTICATED: { status: 401, message: 'You are not signed in, or your session has ended.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The e-mail or password is wrong.' },
  /** The password was right and the account has MFA: `extensions.challenge` goes to completeSignIn. */
  MFA_REQUIRED: { status: 401, message: 'A second factor is required: send the code from your authenticator app (or a recovery code) to completeSignIn with this challenge.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  /** The organisation requires MFA and the user has none: `extensions.challenge` goes to startTotpEnrollment / confirmTotpEnrollment. */
  MFA_ENROLLMENT_REQUIRED: { status: 403, message: 'Two-factor authentication is required here: set up an authenticator app to continue.' },
  /** The session signed in (or re-authenticated) too long ago for this: `reauthenticate`, then retry. */
  REAUTHENTICATION_REQUIRED: { status: 403, message: 'Enter your password again to do this.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  BAD_USER_INPUT: { status: 400, message: 'The input is not valid.' },
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  CONFLICT: { status: 409, message: 'This conflicts with existing data.' },
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Try again later.' },
  /** The database (or another part the answer needs) did not answer: worth retrying after `retry-after`. */
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.', retryAfterSeconds: 5 },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Unexpected error.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Codes as they appear in `extensions.code` (INVALID_CREDENTIALS is reported as UNAUTHENTICATED). */
const PUBLIC_CODE: Partial<Record<ErrorCode, string>> = { INVALID_CREDENTIALS: 'UNAUTHENTICATED' };

export interface ErrorDetails {
  message?: string;
  /** The input field at fault, for BAD_USER_INPUT and CONFLICT. */
  field?: string;
  retryAfterSeconds?: number;
  /** MFA_REQUIRED: the opaque token that completeSignIn takes; MFA_ENROLLMENT_REQUIRED: the one enrolment takes. */
  challenge?: string;
}

export function appError(code: ErrorCode, details: ErrorDetails = {}): GraphQLError {
  const entry: { status: number; message: string; retryAfterSeconds?: number } = ERRORS[code];
  const { status, message } = entry;
  const retryAfterSeconds = details.retryAfterSeconds ?? entry.retryAfterSeconds;
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return createGraphQLError(details.message ?? message, {
    extensions: {
      code: PUBLIC_CODE[code] ?? code,
      ...(details.field ? { field: details.field } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}),
      ...(details.challenge !== undefined ? { challenge: details.challenge } : {}),
      http: { status, headers },
    },
  });
}

/** Throws; typed `never` so that narrowing works after a call. */
export function fail(code: ErrorCode, details?: ErrorDetails): never {
  throw appError(code, details);
}

export function badInput(field: string, message: string): never {
  throw appError('BAD_USER_INPUT', { field, message });
}
