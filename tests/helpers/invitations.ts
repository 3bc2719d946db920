// Invitations through the API, for the invitation tests.
import type { Role } from '../gql/graphql.js';
import { graphql } from '../gql/index.js';
import type { TestUser } from './graphql.js';
import { gql, ok } from './graphql.js';
import type { TestServer } from './server.js';

type Server = Pick<TestServer, 'graphqlUrl'>;

graphql(`fragment InvitationFields on Invitation { id email role status createdAt expiresAt respondedAt organization { id name } invitedBy { id name } }`);

export const INVITE = graphql(`mutation InviteT($input: InviteMemberInput!) { inviteMember(input: $input) { ...InvitationFields } }`);
export const ACCEPT = graphql(`mutation AcceptT($id: ID!) { acceptInvitation(id: $id) { id role user { id } organization { id } } }`);
export const DECLINE = graphql(`mutation DeclineT($id: ID!) { declineInvitation(id: $id) { ...InvitationFields } }`);
export const REVOKE_INVITATION = graphql(`mutation RevokeInvitationT($id: ID!) { revokeInvitation(id: $id) { ...InvitationFields } }`);
export const MY_INVITATIONS = graphql(`query MyInvitationsT { me { invitations { ...InvitationFields } } }`);
export const ORG_INVITATIONS = graphql(`query OrgInvitationsT { me { currentOrganization { id invitations { ...InvitationFields } } } }`);

export function invite(server: Server, by: TestUser, email: string, role: Role = 'MEMBER', organizationId = by.organizationId) {
  return gql(server, INVITE, { input: { organizationId, email, role } }, by.auth);
}

/** The id of a new pending invitation of `email` by `by`. */
export async function invited(server: Server, by: TestUser, email: string, role: Role = 'MEMBER', organizationId = by.organizationId): Promise<string> {
  const data = await ok(server, INVITE, { input: { organizationId, email, role } }, by.auth);
  return data.inviteMember.id;
}
