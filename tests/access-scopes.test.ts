// The access rules declared with authScopes (server/schema/scopes.ts), tried from outside. The root
// fields are read from the schema itself, so a new one cannot be forgotten: it is public by name
// here, or it refuses a request without a live session with 401 UNAUTHENTICATED. The manager
// fields refuse a MEMBER (FORBIDDEN), another tenant's organisation (NOT_FOUND), and change nothing.
import { randomUUID } from 'node:crypto';
import type { GraphQLField, GraphQLInputType } from 'graphql';
import { getNamedType, isAbstractType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../server/graphql/errors.js';
import { schema } from '../server/schema/index.js';
import type { Auth, GqlResponse, TestUser } from './helpers/graphql.js';
import { inviteAndAccept, cookieOf, rawGql, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive } from './helpers/ws.js';

/** Answer without a session by design: they sign in, or stand a challenge or a reset token in for one. */
const PUBLIC = ['signUp', 'signIn', 'completeSignIn', 'startTotpEnrollment', 'confirmTotpEnrollment', 'requestPasswordReset', 'resetPassword'];
/** Refuse without a session but carry no scope: signOut clears the cookie before its check. */
const CHECKED_IN_RESOLVER = ['signOut'];
const MANAGER_FIELDS = ['inviteMember', 'updateMemberRole', 'removeMember', 'revokeMemberSessions', 'revokeMemberSession', 'revokeOrganizationSessions', 'setOrganizationMfaRequirement', 'createWebhookEndpoint'];
/** Scoped by organisation too, for OWNERs and ADMINs, without a recent authentication: they only read. */
const ADMIN_READS = ['organizationSessionEvents'];
const OWNER_ONLY = ['revokeOrganizationSessions', 'setOrganizationMfaRequirement', 'createWebhookEndpoint'];

type Kind = 'query' | 'mutation' | 'subscription';
interface RootField {
  kind: Kind;
  field: GraphQLField<unknown, unknown>;
}

const rootFields: RootField[] = (
  [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const
).flatMap(([kind, type]) => (type ? Object.values(type.getFields()).map((field) => ({ kind, field })) : []));

function scopesOf(field: GraphQLField<unknown, unknown>): unknown {
  return (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes;
}

type Values = Record<string, unknown>;

/** A value for an argument or input field: `named[name]` when given, else a well-formed placeholder. */
function valueOf(type: GraphQLInputType, name: string, named: Values): unknown {
  if (isNonNullType(type)) return valueOf(type.ofType, name, named);
  if (name in named) return named[name];
  if (isListType(type)) return [valueOf(type.ofType, name, named)];
  if (isInputObjectType(type)) return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, valueOf(f.type, f.name, named)]));
  if (isEnumType(type)) return type.getValues()[0]!.name;
  return { Boolean: true, Int: 1, Float: 1, ID: randomUUID() }[type.name] ?? 'a long enough placeholder 123456';
}

/** The smallest operation that reaches the field, with its required arguments. */
function operation({ kind, field }: RootField, named: Values = {}): { query: string; variables: Values } {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const type = getNamedType(field.type);
  const selection = isObjectType(type) || isAbstractType(type) ? ' { __typename }' : '';
  return {
    query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, a.name, named)])),
  };
}

function call(target: RootField, auth: Auth = {}, named: Values = {}): Promise<GqlResponse<Values>> {
  const { query, variables } = operation(target, named);
  return rawGql(server, query, variables, auth);
}

const byName = (name: string): RootField => rootFields.find((r) => r.field.name === name) ?? expect.unreachable(name);
const guarded = () => rootFields.filter((r) => !PUBLIC.includes(r.field.name));

/** An error as the client sees it, where in the answer aside. */
const shown = (res: GqlResponse<Values>) => ({ status: res.status, message: res.errors?.[0]?.message, extensions: res.errors?.[0]?.extensions });

let server: TestServer;
let a: { orgId: string; owner: TestUser; admin: TestUser; member: TestUser; newcomer: TestUser };
let b: { orgId: string; owner: TestUser };

