// The error map (server/graphql/errors.ts) from outside: every public code is answered, with the
// map's status, by some request over real HTTP; the schema's ErrorCode enum lists exactly those
// codes; and no answer, HTTP or a socket's frame, carries a code outside the map.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { PrismaPg } from '@prisma/adapter-pg';
import { isEnumType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../server/auth/rate-limit.js';
import { PrismaClient as GeneratedClient } from '../server/generated/prisma/client.js';
import type { PublicErrorCode } from '../server/graphql/errors.js';
import { ERRORS, isPublicErrorCode, PUBLIC_ERROR_CODES } from '../server/graphql/errors.js';
import { schema } from '../server/schema/index.js';
import { graphql } from './gql/index.js';
import type { AnyDocument, TestUser } from './helpers/graphql.js';
import { documentText, signUp } from './helpers/graphql.js';
import type { MfaUser } from './helpers/mfa.js';
import { mfaConfig, mfaUser } from './helpers/mfa.js';
import { serverForFile } from './helpers/per-file.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import { openLive } from './helpers/ws.js';

// One reset request per address: the second is RATE_LIMITED.
const file = serverForFile(() => mfaConfig(limited({ passwordResetPerIp: 1 })));

const SIGN_IN = graphql(`mutation ErrorCodesSignIn($i: SignInInput!) { signIn(input: $i) { token } }`);
const SIGN_UP = graphql(`mutation ErrorCodesSignUp($i: SignUpInput!) { signUp(input: $i) { token } }`);
const REVOKE = graphql(`mutation ErrorCodesRevoke($id: ID!) { revokeSession(id: $id) { id } }`);
const REVOKE_OTHERS = graphql(`mutation ErrorCodesRevokeOthers { revokeOtherSessions { revokedCount } }`);
const RESET = graphql(`mutation ErrorCodesReset($e: String!) { requestPasswordReset(email: $e) }`);
const EVENTS = graphql(`query ErrorCodesEvents($n: Int!) { auditEvents(first: $n) { id } }`);

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

interface Answer {
  status: number;
  errors: { message: string; extensions?: { code?: unknown; field?: unknown; http?: unknown } }[];
}

/** Every code any answer of this file carried. */
const seen = new Set<unknown>();

function answer(status: number, text: string): Answer {
  let errors: Answer['errors'] = [];
  try {
    errors = (JSON.parse(text) as { errors?: Answer['errors'] }).errors ?? [];
  } catch {
    // not JSON: no errors to read
  }
  for (const e of errors) seen.add(e.extensions?.code);
  return { status, errors };
}

async function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const res = await fetch(`${file.server.url}${path}`, { method, headers, body });
  return answer(res.status, await res.text());
}

interface PostOptions {
  variables?: unknown;
  operationName?: string;
  accept?: string;
  headers?: Record<string, string>;
}

function post(document: AnyDocument | string, options: PostOptions = {}): Promise<Answer> {
  const query = typeof document === 'string' ? document : documentText(document);
  const headers = { 'content-type': JSON_TYPE, accept: options.accept ?? JSON_TYPE, ...options.headers };
  return send('POST', '/graphql', headers, JSON.stringify({ query, variables: options.variables, operationName: options.operationName }));
}

const bearer = (user: TestUser): Record<string, string> => ({ authorization: `Bearer ${user.token}` });

/** A POST without Content-Length (chunked): fetch always sends one. */
function chunkedPost(): Promise<Answer> {
  const url = new URL(file.server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/graphql', headers: { 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(answer(res.statusCode ?? 0, text)));
    });
    req.on('error', reject);
    req.write('{"query":"{ __typename }"}');
    req.end();
  });
}

/** The rate limiter, for one request, replaced by `limiter`. */
async function withLimiter(limiter: RateLimiter, run: () => Promise<Answer>): Promise<Answer> {
  const services = file.server.app.services;
  const original = services.rateLimiter;
  services.rateLimiter = limiter;
  try {
    return await run();
  } finally {
    services.rateLimiter = original;
  }
}

let owner: TestUser;
let totpUser: MfaUser;
let unenrolled: TestUser;
beforeAll(async () => {
  owner = await signUp(file.server);
  totpUser = await mfaUser(file.server);
  unenrolled = await signUp(file.server);
  await file.server.app.services.prisma.organization.update({ where: { id: unenrolled.organizationId }, data: { requireMfa: true } });
});

interface Case {
  code: PublicErrorCode;
  status: number;
  what: string;
  field?: string;
  answer: () => Promise<Answer>;
}

const deepQuery = `{ sessions { ${'organization { members { organization { members { '.repeat(3)}id${' } } } }'.repeat(3)} } }`;

