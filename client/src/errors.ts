// Turns a urql error into what a form shows: messages by input field, and one for the form.
import type { CombinedError } from '@urql/core';
import type { PublicErrorCode as ErrorCode } from '../../server/graphql/error-codes';

export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

export function errorMessage(error: CombinedError): string {
  if (error.networkError && error.graphQLErrors.length === 0) return 'The server cannot be reached. Check your connection and try again.';
  return error.graphQLErrors[0]?.message ?? 'Something went wrong. Please try again.';
}

export function formErrors(error: CombinedError | undefined): FormErrors {
  if (!error) return NO_ERRORS;
  const fields: Record<string, string> = {};
  let form: string | null = null;
  for (const e of error.graphQLErrors) {
    const field = e.extensions.field;
    if (typeof field === 'string' && !(field in fields)) fields[field] = e.message;
    else form ??= e.message;
  }
  if (Object.keys(fields).length === 0 && form === null) form = errorMessage(error);
  return { fields, form };
}

/** The first error's `extensions.code`: one of the server's error codes (server/graphql/error-codes.ts, the ErrorCode enum of the schema). */
export function errorCode(error: CombinedError | undefined): ErrorCode | undefined {
  const code = error?.graphQLErrors[0]?.extensions.code;
  return typeof code === 'string' ? (code as ErrorCode) : undefined;
}
