// Operations used by more than one module. Page-specific ones live next to their page.
import { graphql } from './gql';

export const SessionFieldsFragment = graphql(`
  fragment SessionFields on Session {
    id
    userAgent
    browser
    os
    device
    ipAddress
    location
    role
    isCurrent
    createdAt
    lastActiveAt
    expiresAt
    organization {
      id
      name
    }
  }
`);

/** What a finished sign-in answers (signIn, completeSignIn): the session, and the organisations to pick from. */
export const SignedInFragment = graphql(`
  fragment SignedIn on AuthPayload {
    session {
      id
      organization {
        id
      }
    }
    user {
      id
      memberships {
        id
        role
        organization {
          id
          name
        }
      }
    }
  }
`);

export const SessionEventsSubscription = graphql(`
  subscription SessionEvents {
    sessionEvents {
      type
      reason
      session {
        ...SessionFields
      }
    }
  }
`);

export const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      name
      email
      currentOrganizationRole
      currentOrganization {
        id
        name
        slug
      }
      memberships {
        id
        role
        organization {
          id
          name
        }
      }
    }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input)
  }
`);

export const ReauthenticateMutation = graphql(`
  mutation Reauthenticate($password: String!) {
    reauthenticate(password: $password) {
      id
    }
  }
`);

export const RevokeMemberSessionsMutation = graphql(`
  mutation RevokeMemberSessions($input: RevokeMemberSessionsInput!) {
    revokeMemberSessions(input: $input) {
      revokedCount
    }
  }
`);

export const RevokeOrganizationSessionsMutation = graphql(`
  mutation RevokeOrganizationSessions($organizationId: ID!) {
    revokeOrganizationSessions(organizationId: $organizationId) {
      revokedCount
    }
  }
`);

// TOTP enrolment: the Account page (with a session and the password) and sign-in (with the
// challenge of MFA_ENROLLMENT_REQUIRED, which then issues the session) both use these.
export const StartTotpEnrollmentMutation = graphql(`
  mutation StartTotpEnrollment($password: String, $challenge: String) {
    startTotpEnrollment(password: $password, challenge: $challenge) {
      secret
      otpauthUri
    }
  }
`);

export const ConfirmTotpEnrollmentMutation = graphql(`
  mutation ConfirmTotpEnrollment($code: String!, $challenge: String) {
    confirmTotpEnrollment(code: $code, challenge: $challenge) {
      recoveryCodes
      revokedCount
    }
  }
`);

/** Two-factor status for the Account page's sections (one document: a refetch updates them all). */
export const TwoFactorStatusQuery = graphql(`
  query TwoFactorStatus {
    me {
      id
      mfaEnabled
      currentOrganizationRole
      currentOrganization {
        id
        name
        requireMfa
      }
    }
  }
`);
