// Why a session ended: stored in Session.revokedReason, carried by REVOKED events and close frames.
export const REVOKE_REASON = {
  SIGNED_OUT: 'SIGNED_OUT',
  REVOKED_BY_USER: 'REVOKED_BY_USER',
  REVOKED_OTHER_SESSIONS: 'REVOKED_OTHER_SESSIONS',
  ORGANIZATION_SWITCHED: 'ORGANIZATION_SWITCHED',
  EXPIRED: 'EXPIRED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  TOKEN_REUSE: 'TOKEN_REUSE',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
  /** Two-factor authentication was turned on or off: other sessions were signed in without it. */
  MFA_CHANGED: 'MFA_CHANGED',
  /** The session's organisation now requires MFA (or the user turned theirs off there): signed in without it. */
  MFA_REQUIRED: 'MFA_REQUIRED',
  /** An OWNER or ADMIN of the session's organisation ended it (revokeMemberSessions, revokeOrganizationSessions). */
  REVOKED_BY_ADMIN: 'REVOKED_BY_ADMIN',
  /** The password was reset through an e-mailed link: every session of the user ends. */
  PASSWORD_RESET: 'PASSWORD_RESET',
  /** The user deleted their account: every session ends before the row goes. */
  ACCOUNT_DELETED: 'ACCOUNT_DELETED',
} as const;
export type RevokeReason = (typeof REVOKE_REASON)[keyof typeof REVOKE_REASON];

/** What a request knows once its session checks out. */
