// The one map of error codes: every `extensions.code` the API answers with is one of these (the
// schema lists them as the ErrorCode enum). Data only, so that the web app reads its type too.

export interface ErrorEntry {
  /**
   * The HTTP status of an answer with this error. GRAPHQL_PARSE_FAILED and GRAPHQL_VALIDATION_FAILED
   * follow GraphQL over HTTP: 400 for `Accept: application/graphql-response+json`, 200 for
   * application/json (and 200 for both when a query limit throws from validation).
   */
  status: number;
  /** The message, unless the error says more. */
  message: string;
  /** What the code means, for the schema's ErrorCode enum: the message when absent. */
  description?: string;
  retryAfterSeconds?: number;
}

export const ERRORS = {
  UNAUTHENTICATED: { status: 401, message: 'You are not signed in, or your session has ended.', description: 'No live session (never signed in, or the session ended), or a failed sign-in: a wrong e-mail or password, a refused second factor, an unusable challenge.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The e-mail or password is wrong.' },
  MFA_REQUIRED: { status: 401, message: 'A second factor is required: send the code from your authenticator app (or a recovery code) to completeSignIn with this challenge.', description: 'The password was right and the account has two-factor authentication: `extensions.challenge` goes to completeSignIn.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.', description: 'Signed in, but not allowed to do this (a role too low, the current session).' },
  MFA_ENROLLMENT_REQUIRED: { status: 403, message: 'Two-factor authentication is required here: set up an authenticator app to continue.', description: 'The organisation requires two-factor authentication and the user has none: `extensions.challenge` goes to startTotpEnrollment and confirmTotpEnrollment.' },
  REAUTHENTICATION_REQUIRED: { status: 403, message: 'Enter your password again to do this.', description: 'The session signed in (or re-authenticated) too long ago for this: reauthenticate, then retry.' },
  NOT_FOUND: { status: 404, message: 'Not found.', description: 'Not found, or not for the caller to see (what another tenant owns is not found alike).' },
  BAD_USER_INPUT: { status: 400, message: 'The input is not valid.', description: 'The input is not valid: `extensions.field` names the input field at fault, when one is.' },
  BAD_REQUEST: { status: 400, message: 'The request is malformed.', description: 'The HTTP request is malformed: its method, headers, body or parameters (the status says which: 400, 403, 405, 406, 411, 413, 415).' },
  CONFLICT: { status: 409, message: 'This conflicts with existing data.', description: 'This conflicts with existing data: `extensions.field` names the input field, when one is.' },
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Try again later.', description: 'Too many attempts: `extensions.retryAfter` (and the retry-after header) says when to try again.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.', description: 'The database (or another part the answer needs) did not answer: worth retrying after `retry-after`.', retryAfterSeconds: 5 },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Unexpected error.', description: 'A fault of the server: the detail is in its log only.' },
  GRAPHQL_PARSE_FAILED: { status: 400, message: 'The document is not valid GraphQL.', description: 'The document is not valid GraphQL, or has more tokens than the limit (which acts while parsing).' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, message: 'The document is not valid against the schema.', description: 'The document is not valid against the schema, or exceeds a limit on depth, aliases, directives or cost.' },
  OPERATION_RESOLUTION_FAILURE: { status: 400, message: 'The operation to run cannot be determined.', description: 'No operation of the document to run: operationName names none of them, or there are several and no operationName.' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/** Codes reported as another (INVALID_CREDENTIALS is UNAUTHENTICATED: a guesser learns nothing more). */
export const REPORTED_AS = { INVALID_CREDENTIALS: 'UNAUTHENTICATED' } as const satisfies Partial<Record<ErrorCode, ErrorCode>>;

/** The codes that appear in `extensions.code`. */
export type PublicErrorCode = Exclude<ErrorCode, keyof typeof REPORTED_AS>;

export function isPublicErrorCode(value: unknown): value is PublicErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value) && !Object.hasOwn(REPORTED_AS, value);
}

export const PUBLIC_ERROR_CODES: readonly PublicErrorCode[] = Object.keys(ERRORS).filter(isPublicErrorCode);

