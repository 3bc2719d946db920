// Organisation set-ups shared by the organisation tests.
import { graphql } from '../gql/index.js';
import type { TestUser } from './graphql.js';
import { inviteAndAccept, ok, signIn, signUp } from './graphql.js';
import type { TestServer } from './server.js';

const REMOVE = graphql(`mutation RemoveFormerMember($input: RemoveMemberInput!) { removeMember(input: $input) { id } }`);

/**
 * Makes `user` a former member of a new organisation Z: added, signed in there once (so Z is in
 * their own audit trail, Query.auditEvents' organization), then removed by Z's owner.
 */
export async function formerMember(server: TestServer, user: TestUser): Promise<{ orgId: string; owner: TestUser }> {
  const owner = await signUp(server, { organizationName: 'Org Z' });
  await inviteAndAccept(server, owner, owner.organizationId, user, 'MEMBER');
  await signIn(server, user, owner.organizationId);
  await ok(server, REMOVE, { input: { organizationId: owner.organizationId, userId: user.userId } }, owner.auth);
  return { orgId: owner.organizationId, owner };
}
