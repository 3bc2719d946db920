// Strings the database cannot store (issue #13 point 8). U+0000 is refused by PostgreSQL's text
// (SQLSTATE 22021) and was a 500; a lone UTF-16 surrogate is not UTF-8 and was stored as U+FFFD.
// Whatever carries them — any argument, variables or inline literals, HTTP or WebSocket — the
// answer is BAD_USER_INPUT (400, with the field), and nothing is written. Control characters are
// refused in names and e-mails.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createErrorMasker } from '../server/graphql/mask-errors.js';
import { graphql } from './gql/index.js';
import type { GqlResponse } from './helpers/graphql.js';
import { documentText, gql, ok, PASSWORD, rawGql, signUp, uniqueEmail } from './helpers/graphql.js';
import { serverWithOwner } from './helpers/per-file.js';
import { openLive } from './helpers/ws.js';

const file = serverWithOwner();

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);
const SIGN_UP = graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`);
const CREATE_ORG = graphql(`mutation CreateOrganization($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`);
const ADD = graphql(`mutation InviteNul($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`);
const SWITCH = graphql(`mutation SwitchOrganization($id: ID!) { switchOrganization(organizationId: $id) { token } }`);
const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);
const CHANGE_PASSWORD = graphql(`mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount } }`);

/** NUL (raw and written as an escape), lone surrogates (leading and trailing). */
const UNSTORABLE: [string, string][] = [
  ['NUL', '\u0000'],
  ['lone leading surrogate', '\ud800'],
  ['lone trailing surrogate', '\udfff'],
];

/** A fresh marker per case: what the database is searched for afterwards. */
function marker(): string {
  return `m${randomBytes(5).toString('hex')}`;
}

/** Rows a case could have written, found by its marker, plus the owner's own rows. */
async function footprint(m: string): Promise<number[]> {
  const { prisma } = file.server.app.services;
  return Promise.all([
    prisma.user.count({ where: { OR: [{ email: { contains: m } }, { name: { contains: m } }] } }),
    prisma.organization.count({ where: { name: { contains: m } } }),
    prisma.membership.count({ where: { organizationId: file.owner.organizationId } }),
    prisma.session.count({ where: { userId: file.owner.userId } }),
    prisma.auditEvent.count({ where: { userId: file.owner.userId } }),
  ]);
}

function expectRefused(res: GqlResponse<unknown>, field: string | undefined): void {
  expect(res.status, JSON.stringify(res.errors)).toBe(400);
  expect(res.code).toBe('BAD_USER_INPUT');
  expect(res.data ?? null).toBeNull();
  if (field) expect(res.errors?.[0]?.extensions?.field).toBe(field);
}

interface Case {
  name: string;
  field: string;
  send(bad: string, m: string): Promise<GqlResponse<unknown>>;
}

const cases: Case[] = [
  { name: 'signIn email', field: 'email', send: (bad, m) => gql(file.server, SIGN_IN, { input: { email: `${m}${bad}@example.test`, password: PASSWORD } }) },
  { name: 'signIn password', field: 'password', send: (bad) => gql(file.server, SIGN_IN, { input: { email: file.owner.email, password: `${PASSWORD}${bad}` } }) },
  { name: 'signUp email', field: 'email', send: (bad, m) => gql(file.server, SIGN_UP, { input: { email: `${m}${bad}@example.test`, password: PASSWORD, name: m, organizationName: m } }) },
  { name: 'signUp name', field: 'name', send: (bad, m) => gql(file.server, SIGN_UP, { input: { email: uniqueEmail(m), password: PASSWORD, name: `Ada ${m}${bad}`, organizationName: m } }) },
  { name: 'signUp organizationName', field: 'organizationName', send: (bad, m) => gql(file.server, SIGN_UP, { input: { email: uniqueEmail(m), password: PASSWORD, name: m, organizationName: `Org ${m}${bad}` } }) },
  { name: 'signUp password', field: 'password', send: (bad, m) => gql(file.server, SIGN_UP, { input: { email: uniqueEmail(m), password: `${PASSWORD}${bad}`, name: m, organizationName: m } }) },
  { name: 'createOrganization name', field: 'name', send: (bad, m) => gql(file.server, CREATE_ORG, { input: { name: `Org ${m}${bad}` } }, file.owner.auth) },
  { name: 'inviteMember email', field: 'email', send: (bad, m) => gql(file.server, ADD, { input: { organizationId: file.owner.organizationId, email: `${m}${bad}@example.test`, role: 'MEMBER' } }, file.owner.auth) },
  { name: 'inviteMember organizationId', field: 'organizationId', send: (bad, m) => gql(file.server, ADD, { input: { organizationId: `${file.owner.organizationId}${bad}`, email: `${m}@example.test`, role: 'MEMBER' } }, file.owner.auth) },
  { name: 'switchOrganization id', field: 'organizationId', send: (bad) => gql(file.server, SWITCH, { id: `${file.owner.organizationId}${bad}` }, file.owner.auth) },
  { name: 'revokeSession id', field: 'id', send: (bad) => gql(file.server, REVOKE, { id: `${file.owner.sessionId}${bad}` }, file.owner.auth) },
  // A user of its own: on a server that took the password, the owner's token would change.
  { name: 'changePassword newPassword', field: 'newPassword', send: async (bad) => gql(file.server, CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: `new ${PASSWORD}${bad}` } }, (await signUp(file.server)).auth) },
];

describe('unstorable characters in variables', () => {
  for (const [what, bad] of UNSTORABLE) {
    it.each(cases)(`${what} in $name → BAD_USER_INPUT, nothing written`, async ({ field, send }) => {
      const m = marker();
      const before = await footprint(m);
      expectRefused(await send(bad, m), field);
      expect(await footprint(m)).toEqual(before);
    });
  }
});

describe('unstorable characters in inline literals', () => {
  it('refuses NUL written raw, as \\u0000, as \\u{0} and in a block string', async () => {
    for (const literal of ['"a\u0000b@example.test"', '"a\\u0000b@example.test"', '"a\\u{0}b@example.test"', '"""a\u0000b@example.test"""']) {
      const m = marker();
      const before = await footprint(m);
      const res = await rawGql(file.server, `mutation { signIn(input: { email: ${literal.replace('a', m)}, password: "${PASSWORD}" }) { token } }`);
      expectRefused(res, 'email');
      expect(await footprint(m)).toEqual(before);
    }
    const m = marker();
    const org = await rawGql(file.server, `mutation { createOrganization(input: { name: "Org ${m}\\u0000" }) { id } }`, undefined, file.owner.auth);
    expectRefused(org, 'name');
    const id = await rawGql(file.server, `mutation { revokeSession(id: "${file.owner.sessionId}\\u0000") { id } }`, undefined, file.owner.auth);
    expectRefused(id, 'id');
    expect(await file.server.app.services.prisma.organization.count({ where: { name: { contains: m } } })).toBe(0);
  });

  it('refuses NUL in a variable default value, naming the field that uses it', async () => {
    const res = await rawGql(file.server, `mutation($e: String = "a\\u0000@example.test") { signIn(input: { email: $e, password: "${PASSWORD}" }) { token } }`);
    expectRefused(res, 'email');
  });

  it('a lone surrogate in a literal is a parse error (graphql-js refuses it), not a 500', async () => {
    for (const literal of ['"a\\uD800@example.test"', '"a\udc00@example.test"']) {
      const res = await rawGql(file.server, `mutation { signIn(input: { email: ${literal}, password: "${PASSWORD}" }) { token } }`);
      // Parse errors are 200 for an application/json client (GraphQL over HTTP), 400 otherwise.
      expect(res.status).toBe(200);
      expect(res.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.data ?? null).toBeNull();
    }
  });
});

describe('unstorable characters over the WebSocket', () => {
  it('answers a subscribe message carrying NUL or a lone surrogate with a BAD_USER_INPUT error; the socket stays open', async () => {
    const socket = await openLive(file.server.wsUrl, { token: file.owner.token });
    const m = marker();
    const before = await footprint(m);
    socket.send({ type: 'subscribe', id: 'v', payload: { query: documentText(CREATE_ORG), variables: { input: { name: `Org ${m}\u0000` } } } });
    socket.send({ type: 'subscribe', id: 's', payload: { query: documentText(CREATE_ORG), variables: { input: { name: `Org ${m}\ud800` } } } });
    socket.send({ type: 'subscribe', id: 'l', payload: { query: `mutation { createOrganization(input: { name: "Org ${m}\\u0000" }) { id } }` } });
    for (const id of ['v', 's', 'l']) {
      // Refused in validation (a literal): an `error` frame; before execution (variables): a `next` frame with the errors.
      const frame = await socket.waitForFrame((f) => f.id === id && (f.type === 'error' || f.type === 'next'));
      const errors = (frame.type === 'error' ? frame.payload : (frame.payload as { errors?: unknown[] }).errors) as { extensions?: { code?: string; field?: string } }[];
      expect(errors[0]?.extensions, JSON.stringify(socket.frames)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    }
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    expect(await footprint(m)).toEqual(before);
    socket.close();
  });
});

describe('control characters in names and e-mails', () => {
  const controls = ['\u0007', '\n', '\u001b', '\u007f', '\u0085', '\u2028'];
  it.each(controls.map((c) => [`U+${c.codePointAt(0)?.toString(16).padStart(4, '0')}`, c]))('refuses %s inside a name, an organisation name or an e-mail', async (_label, c) => {
    const m = marker();
    const before = await footprint(m);
    expectRefused(await gql(file.server, SIGN_UP, { input: { email: uniqueEmail(m), password: PASSWORD, name: `Ada${c}Lovelace ${m}`, organizationName: m } }), 'name');
    expectRefused(await gql(file.server, SIGN_UP, { input: { email: uniqueEmail(m), password: PASSWORD, name: m, organizationName: `Org${c}${m}` } }), 'organizationName');
    expectRefused(await gql(file.server, SIGN_UP, { input: { email: `${m}${c}x@example.test`, password: PASSWORD, name: m, organizationName: m } }), 'email');
    expectRefused(await gql(file.server, CREATE_ORG, { input: { name: `Org${c}${m}` } }, file.owner.auth), 'name');
    expect(await footprint(m)).toEqual(before);
  });

  it('still trims surrounding whitespace and accepts a password with control characters', async () => {
    const u = await signUp(file.server, { name: '  Ada Lovelace\n', password: `tab\there bell\u0007 ${PASSWORD}` });
    expect((await file.server.app.services.prisma.user.findUniqueOrThrow({ where: { id: u.userId } })).name).toBe('Ada Lovelace');
    await ok(file.server, SIGN_IN, { input: { email: u.email, password: u.password } });
  });
});

describe('headers and the last line of defence', () => {
  /** One raw HTTP request: the status line of the answer. */
  function rawStatus(userAgent: Buffer): Promise<string> {
    const { port } = new URL(file.server.url);
    const body = JSON.stringify({ query: documentText(SIGN_IN), variables: { input: { email: uniqueEmail(), password: PASSWORD } } });
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(Buffer.concat([Buffer.from('POST /graphql HTTP/1.1\r\nHost: x\r\nUser-Agent: '), userAgent, Buffer.from(`\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)]));
      });
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
    });
  }

  it("Node's HTTP parser refuses NUL and other control bytes in a User-Agent before the gateway sees it", async () => {
    for (const byte of [0x00, 0x01, 0x07, 0x1b, 0x7f]) {
      expect(await rawStatus(Buffer.from([0x61, byte, 0x62]))).toBe('HTTP/1.1 400 Bad Request');
    }
    // Bytes above 0x7f arrive as Latin-1 characters, which PostgreSQL stores.
    expect(await rawStatus(Buffer.from([0x61, 0x80, 0xff, 0x62]))).toMatch(/^HTTP\/1\.1 401/);
  });

  it('the error masker turns a real SQLSTATE 22021 into BAD_USER_INPUT (400)', async () => {
    const err = await file.server.app.services.prisma.$queryRaw`SELECT ${'a\u0000b'}::text`.then(() => null, (e: unknown) => e);
    expect(err).not.toBeNull();
    const masked = createErrorMasker(pino({ level: 'silent' }))(err) as { extensions?: { code?: string; http?: { status?: number } } };
    expect(masked.extensions).toMatchObject({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});
