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
    "\n  fragment SessionFields on Session {\n    id\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n": typeof types.SessionEventsDocument,
    "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
};
const documents: Documents = {
    "\n  fragment SessionFields on Session {\n    id\n    browser\n    os\n    device\n    ipAddress\n    location\n    role\n    isCurrent\n    createdAt\n    lastActiveAt\n    expiresAt\n    organization {\n      id\n      name\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  subscription SessionEvents {\n    sessionEvents {\n      type\n      reason\n      session {\n        ...SessionFields\n      }\n    }\n  }\n": types.SessionEventsDocument,
    "\n  query Viewer {\n    me {\n      id\n      name\n      email\n      currentOrganizationRole\n      currentOrganization {\n        id\n        name\n        slug\n      }\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;