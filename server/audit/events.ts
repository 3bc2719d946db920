// Audit trail: who did what to which session, from where.
import type { ClientInfo } from '../sessions/user-agent.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export const AUDIT = {
  SIGN_UP: 'SIGN_UP',
  SIGN_IN: 'SIGN_IN',
  SIGN_IN_FAILED: 'SIGN_IN_FAILED',
  SIGN_OUT: 'SIGN_OUT',
  SESSION_REVOKED: 'SESSION_REVOKED',
  OTHER_SESSIONS_REVOKED: 'OTHER_SESSIONS_REVOKED',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  ORGANIZATION_SWITCHED: 'ORGANIZATION_SWITCHED',
  ORGANIZATION_CREATED: 'ORGANIZATION_CREATED',
  MEMBER_INVITED: 'MEMBER_INVITED',
  INVITATION_ACCEPTED: 'INVITATION_ACCEPTED',
  INVITATION_DECLINED: 'INVITATION_DECLINED',
  INVITATION_REVOKED: 'INVITATION_REVOKED',
  MEMBER_ROLE_CHANGED: 'MEMBER_ROLE_CHANGED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  MEMBER_SESSIONS_REVOKED: 'MEMBER_SESSIONS_REVOKED',
  MEMBER_SESSION_REVOKED: 'MEMBER_SESSION_REVOKED',
  ORGANIZATION_SESSIONS_REVOKED: 'ORGANIZATION_SESSIONS_REVOKED',
  REAUTHENTICATED: 'REAUTHENTICATED',
  REAUTHENTICATION_FAILED: 'REAUTHENTICATION_FAILED',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
  PASSWORD_RESET_REQUESTED: 'PASSWORD_RESET_REQUESTED',
  PASSWORD_RESET: 'PASSWORD_RESET',
  TOKEN_REUSE_DETECTED: 'TOKEN_REUSE_DETECTED',
  MFA_ENABLED: 'MFA_ENABLED',
  MFA_DISABLED: 'MFA_DISABLED',
  MFA_CHALLENGE_FAILED: 'MFA_CHALLENGE_FAILED',
  RECOVERY_CODE_USED: 'RECOVERY_CODE_USED',
  RECOVERY_CODES_REGENERATED: 'RECOVERY_CODES_REGENERATED',
  ORGANIZATION_MFA_REQUIREMENT_CHANGED: 'ORGANIZATION_MFA_REQUIREMENT_CHANGED',
  WEBHOOK_ENDPOINT_CREATED: 'WEBHOOK_ENDPOINT_CREATED',
  WEBHOOK_ENDPOINT_UPDATED: 'WEBHOOK_ENDPOINT_UPDATED',
  WEBHOOK_ENDPOINT_DELETED: 'WEBHOOK_ENDPOINT_DELETED',
  WEBHOOK_SECRET_ROTATED: 'WEBHOOK_SECRET_ROTATED',
  WEBHOOK_REDELIVERED: 'WEBHOOK_REDELIVERED',
  /** Written with no userId (the row would cascade away with the user): the id is in `details`. */
  ACCOUNT_DELETED: 'ACCOUNT_DELETED',
} as const;

export type AuditType = (typeof AUDIT)[keyof typeof AUDIT];

export interface AuditEntry {
  type: AuditType;
  userId?: string | null;
  sessionId?: string | null;
  organizationId?: string | null;
  /** The member the event is about; by default `details.memberUserId` (every member event names it there). */
  subjectUserId?: string | null;
  client?: Pick<ClientInfo, 'ipAddress' | 'userAgent'>;
  details?: Prisma.InputJsonObject;
}

/** Who did it, in which session and organisation, from where: an action of a signed-in caller. */
export function byCaller(auth: { userId: string; sessionId: string; organizationId: string }, client: AuditEntry['client']): Omit<AuditEntry, 'type' | 'details'> {
  return { userId: auth.userId, sessionId: auth.sessionId, organizationId: auth.organizationId, client };
}

type Db = Pick<PrismaClient, 'auditEvent'> | Prisma.TransactionClient;

/** The subject as a column too: an organisation's trail filters on it (schema/organization-audit.ts). */
function subjectOf(entry: AuditEntry): string | null {
  if (entry.subjectUserId !== undefined) return entry.subjectUserId;
  const member = entry.details?.memberUserId;
  return typeof member === 'string' ? member : null;
}

function toRow(entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  return {
    type: entry.type,
    userId: entry.userId ?? null,
    sessionId: entry.sessionId ?? null,
    organizationId: entry.organizationId ?? null,
    subjectUserId: subjectOf(entry),
    ipAddress: entry.client?.ipAddress ?? null,
    userAgent: entry.client?.userAgent ?? null,
    details: entry.details,
  };
}

export async function audit(db: Db, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.auditEvent.createMany({ data: entries.map(toRow) });
}
