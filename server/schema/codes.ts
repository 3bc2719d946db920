// The schema's enums of codes, made from their maps: why a session ended (RevokeReason), what
// changed about a live one (SessionUpdate), and the values of errors' `extensions.code`
// (ErrorCode, which no field returns: it documents them, and gives clients the type).
import { ERRORS, PUBLIC_ERROR_CODES } from '../graphql/errors.js';
import type { PublicErrorCode } from '../graphql/errors.js';
import { REVOKE_REASON_DESCRIPTIONS, UPDATE_REASON_DESCRIPTIONS } from '../sessions/revoke-reasons.js';
import { builder } from './builder.js';

function described<T extends string>(descriptions: Record<T, string>): Record<T, { description: string }> {
  const entries = Object.entries<string>(descriptions).map(([value, description]) => [value, { description }]);
  return Object.fromEntries(entries) as Record<T, { description: string }>;
}

export const RevokeReasonEnum = builder.enumType('RevokeReason', {
  description: 'Why a session ended.',
  values: described(REVOKE_REASON_DESCRIPTIONS),
});

export const SessionUpdateEnum = builder.enumType('SessionUpdate', {
  description: 'What changed about a live session (an UPDATED event).',
  values: described(UPDATE_REASON_DESCRIPTIONS),
});

function errorCodeDescription(code: PublicErrorCode): string {
  const entry: { message: string; description?: string } = ERRORS[code];
  return entry.description ?? entry.message;
}

builder.enumType('ErrorCode', {
  description: 'The values of `extensions.code` in the errors of every answer (HTTP, WebSocket frames, and the JSON bodies of refused HTTP requests).',
  values: described(Object.fromEntries(PUBLIC_ERROR_CODES.map((code) => [code, errorCodeDescription(code)])) as Record<PublicErrorCode, string>),
});
