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
    "\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.AddMemberDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  fragment SessionFields on Session {\n    id\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n": typeof types.SessionEventsDocument,
    "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  mutation SwitchOrganization($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": typeof types.SwitchOrganizationDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateOrganizationDocument,
    "\n  query AuditEvents($first: Int!) {\n    auditEvents(first: $first) {\n      id\n      type\n      createdAt\n      ipAddress\n      userAgent\n      organization {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id) {\n      id\n    }\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions {\n      revokedCount\n    }\n  }\n": typeof types.RevokeOtherSessionsDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      session {\n        id\n        organization {\n          id\n        }\n      }\n      user {\n        id\n        memberships {\n          id\n          role\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SwitchOrganizationAtSignIn($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": typeof types.SwitchOrganizationAtSignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      session {\n        id\n      }\n    }\n  }\n": typeof types.SignUpDocument,
};
const documents: Documents = {
    "\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n": types.AddMemberDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n": types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      id\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  fragment SessionFields on Session {\n    id\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n": types.SessionEventsDocument,
    "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  mutation SwitchOrganization($organizationId: ID!) {\n    switchOrganization(organizationId: $organizationId) {\n      session {\n        id\n      }\n    }\n  }\n": types.SwitchOrganizationDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateOrganizationDocument,
    "\n  query AuditEvents($first: Int!) {\n    auditEvents(first: $first) {\n      id\n      type\n      createdAt\n      ipAddress\n      userAgent\n      organization {\n        id\n        name\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id) {\n      id\n    }\n  }\n": types.RevokeSessionDocument,
    "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions {\n      revokedCount\n    }\n  }\n": types.RevokeOtherSessionsDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      session {\n        id\n        organization {\n          id\n        }\n      }\n      user {\n        id\n        memberships {\n          id\n          role\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.SignInDocument,
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
export function graphql(source: "\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Members {\n    me {\n      id\n      currentOrganization {\n        id\n        members {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment SessionFields on Session {\n    id\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on Session {\n    id\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      session {\n        id\n        organization {\n          id\n        }\n      }\n      user {\n        id\n        memberships {\n          id\n          role\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      session {\n        id\n        organization {\n          id\n        }\n      }\n      user {\n        id\n        memberships {\n          id\n          role\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
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