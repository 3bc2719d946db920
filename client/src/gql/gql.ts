/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment OrgAuditFields on AuditEvent {\n    id\n    type\n    createdAt\n    ipAddress\n    actor {\n      id\n      name\n    }\n    subject {\n      id\n      name\n    }\n  }\n": typeof types.OrgAuditFieldsFragmentDoc,
    "\n  query OrganizationAudit($first: Int, $after: String, $type: String) {\n    me {\n      id\n      currentOrganization {\n        id\n        auditEvents(first: $first, after: $after, type: $type) {\n          totalCount\n          edges {\n            node {\n              ...OrgAuditFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.OrganizationAuditDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      revokedCount\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation DeleteAccount($password: String!, $code: String) {\n    deleteAccount(password: $password, code: $code)\n  }\n": typeof types.DeleteAccountDocument,
    "\n  query OrganizationInvitations {\n    me {\n      id\n      currentOrganization {\n        id\n        invitations {\n          id\n          email\n          role\n          expiresAt\n          invitedBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.OrganizationInvitationsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  query MyInvitations {\n    me {\n      id\n      invitations {\n        id\n        role\n        expiresAt\n        organization {\n          id\n          name\n        }\n        invitedBy {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.MyInvitationsDocument,
    "\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.DeclineInvitationDocument,
    "\n  mutation SetOrganizationMfaRequirement($organizationId: ID!, $required: Boolean!) {\n    setOrganizationMfaRequirement(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n": typeof types.SetOrganizationMfaRequirementDocument,
    "\n  fragment OrgSessionFields on Session {\n    id\n    userAgent\n    device\n    ipAddress\n    location\n    isCurrent\n    online\n    createdAt\n    lastActiveAt\n    user {\n      id\n      name\n      email\n    }\n  }\n": typeof types.OrgSessionFieldsFragmentDoc,
    "\n  query OrganizationSessions($first: Int, $after: String, $userId: ID) {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          user {\n            id\n            name\n          }\n        }\n        sessions(first: $first, after: $after, userId: $userId) {\n          totalCount\n          edges {\n            cursor\n            node {\n              ...OrgSessionFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.OrganizationSessionsDocument,
    "\n  mutation RevokeMemberSession($input: RevokeMemberSessionInput!) {\n    revokeMemberSession(input: $input) {\n      revokedCount\n    }\n  }\n": typeof types.RevokeMemberSessionDocument,
    "\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      ...SignedIn\n    }\n  }\n": typeof types.CompleteSignInDocument,
    "\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n": typeof types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes($password: String!, $code: String!) {\n    regenerateRecoveryCodes(password: $password, code: $code)\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  fragment SessionFields on Session {\n    id\n    userAgent\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  fragment SignedIn on AuthPayload {\n    session {\n      id\n      organization {\n        id\n      }\n    }\n    user {\n      id\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.SignedInFragmentDoc,
    "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n": typeof types.SessionEventsDocument,
    "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password) {\n      id\n    }\n  }\n": typeof types.ReauthenticateDocument,
    "\n  mutation RevokeMemberSessions($input: RevokeMemberSessionsInput!) {\n    revokeMemberSessions(input: $input) {\n      revokedCount\n    }\n  }\n": typeof types.RevokeMemberSessionsDocument,
    "\n  mutation RevokeOrganizationSessions($organizationId: ID!) {\n    revokeOrganizationSessions(organizationId: $organizationId) {\n      revokedCount\n    }\n  }\n": typeof types.RevokeOrganizationSessionsDocument,
    "\n  mutation StartTotpEnrollment($password: String, $challenge: String) {\n    startTotpEnrollment(password: $password, challenge: $challenge) {\n      secret\n      otpauthUri\n    }\n  }\n": typeof types.StartTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!, $challenge: String) {\n    confirmTotpEnrollment(code: $code, challenge: $challenge) {\n      recoveryCodes\n      revokedCount\n    }\n  }\n": typeof types.ConfirmTotpEnrollmentDocument,
    "\n  query TwoFactorStatus {\n    me {\n      id\n      mfaEnabled\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        requireMfa\n      }\n    }\n  }\n": typeof types.TwoFactorStatusDocument,
    "\n  subscription OrganizationSessionEvents($organizationId: ID!) {\n    organizationSessionEvents(organizationId: $organizationId) {\n      type\n      reason\n      session {\n        ...OrgSessionFields\n      }\n    }\n  }\n": typeof types.OrganizationSessionEventsDocument,
    "\n  mutation SwitchOrganization($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": typeof types.SwitchOrganizationDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateOrganizationDocument,
    "\n  query AuditEvents($first: Int!) {\n    auditEvents(first: $first) {\n      id\n      type\n      createdAt\n      ipAddress\n      userAgent\n      organization {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id) {\n      id\n    }\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions {\n      revokedCount\n    }\n  }\n": typeof types.RevokeOtherSessionsDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignedIn\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SwitchOrganizationAtSignIn($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": typeof types.SwitchOrganizationAtSignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      session {\n        id\n      }\n    }\n  }\n": typeof types.SignUpDocument,
};
const documents: Documents = {
    "\n  fragment OrgAuditFields on AuditEvent {\n    id\n    type\n    createdAt\n    ipAddress\n    actor {\n      id\n      name\n    }\n    subject {\n      id\n      name\n    }\n  }\n": types.OrgAuditFieldsFragmentDoc,
    "\n  query OrganizationAudit($first: Int, $after: String, $type: String) {\n    me {\n      id\n      currentOrganization {\n        id\n        auditEvents(first: $first, after: $after, type: $type) {\n          totalCount\n          edges {\n            node {\n              ...OrgAuditFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.OrganizationAuditDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      revokedCount\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  mutation DeleteAccount($password: String!, $code: String) {\n    deleteAccount(password: $password, code: $code)\n  }\n": types.DeleteAccountDocument,
    "\n  query OrganizationInvitations {\n    me {\n      id\n      currentOrganization {\n        id\n        invitations {\n          id\n          email\n          role\n          expiresAt\n          invitedBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.OrganizationInvitationsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      status\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n": types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  query MyInvitations {\n    me {\n      id\n      invitations {\n        id\n        role\n        expiresAt\n        organization {\n          id\n          name\n        }\n        invitedBy {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.MyInvitationsDocument,
    "\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id) {\n      id\n      status\n    }\n  }\n": types.DeclineInvitationDocument,
    "\n  mutation SetOrganizationMfaRequirement($organizationId: ID!, $required: Boolean!) {\n    setOrganizationMfaRequirement(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n": types.SetOrganizationMfaRequirementDocument,
    "\n  fragment OrgSessionFields on Session {\n    id\n    userAgent\n    device\n    ipAddress\n    location\n    isCurrent\n    online\n    createdAt\n    lastActiveAt\n    user {\n      id\n      name\n      email\n    }\n  }\n": types.OrgSessionFieldsFragmentDoc,
    "\n  query OrganizationSessions($first: Int, $after: String, $userId: ID) {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          user {\n            id\n            name\n          }\n        }\n        sessions(first: $first, after: $after, userId: $userId) {\n          totalCount\n          edges {\n            cursor\n            node {\n              ...OrgSessionFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.OrganizationSessionsDocument,
    "\n  mutation RevokeMemberSession($input: RevokeMemberSessionInput!) {\n    revokeMemberSession(input: $input) {\n      revokedCount\n    }\n  }\n": types.RevokeMemberSessionDocument,
    "\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      ...SignedIn\n    }\n  }\n": types.CompleteSignInDocument,
    "\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n": types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes($password: String!, $code: String!) {\n    regenerateRecoveryCodes(password: $password, code: $code)\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  fragment SessionFields on Session {\n    id\n    userAgent\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  fragment SignedIn on AuthPayload {\n    session {\n      id\n      organization {\n        id\n      }\n    }\n    user {\n      id\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.SignedInFragmentDoc,
    "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n": types.SessionEventsDocument,
    "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n": types.ResetPasswordDocument,
    "\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password) {\n      id\n    }\n  }\n": types.ReauthenticateDocument,
    "\n  mutation RevokeMemberSessions($input: RevokeMemberSessionsInput!) {\n    revokeMemberSessions(input: $input) {\n      revokedCount\n    }\n  }\n": types.RevokeMemberSessionsDocument,
    "\n  mutation RevokeOrganizationSessions($organizationId: ID!) {\n    revokeOrganizationSessions(organizationId: $organizationId) {\n      revokedCount\n    }\n  }\n": types.RevokeOrganizationSessionsDocument,
    "\n  mutation StartTotpEnrollment($password: String, $challenge: String) {\n    startTotpEnrollment(password: $password, challenge: $challenge) {\n      secret\n      otpauthUri\n    }\n  }\n": types.StartTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!, $challenge: String) {\n    confirmTotpEnrollment(code: $code, challenge: $challenge) {\n      recoveryCodes\n      revokedCount\n    }\n  }\n": types.ConfirmTotpEnrollmentDocument,
    "\n  query TwoFactorStatus {\n    me {\n      id\n      mfaEnabled\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        requireMfa\n      }\n    }\n  }\n": types.TwoFactorStatusDocument,
    "\n  subscription OrganizationSessionEvents($organizationId: ID!) {\n    organizationSessionEvents(organizationId: $organizationId) {\n      type\n      reason\n      session {\n        ...OrgSessionFields\n      }\n    }\n  }\n": types.OrganizationSessionEventsDocument,
    "\n  mutation SwitchOrganization($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": types.SwitchOrganizationDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateOrganizationDocument,
    "\n  query AuditEvents($first: Int!) {\n    auditEvents(first: $first) {\n      id\n      type\n      createdAt\n      ipAddress\n      userAgent\n      organization {\n        id\n        name\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id) {\n      id\n    }\n  }\n": types.RevokeSessionDocument,
    "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions {\n      revokedCount\n    }\n  }\n": types.RevokeOtherSessionsDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignedIn\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SwitchOrganizationAtSignIn($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": types.SwitchOrganizationAtSignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      session {\n        id\n      }\n    }\n  }\n": types.SignUpDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrgAuditFields on AuditEvent {\n    id\n    type\n    createdAt\n    ipAddress\n    actor {\n      id\n      name\n    }\n    subject {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment OrgAuditFields on AuditEvent {\n    id\n    type\n    createdAt\n    ipAddress\n    actor {\n      id\n      name\n    }\n    subject {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationAudit($first: Int, $after: String, $type: String) {\n    me {\n      id\n      currentOrganization {\n        id\n        auditEvents(first: $first, after: $after, type: $type) {\n          totalCount\n          edges {\n            node {\n              ...OrgAuditFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationAudit($first: Int, $after: String, $type: String) {\n    me {\n      id\n      currentOrganization {\n        id\n        auditEvents(first: $first, after: $after, type: $type) {\n          totalCount\n          edges {\n            node {\n              ...OrgAuditFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      revokedCount\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      revokedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($password: String!, $code: String) {\n    deleteAccount(password: $password, code: $code)\n  }\n"): (typeof documents)["\n  mutation DeleteAccount($password: String!, $code: String) {\n    deleteAccount(password: $password, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationInvitations {\n    me {\n      id\n      currentOrganization {\n        id\n        invitations {\n          id\n          email\n          role\n          expiresAt\n          invitedBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationInvitations {\n    me {\n      id\n      currentOrganization {\n        id\n        invitations {\n          id\n          email\n          role\n          expiresAt\n          invitedBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyInvitations {\n    me {\n      id\n      invitations {\n        id\n        role\n        expiresAt\n        organization {\n          id\n          name\n        }\n        invitedBy {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyInvitations {\n    me {\n      id\n      invitations {\n        id\n        role\n        expiresAt\n        organization {\n          id\n          name\n        }\n        invitedBy {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetOrganizationMfaRequirement($organizationId: ID!, $required: Boolean!) {\n    setOrganizationMfaRequirement(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n"): (typeof documents)["\n  mutation SetOrganizationMfaRequirement($organizationId: ID!, $required: Boolean!) {\n    setOrganizationMfaRequirement(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrgSessionFields on Session {\n    id\n    userAgent\n    device\n    ipAddress\n    location\n    isCurrent\n    online\n    createdAt\n    lastActiveAt\n    user {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment OrgSessionFields on Session {\n    id\n    userAgent\n    device\n    ipAddress\n    location\n    isCurrent\n    online\n    createdAt\n    lastActiveAt\n    user {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationSessions($first: Int, $after: String, $userId: ID) {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          user {\n            id\n            name\n          }\n        }\n        sessions(first: $first, after: $after, userId: $userId) {\n          totalCount\n          edges {\n            cursor\n            node {\n              ...OrgSessionFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationSessions($first: Int, $after: String, $userId: ID) {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          user {\n            id\n            name\n          }\n        }\n        sessions(first: $first, after: $after, userId: $userId) {\n          totalCount\n          edges {\n            cursor\n            node {\n              ...OrgSessionFields\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeMemberSession($input: RevokeMemberSessionInput!) {\n    revokeMemberSession(input: $input) {\n      revokedCount\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeMemberSession($input: RevokeMemberSessionInput!) {\n    revokeMemberSession(input: $input) {\n      revokedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      ...SignedIn\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      ...SignedIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n"): (typeof documents)["\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes($password: String!, $code: String!) {\n    regenerateRecoveryCodes(password: $password, code: $code)\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes($password: String!, $code: String!) {\n    regenerateRecoveryCodes(password: $password, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on Session {\n    id\n    userAgent\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on Session {\n    id\n    userAgent\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SignedIn on AuthPayload {\n    session {\n      id\n      organization {\n        id\n      }\n    }\n    user {\n      id\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SignedIn on AuthPayload {\n    session {\n      id\n      organization {\n        id\n      }\n    }\n    user {\n      id\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n"): (typeof documents)["\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeMemberSessions($input: RevokeMemberSessionsInput!) {\n    revokeMemberSessions(input: $input) {\n      revokedCount\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeMemberSessions($input: RevokeMemberSessionsInput!) {\n    revokeMemberSessions(input: $input) {\n      revokedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeOrganizationSessions($organizationId: ID!) {\n    revokeOrganizationSessions(organizationId: $organizationId) {\n      revokedCount\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeOrganizationSessions($organizationId: ID!) {\n    revokeOrganizationSessions(organizationId: $organizationId) {\n      revokedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTotpEnrollment($password: String, $challenge: String) {\n    startTotpEnrollment(password: $password, challenge: $challenge) {\n      secret\n      otpauthUri\n    }\n  }\n"): (typeof documents)["\n  mutation StartTotpEnrollment($password: String, $challenge: String) {\n    startTotpEnrollment(password: $password, challenge: $challenge) {\n      secret\n      otpauthUri\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrollment($code: String!, $challenge: String) {\n    confirmTotpEnrollment(code: $code, challenge: $challenge) {\n      recoveryCodes\n      revokedCount\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmTotpEnrollment($code: String!, $challenge: String) {\n    confirmTotpEnrollment(code: $code, challenge: $challenge) {\n      recoveryCodes\n      revokedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TwoFactorStatus {\n    me {\n      id\n      mfaEnabled\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        requireMfa\n      }\n    }\n  }\n"): (typeof documents)["\n  query TwoFactorStatus {\n    me {\n      id\n      mfaEnabled\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        requireMfa\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrganizationSessionEvents($organizationId: ID!) {\n    organizationSessionEvents(organizationId: $organizationId) {\n      type\n      reason\n      session {\n        ...OrgSessionFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OrganizationSessionEvents($organizationId: ID!) {\n    organizationSessionEvents(organizationId: $organizationId) {\n      type\n      reason\n      session {\n        ...OrgSessionFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchOrganization($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchOrganization($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($first: Int!) {\n    auditEvents(first: $first) {\n      id\n      type\n      createdAt\n      ipAddress\n      userAgent\n      organization {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($first: Int!) {\n    auditEvents(first: $first) {\n      id\n      type\n      createdAt\n      ipAddress\n      userAgent\n      organization {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions {\n      revokedCount\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeOtherSessions {\n    revokeOtherSessions {\n      revokedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignedIn\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignedIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchOrganizationAtSignIn($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchOrganizationAtSignIn($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      session {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      session {\n        id\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;