beforeAll(async () => {
  server = await startServer();
  const owner = await signUp(server, { organizationName: 'Scopes A' });
  const [admin, member, newcomer] = [await signUp(server), await signUp(server), await signUp(server)];
  await inviteAndAccept(server, owner, owner.organizationId, admin, 'ADMIN');
  await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
  a = { orgId: owner.organizationId, owner, admin: await signIn(server, admin, owner.organizationId), member: await signIn(server, member, owner.organizationId), newcomer };
  const ownerB = await signUp(server, { organizationName: 'Scopes B' });
  b = { orgId: ownerB.organizationId, owner: ownerB };
});
afterAll(() => server?.stop());

async function snapshot() {
  const { prisma } = server.app.services;
  return {
    sessions: await prisma.session.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
    memberships: await prisma.membership.findMany({ orderBy: { id: 'asc' } }),
    organizations: await prisma.organization.findMany({ orderBy: { id: 'asc' } }),
  };
}

describe('the schema declares its gates', () => {
  it('every root field is public by name, carries a scope, or is the one checked in its resolver', () => {
    for (const { field } of rootFields) {
      const scoped = scopesOf(field) !== undefined;
      if (PUBLIC.includes(field.name)) expect(scoped, `${field.name} is public`).toBe(false);
      else expect(scoped || CHECKED_IN_RESOLVER.includes(field.name), `${field.name} has no scope`).toBe(true);
    }
    expect(rootFields.filter((r) => typeof scopesOf(r.field) === 'function').map((r) => r.field.name).sort()).toEqual([...MANAGER_FIELDS, ...ADMIN_READS].sort());
  });
});