const CASES: Case[] = [
  { code: 'UNAUTHENTICATED', status: 401, what: 'a query without a session', answer: () => post('{ me { id } }') },
  { code: 'UNAUTHENTICATED', status: 401, what: 'a wrong password (INVALID_CREDENTIALS)', answer: () => post(SIGN_IN, { variables: { i: { email: owner.email, password: 'not the password at all' } } }) },
  { code: 'MFA_REQUIRED', status: 401, what: 'the password of an account with TOTP', answer: () => post(SIGN_IN, { variables: { i: { email: totpUser.email, password: totpUser.password } } }) },
  { code: 'FORBIDDEN', status: 403, what: 'revokeSession of the current session', answer: () => post(REVOKE, { variables: { id: owner.sessionId }, headers: bearer(owner) }) },
  { code: 'MFA_ENROLLMENT_REQUIRED', status: 403, what: 'a sign-in where the organisation requires MFA', answer: () => post(SIGN_IN, { variables: { i: { email: unenrolled.email, password: unenrolled.password } } }) },
  { code: 'NOT_FOUND', status: 404, what: 'revokeSession of an unknown session', answer: () => post(REVOKE, { variables: { id: randomUUID() }, headers: bearer(owner) }) },
  { code: 'NOT_FOUND', status: 404, what: 'a missing file', answer: () => send('GET', '/nope.js', {}) },
  { code: 'BAD_USER_INPUT', status: 400, what: 'a required variable left out', field: 'n', answer: () => post(EVENTS, { variables: {}, headers: bearer(owner) }) },
  { code: 'BAD_USER_INPUT', status: 400, what: 'a variable with a field of the wrong type', field: 'i.email', answer: () => post(SIGN_IN, { variables: { i: { email: 1, password: 'x' } } }) },
  { code: 'BAD_USER_INPUT', status: 400, what: 'a NUL in an input', field: 'email', answer: () => post(SIGN_IN, { variables: { i: { email: 'a\u0000@b.co', password: 'x' } } }) },
  { code: 'BAD_REQUEST', status: 400, what: 'a body without a query', answer: () => send('POST', '/graphql', { 'content-type': JSON_TYPE }, '{"variables":{}}') },
  { code: 'BAD_REQUEST', status: 400, what: 'a body that is not JSON', answer: () => send('POST', '/graphql', { 'content-type': JSON_TYPE }, '{"query":') },
  { code: 'BAD_REQUEST', status: 403, what: 'a GET without the CSRF header', answer: () => send('GET', '/graphql?query=%7B__typename%7D', { accept: JSON_TYPE }) },
  { code: 'BAD_REQUEST', status: 405, what: 'a mutation over GET', answer: () => send('GET', '/graphql?query=mutation%7BsignOut%7D', { accept: JSON_TYPE, 'x-graphql-csrf': '1' }) },
  { code: 'BAD_REQUEST', status: 405, what: 'a PUT', answer: () => send('PUT', '/graphql', { 'content-type': JSON_TYPE }, '{"query":"{ __typename }"}') },
  { code: 'BAD_REQUEST', status: 406, what: 'an Accept it cannot serve', answer: () => post('{ __typename }', { accept: 'foo/bar' }) },
  { code: 'BAD_REQUEST', status: 411, what: 'a body without a Content-Length', answer: chunkedPost },
  { code: 'BAD_REQUEST', status: 413, what: 'a body over the size limit', answer: () => post(`{ __typename } # ${'x'.repeat(200_000)}`) },
  { code: 'BAD_REQUEST', status: 415, what: 'a body that is not JSON by its type', answer: () => send('POST', '/graphql', { 'content-type': 'application/xml' }, '{"query":"{ __typename }"}') },
  { code: 'CONFLICT', status: 409, what: 'a sign-up with a taken e-mail address', field: 'email', answer: () => post(SIGN_UP, { variables: { i: { email: owner.email, password: 'another long passphrase', name: 'N', organizationName: 'O' } } }) },
  {
    code: 'RATE_LIMITED',
    status: 429,
    what: 'a second reset request from one address',
    answer: async () => {
      const headers = from(newAddress());
      await post(RESET, { variables: { e: owner.email }, headers });
      return post(RESET, { variables: { e: owner.email }, headers });
    },
  },
  { code: 'GRAPHQL_PARSE_FAILED', status: 400, what: 'a syntax error (graphql-response+json)', answer: () => post('{ me { id }', { accept: GRAPHQL_RESPONSE }) },
  { code: 'GRAPHQL_PARSE_FAILED', status: 200, what: 'a syntax error (application/json)', answer: () => post('{ me { id }') },
  { code: 'GRAPHQL_PARSE_FAILED', status: 400, what: 'more tokens than the limit', answer: () => post(`{ me { ${'id '.repeat(1200)} } }`, { accept: GRAPHQL_RESPONSE }) },
  { code: 'GRAPHQL_VALIDATION_FAILED', status: 400, what: 'an unknown field (graphql-response+json)', answer: () => post('{ me { emial } }', { accept: GRAPHQL_RESPONSE }) },
  { code: 'GRAPHQL_VALIDATION_FAILED', status: 200, what: 'an unknown field (application/json)', answer: () => post('{ me { emial } }') },
  { code: 'GRAPHQL_VALIDATION_FAILED', status: 200, what: 'a document deeper than the limit', answer: () => post(deepQuery, { accept: GRAPHQL_RESPONSE, headers: bearer(owner) }) },
  { code: 'OPERATION_RESOLUTION_FAILURE', status: 400, what: 'an operationName that names no operation', answer: () => post('{ me { id } }', { operationName: 'Nope' }) },
  { code: 'OPERATION_RESOLUTION_FAILURE', status: 400, what: 'two operations and no operationName', answer: () => post('query A { me { id } } query B { me { id } }') },
  {
    code: 'SERVICE_UNAVAILABLE',
    status: 503,
    what: 'a database that does not answer (the rate limiter on one where nothing listens)',
    answer: async () => {
      const unreachable = new GeneratedClient({ adapter: new PrismaPg({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 2000 }) });
      try {
        return await withLimiter(new RateLimiter(unreachable, file.server.config.rateLimits), () => post(RESET, { variables: { e: owner.email }, headers: from(newAddress()) }));
      } finally {
        await unreachable.$disconnect();
      }
    },
  },
  {
    code: 'INTERNAL_SERVER_ERROR',
    status: 500,
    what: 'a fault of the server (a rate limiter that throws)',
    answer: () => {
      const faulty = Object.assign(Object.create(file.server.app.services.rateLimiter) as RateLimiter, { passwordReset: () => Promise.reject(new TypeError('a bug')) });
      return withLimiter(faulty, () => post(RESET, { variables: { e: owner.email }, headers: from(newAddress()) }));
    },
  },
  // Last: it moves the server's clock past the re-authentication window.
  {
    code: 'REAUTHENTICATION_REQUIRED',
    status: 403,
    what: 'revokeOtherSessions long after the sign-in',
    answer: () => {
      file.server.clock.advance(file.server.config.reauthWindowMs + 1000);
      return post(REVOKE_OTHERS, { headers: bearer(owner) });
    },
  },
];

