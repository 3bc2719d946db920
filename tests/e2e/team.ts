// The organisation the administration tests play in: its owner, a MEMBER and an ADMIN, each of the
// two colleagues also owning an organisation of their own (so their sign-in asks which).
import type { TestUser } from '../helpers/graphql.js';
import { inviteAndAccept, signUp } from '../helpers/graphql.js';
import type { TestServer } from '../helpers/server.js';

export const ORG = 'Analytical Engines';

export async function analyticalEngines(server: TestServer): Promise<{ owner: TestUser; member: TestUser; admin: TestUser }> {
  const owner = await signUp(server, { name: 'Ada Lovelace', organizationName: ORG });
  const member = await signUp(server, { name: 'Charles Babbage', organizationName: 'Difference Engines' });
  const admin = await signUp(server, { name: 'Mary Somerville', organizationName: 'Physical Sciences' });
  await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
  await inviteAndAccept(server, owner, owner.organizationId, admin, 'ADMIN');
  return { owner, member, admin };
}
