// Structured JSON logs (pino). Tokens, cookies, passwords and hashes never reach a log line:
// nothing here logs headers or variables, and the redaction list is a second guard.
import { pino } from 'pino';
import type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'session-gateway' },
    redact: { paths: ['token', 'password', 'cookie', 'authorization', 'tokenHash', 'passwordHash', '*.token', '*.password', '*.cookie', '*.authorization', 'secret', 'totpSecret', 'challenge', '*.secret', '*.totpSecret', '*.challenge'], censor: '[redacted]' },
  });
}

/** What one request contributes to its log line. */
export interface RequestLog {
  requestId: string;
  operationName?: string;
  sessionId?: string;
  /** Why the session was refused (unknown, revoked, expired, idle, malformed, no_membership). */
  refusal?: string;
}