describe('every code of the map, over HTTP', () => {
  it('has a request that answers it with its status, and the schema lists exactly the public codes', () => {
    for (const code of PUBLIC_ERROR_CODES) expect(CASES.some((c) => c.code === code && c.status === ERRORS[code].status), code).toBe(true);
    const type = schema.getType('ErrorCode');
    expect(isEnumType(type) ? type.getValues().map((v) => v.name).sort() : null).toEqual([...PUBLIC_ERROR_CODES].sort());
  });

  for (const c of CASES) {
    it(`${c.code} ${c.status}: ${c.what}`, async () => {
      const res = await c.answer();
      expect({ status: res.status, code: res.errors[0]?.extensions?.code }, JSON.stringify(res.errors)).toEqual({ status: c.status, code: c.code });
      if (c.field) expect(res.errors[0]?.extensions?.field).toBe(c.field);
      // The map's message unless the error says more; never an internal one.
      if (c.code === 'INTERNAL_SERVER_ERROR' || c.code === 'SERVICE_UNAVAILABLE') expect(res.errors[0]?.message).toBe(ERRORS[c.code].message);
    });
  }
});

describe('over a socket', () => {
  it("codes every refusal from the map, without the HTTP status: parse, limits, variables, operation", async () => {
    const socket = await openLive(file.server.wsUrl, { token: owner.token });
    const subscribes: [string, PublicErrorCode, Record<string, unknown>][] = [
      ['parse', 'GRAPHQL_PARSE_FAILED', { query: '{ me { id }' }],
      ['tokens', 'GRAPHQL_PARSE_FAILED', { query: `{ me { ${'id '.repeat(1200)} } }` }],
      ['depth', 'GRAPHQL_VALIDATION_FAILED', { query: deepQuery }],
      ['unknown field', 'GRAPHQL_VALIDATION_FAILED', { query: '{ me { emial } }' }],
      ['operation', 'OPERATION_RESOLUTION_FAILURE', { query: '{ me { id } }', operationName: 'Nope' }],
      ['query variable', 'BAD_USER_INPUT', { query: 'query Q($n: Int!) { auditEvents(first: $n) { id } }', variables: {} }],
      // graphql-js coerces a subscription's variables itself, outside the execute hooks.
      ['subscription variable', 'BAD_USER_INPUT', { query: 'subscription S($b: Boolean!) { sessionEvents { type @include(if: $b) } }', variables: {} }],
    ];
    for (const [id, code, payload] of subscribes) {
      socket.send({ type: 'subscribe', id, payload });
      const frame = await socket.waitForFrame((f) => f.id === id && (f.type === 'error' || f.type === 'next'));
      const errors = (frame.type === 'error' ? frame.payload : (frame.payload as { errors?: unknown }).errors) as Answer['errors'];
      for (const e of errors) seen.add(e.extensions?.code);
      expect(errors.map((e) => e.extensions?.code), id).toEqual([code]);
      expect(errors[0]?.extensions?.http, id).toBeUndefined();
      if (id.endsWith('variable')) expect(errors[0]?.extensions?.field, id).toBe(id.startsWith('query') ? 'n' : 'b');
    }
    socket.close();
  });
});

describe('no code outside the map', () => {
  it('in any answer of this file', () => {
    expect(seen.size).toBeGreaterThan(5);
    for (const code of seen) expect(isPublicErrorCode(code), String(code)).toBe(true);
  });
});
