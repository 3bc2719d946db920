// Generators of text, values and variables, and the valid operations documents are made from.
import type { Arbitrary } from 'fast-check';
import fc from 'fast-check';
import type { KnownIds } from './targets.js';

/** Characters that trip parsers, encoders and terminals. */
const ODD_TEXT = ['\u0000', '\uFEFF', '\u200B', '\u202E', '\uD800', '\uDFFF', '😀', '\u0130', '\r\n', '\t', '\u2028', '\\', '"', '"""', '#', '\u{10FFFF}', '%00', '${', '{{', 'ﬀ'];

export const oddText: Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 6 })
  .map((parts) => parts.join(''));

/** From 1 KB to past the 100 KB body limit. */
export const hugeText: Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 120_000 }), fc.constantFrom('a', 'é', '😀', '{', '\\u0000 '))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

export const graphqlName: Arbitrary<string> = fc.oneof(
  fc.constantFrom('me', 'sessions', 'auditEvents', 'id', 'email', 'token', 'organization', 'members', 'user', '__typename', '__schema', '__type', 'signIn', 'signOut', 'query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'null', 'input', 'first'),
  fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,12}$/),
);

/** A printable ASCII string (what fetch accepts in a header value). */
export function asciiString(maxLength: number): Arbitrary<string> {
  return fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
}

/** JSON nested `depth` levels, to probe recursion in parsers and coercion. */
function deepJson(depth: number, array: boolean): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}

const scalarJunk: Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  oddText,
  fc.constantFrom(2 ** 31, -1, 0, 1e21, -0, '1', 'true', 'OWNER', 'owner', '', ' ', '00000000-0000-0000-0000-000000000000', 'not-a-uuid'),
);

export const anyValue: Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarJunk,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(graphqlName, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const hostileValue: Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyValue },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean()).map(([d, a]) => deepJson(d, a)) },
);

type VariableKind = 'int' | 'id' | 'input';

export interface Operation {
  query: string;
  variables: Record<string, VariableKind>;
}

/** Valid operations of schema.graphql, with the kind of each variable. */
export const OPERATIONS: Operation[] = [
  { query: '{ me { id email name createdAt currentOrganization { id name slug } currentOrganizationRole memberships { id role organization { id name } } } }', variables: {} },
  { query: 'query Sessions { sessions { id isCurrent browser os device location ipAddress userAgent createdAt lastActiveAt expiresAt revokedAt revokedReason role organization { id members { id role user { id email } } } } }', variables: {} },
  { query: 'query Audit($first: Int!) { auditEvents(first: $first) { id type createdAt details ipAddress userAgent sessionId organization { id } } }', variables: { first: 'int' } },
  { query: 'mutation Revoke($id: ID!) { revokeSession(id: $id) { id revokedAt revokedReason } }', variables: { id: 'id' } },
  { query: 'mutation SignIn($input: SignInInput!) { signIn(input: $input) { token user { id } session { id } } }', variables: { input: 'input' } },
  { query: 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id } } }', variables: { input: 'input' } },
  { query: 'mutation Switch($organizationId: ID!) { switchOrganization(organizationId: $organizationId) { token } }', variables: { organizationId: 'id' } },
  { query: 'mutation CreateOrg($input: CreateOrganizationInput!) { createOrganization(input: $input) { id slug members { role } } }', variables: { input: 'input' } },
  { query: 'mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { id role email status organization { id } } }', variables: { input: 'input' } },
  { query: 'mutation Accept($id: ID!) { acceptInvitation(id: $id) { id role user { email } } }', variables: { id: 'id' } },
  { query: '{ me { invitations { id email role status expiresAt invitedBy { id } organization { id name invitations { id } } } } }', variables: {} },
  { query: 'mutation Remove($input: RemoveMemberInput!) { removeMember(input: $input) { id } }', variables: { input: 'input' } },
  { query: 'mutation Role($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role } }', variables: { input: 'input' } },
  { query: 'mutation Password($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount } }', variables: { input: 'input' } },
  { query: 'mutation { revokeOtherSessions { revokedCount } }', variables: {} },
  { query: 'mutation { refreshSession { token session { id } } }', variables: {} },
  { query: 'mutation { signOut }', variables: {} },
  { query: 'subscription Events { sessionEvents { type reason session { id isCurrent } } }', variables: {} },
  { query: '{ __schema { queryType { name } types { name kind fields { name } } } }', variables: {} },
  { query: 'query Frag { me { ...U memberships { ...M } } } fragment U on User { id email } fragment M on Membership { role }', variables: {} },
  { query: 'query Dirs($on: Boolean!) { me { id @include(if: $on) name @skip(if: true) } }', variables: { on: 'int' } },
  { query: '{ __typename a: me { id } b: sessions { id } }', variables: {} },
];

const INPUT_FIELDS = ['email', 'password', 'name', 'organizationName', 'organizationId', 'role', 'userId', 'currentPassword', 'newPassword'];

function plausibleValue(kind: VariableKind, known: KnownIds): Arbitrary<unknown> {
  if (kind === 'int') return fc.oneof(fc.constantFrom(0, 1, 50, 1000, -1, 2 ** 31, 2 ** 53, true), fc.integer(), scalarJunk);
  if (kind === 'id') return fc.oneof(fc.uuid(), fc.constantFrom(...known.sessionIds, ...known.organizationIds, ...known.userIds), scalarJunk);
  const field = fc.oneof(
    fc.constantFrom(...known.emails, ...known.organizationIds, ...known.userIds, 'OWNER', 'ADMIN', 'MEMBER', 'guest', 'short'),
    fc.emailAddress(),
    hostileValue,
  );
  return fc.oneof({ weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...INPUT_FIELDS, 'extra'), field, { maxKeys: 5 }) }, { weight: 1, arbitrary: hostileValue });
}

/** Variables for `op`: plausible values, wrong types, nulls for non-nulls, or not an object at all. */
export function variablesFor(op: Operation, known: KnownIds): Arbitrary<unknown> {
  const shaped = fc.record(Object.fromEntries(Object.entries(op.variables).map(([name, kind]) => [name, fc.oneof(plausibleValue(kind, known), fc.constant(null))])), { requiredKeys: [] });
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileValue });
}