describe('signedIn: no live session, no access', () => {
  it('every guarded root field refuses an anonymous request with 401 UNAUTHENTICATED, and changes nothing', async () => {
    const before = await snapshot();
    for (const target of guarded()) {
      const res = await call(target);
      expect(res.code, target.field.name).toBe('UNAUTHENTICATED');
      expect(res.status, target.field.name).toBe(401);
      expect(res.errors?.[0]?.message, target.field.name).toBe(ERRORS.UNAUTHENTICATED.message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a revoked session is refused the same way by every guarded field, by cookie too', async () => {
    const u = await signUp(server);
    await rawGql(server, 'mutation { signOut }', undefined, u.auth);
    // signOut checks in its resolver (requireAuth itself): a scope's refusal must be that same error.
    const expected = shown(await call(byName('signOut'), u.auth));
    expect(expected).toMatchObject({ status: 401, extensions: { code: 'UNAUTHENTICATED' } });
    for (const target of guarded()) {
      expect(shown(await call(target, u.auth)), target.field.name).toEqual(expected);
      const byCookie = await call(target, cookieOf(u.token));
      expect(byCookie.code, target.field.name).toBe('UNAUTHENTICATED');
      // A cookie that can never work again is cleared, as before the scopes.
      expect(byCookie.headers.get('set-cookie'), target.field.name).toMatch(/sg_session=;/);
    }
  });

  it('a reused token revokes its session (TOKEN_REUSE) through the scope, and is refused as requireAuth refuses it', async () => {
    const u = await signUp(server);
    const refreshed = await rawGql<{ refreshSession: { token: string } }>(server, 'mutation { refreshSession { token } }', undefined, u.auth);
    const fresh = refreshed.data!.refreshSession.token;
    server.clock.advance(31_000); // past the old token's grace
    const res = await call(byName('me'), u.auth);
    expect(res).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.revokedReason).toBe('TOKEN_REUSE');
    expect(shown(await call(byName('sessions'), { token: fresh }))).toEqual(shown(await call(byName('signOut'), { token: fresh })));
  });

  it('a subscription is refused at subscribe without a session (over HTTP), and served with one over the socket', async () => {
    const res = await call(byName('sessionEvents'));
    expect(res).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    // With a session, the scope passes and the field's own rule answers: subscriptions are for sockets.
    expect((await call(byName('sessionEvents'), a.owner.auth)).code).toBe('BAD_USER_INPUT');
    const u = await signUp(server);
    const live = await openLive(server.wsUrl, { token: u.token });
    live.subscribe('s1');
    const other = await signIn(server, u);
    const event = await live.waitForEvent((e) => e.type === 'CREATED' && e.session.id === other.sessionId);
    expect(event.session.isCurrent).toBe(false);
    live.close();
  });

  it('one session check per request, however many fields carry the scope', async () => {
    const { sessions } = server.app.services;
    const real = sessions.authenticate;
    let checks = 0;
    sessions.authenticate = (...args) => {
      checks += 1;
      return real.apply(sessions, args);
    };
    try {
      const res = await rawGql(server, '{ me { id } sessions { id } auditEvents(first: 1) { id } }', undefined, a.owner.auth);
      expect(res.errors).toBeUndefined();
      expect(checks).toBe(1);
    } finally {
      sessions.authenticate = real;
    }
  });
});

describe('organizationRole: the manager fields', () => {
  /** The arguments of a manager field, aimed at `orgId` and its member. */
  const at = (orgId: string): Values => ({ organizationId: orgId, userId: a.member.userId, email: a.newcomer.email, role: 'MEMBER', required: false });

  it('a MEMBER is FORBIDDEN every one of them (an ADMIN the owner-only ones), with its reason, and nothing changes', async () => {
    const before = await snapshot();
    for (const name of MANAGER_FIELDS) {
      const res = await call(byName(name), a.member.auth, at(a.orgId));
      expect(res.code, name).toBe('FORBIDDEN');
      expect(res.status, name).toBe(403);
      expect(res.errors?.[0]?.message, name).toMatch(/^Only an owner/);
    }
    for (const name of OWNER_ONLY) {
      const res = await call(byName(name), a.admin.auth, at(a.orgId));
      expect(res.code, name).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message, name).toMatch(/^Only an owner can /);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("another tenant's organisation, an unknown one and a malformed id are NOT_FOUND, to an OWNER too", async () => {
    const before = await snapshot();
    for (const name of MANAGER_FIELDS) {
      for (const [label, orgId] of [['another tenant', b.orgId], ['unknown', randomUUID()], ['malformed', 'not-a-uuid']] as const) {
        const res = await call(byName(name), a.owner.auth, at(orgId));
        expect(res.code, `${name}, ${label}`).toBe('NOT_FOUND');
        expect(res.status, `${name}, ${label}`).toBe(404);
        expect(res.errors?.[0]?.message, `${name}, ${label}`).toBe('Organization not found.');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the manager passes the scope: the resolver then answers (here: an ADMIN cannot target an OWNER)', async () => {
    const res = await call(byName('revokeMemberSessions'), a.admin.auth, { ...at(a.orgId), userId: a.owner.userId });
    expect(res.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toBe('Only an owner can sign out an owner.');
    await expect(call(byName('revokeMemberSessions'), a.admin.auth, at(a.orgId)).then((r) => r.errors)).resolves.toBeUndefined();
  });

  it('past the re-authentication window: recency first where it was first, the role first for the MFA requirement', async () => {
    const member = await signIn(server, a.member, a.orgId);
    server.clock.advance(301_000);
    for (const name of MANAGER_FIELDS.filter((n) => n !== 'setOrganizationMfaRequirement')) {
      expect((await call(byName(name), member.auth, at(a.orgId))).code, name).toBe('REAUTHENTICATION_REQUIRED');
      expect((await call(byName(name), member.auth, at(b.orgId))).code, name).toBe('REAUTHENTICATION_REQUIRED');
    }
    expect((await call(byName('setOrganizationMfaRequirement'), member.auth, at(a.orgId))).code).toBe('FORBIDDEN');
    expect((await call(byName('setOrganizationMfaRequirement'), a.owner.auth, at(a.orgId))).code).toBe('REAUTHENTICATION_REQUIRED');
    // recentAuth alone: the user's own sessions.
    expect((await call(byName('revokeOtherSessions'), member.auth)).code).toBe('REAUTHENTICATION_REQUIRED');
  });
});
