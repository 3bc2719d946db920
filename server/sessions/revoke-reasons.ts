// Why a session ended: stored in Session.revokedReason, carried by REVOKED events and as the reason
// of the socket's 4403 close frame; the schema's RevokeReason enum (its meanings below).
export const REVOKE_REASON = {
  SIGNED_OUT: 'SIGNED_OUT',
  REVOKED_BY_USER: 'REVOKED_BY_USER',
  REVOKED_OTHER_SESSIONS: 'REVOKED_OTHER_SESSIONS',
  ORGANIZATION_SWITCHED: 'ORGANIZATION_SWITCHED',
  EXPIRED: 'EXPIRED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  TOKEN_REUSE: 'TOKEN_REUSE',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
  MFA_CHANGED: 'MFA_CHANGED',
  MFA_REQUIRED: 'MFA_REQUIRED',
  REVOKED_BY_ADMIN: 'REVOKED_BY_ADMIN',
  PASSWORD_RESET: 'PASSWORD_RESET',
  ACCOUNT_DELETED: 'ACCOUNT_DELETED',
} as const;
export type RevokeReason = (typeof REVOKE_REASON)[keyof typeof REVOKE_REASON];

/** What each reason means: the descriptions of the schema's RevokeReason enum. */
export const REVOKE_REASON_DESCRIPTIONS: Record<RevokeReason, string> = {
  SIGNED_OUT: 'Signed out (signOut), or replaced by a new sign-in from the same client.',
  REVOKED_BY_USER: 'The user ended it from another session (revokeSession).',
  REVOKED_OTHER_SESSIONS: 'The user ended every session but the current one (revokeOtherSessions).',
  ORGANIZATION_SWITCHED: 'Replaced by a session in another organisation (switchOrganization).',
  EXPIRED: 'Its lifetime or its idle timeout ran out.',
  MEMBER_REMOVED: "The user was removed from the session's organisation.",
  TOKEN_REUSE: 'A token it had replaced was presented again: the token may have been stolen.',
  PASSWORD_CHANGED: "The user's password was changed from another session (changePassword).",
  MFA_CHANGED: 'Two-factor authentication was turned on or off: the session was signed in without it.',
  MFA_REQUIRED: "The session's organisation now requires two-factor authentication (or the user turned theirs off there): the session was signed in without it.",
  REVOKED_BY_ADMIN: "An owner or administrator of the session's organisation ended it (revokeMemberSessions, revokeOrganizationSessions).",
  PASSWORD_RESET: "The password was reset through an e-mailed link: every session of the user ends.",
  ACCOUNT_DELETED: 'The user deleted their account: every session ends before the account goes.',
};

export function isRevokeReason(value: unknown): value is RevokeReason {
  return typeof value === 'string' && Object.hasOwn(REVOKE_REASON, value);
}

/** Why an UPDATED event was sent (SessionEvent.reason): its session is live, so no revocation reason. */
export const UPDATE_REASON = {
  ROLE_CHANGED: 'ROLE_CHANGED',
} as const;
export type UpdateReason = (typeof UPDATE_REASON)[keyof typeof UPDATE_REASON];

export const UPDATE_REASON_DESCRIPTIONS: Record<UpdateReason, string> = {
  ROLE_CHANGED: "The user's role in the session's organisation changed (updateMemberRole).",
};

export function isUpdateReason(value: unknown): value is UpdateReason {
  return typeof value === 'string' && Object.hasOwn(UPDATE_REASON, value);
}
