// A small GraphQL-over-HTTP client for tests: bearer token or cookie jar, raw status and headers.
import { randomBytes } from 'node:crypto';
import type { TestServer } from './server.js';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GqlResponse<T> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: GqlError[] | undefined;
  /** The first error's code, for terse assertions. */
  code: string | undefined;
}

export interface Auth {
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

export async function gql<T = Record<string, unknown>>(server: Pick<TestServer, 'graphqlUrl'>, query: string, variables?: Record<string, unknown>, auth: Auth = {}): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...auth.headers };
  if (auth.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie !== undefined) headers.cookie = auth.cookie;
  const res = await fetch(server.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  let body: { data?: T | null; errors?: GqlError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response (${res.status}): ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors, code: body.errors?.[0]?.extensions?.code };
}

/** Throws with the errors when a request that should succeed does not. */
export async function ok<T = Record<string, unknown>>(server: Pick<TestServer, 'graphqlUrl'>, query: string, variables?: Record<string, unknown>, auth?: Auth): Promise<T> {
  const res = await gql<T>(server, query, variables, auth);
  if (res.errors?.length || !res.data) throw new Error(`GraphQL request failed (${res.status}): ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** The session cookie as a request sends it. */
export const cookieOf = (token: string): Auth => ({ cookie: `sg_session=${token}` });

/** The token of a session cookie an answer sets, if it sets one. */
export const newTokenIn = (headers: Headers): string | undefined => /sg_session=([A-Za-z0-9_-]{43})/.exec(headers.get('set-cookie') ?? '')?.[1];

/** The session cookie's own Set-Cookie line (its readable hint, sg_signed_in, comes beside it). */
export const sessionSetCookie = (headers: Headers): string => headers.getSetCookie().find((c) => /^(__Host-)?sg_session=/.test(c)) ?? '';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}@example.test`;
}

export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  organizationId: string;
  sessionId: string;
  token: string;
  auth: Auth;
}

const AUTH_FIELDS = 'token user { id email } session { id organization { id } }';

interface AuthPayloadData {
  token: string;
  user: { id: string; email: string };
  session: { id: string; organization: { id: string } };
}

function toUser(p: AuthPayloadData, password: string): TestUser {
  return { userId: p.user.id, email: p.user.email, password, organizationId: p.session.organization.id, sessionId: p.session.id, token: p.token, auth: { token: p.token } };
}

export async function signUp(server: Pick<TestServer, 'graphqlUrl'>, input: Partial<{ email: string; password: string; name: string; organizationName: string }> = {}, headers?: Record<string, string>): Promise<TestUser> {
  const password = input.password ?? PASSWORD;
  const data = await ok<{ signUp: AuthPayloadData }>(
    server,
    `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email: uniqueEmail(), name: 'Test User', organizationName: 'Test Org', ...input, password } },
    { headers },
  );
  return toUser(data.signUp, password);
}

export async function signIn(server: Pick<TestServer, 'graphqlUrl'>, user: Pick<TestUser, 'email' | 'password'>, organizationId?: string, headers?: Record<string, string>): Promise<TestUser> {
  const data = await ok<{ signIn: AuthPayloadData }>(
    server,
    `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email: user.email, password: user.password, organizationId } },
    { headers },
  );
  return toUser(data.signIn, user.password);
}

/** Creates a second organisation owned by `owner` and adds `member` to it with `role`. */
export async function createOrganization(server: Pick<TestServer, 'graphqlUrl'>, owner: TestUser, name = 'Second Org'): Promise<string> {
  const data = await ok<{ createOrganization: { id: string } }>(server, 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { name } }, owner.auth);
  return data.createOrganization.id;
}

export async function addMember(server: Pick<TestServer, 'graphqlUrl'>, by: TestUser, organizationId: string, email: string, role: 'OWNER' | 'ADMIN' | 'MEMBER'): Promise<void> {
  await ok(server, 'mutation($input: AddMemberInput!) { addMember(input: $input) { id } }', { input: { organizationId, email, role } }, by.auth);
}
