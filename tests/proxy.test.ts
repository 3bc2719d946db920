// TRUST_PROXY: the client is the nearest hop that is no trusted proxy (proxy-addr, as Express), for
// HTTP and WebSockets alike; X-Forwarded-* from an untrusted peer count for nothing (issue #13,
// points 2 and 3). This test's fetch from 127.0.0.1 plays the proxy.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../server/process/config.js';
import { parseTrustProxy } from '../server/http/proxy.js';
import type { SignUpIdsMutation } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { documentText, gql, ok, PASSWORD, sessionSetCookie, signUp, uniqueEmail } from './helpers/graphql.js';
import { ROOT } from './helpers/process.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const SIGN_UP = graphql(`mutation SignUpIds($input: SignUpInput!) { signUp(input: $input) { token user { id } session { id } } }`);
const signUpInput = () => ({ input: { email: uniqueEmail('proxy'), password: PASSWORD, name: 'P', organizationName: 'P' } });

// On PostgreSQL the rate-limit counters are shared with every other test file: random IPv6
// documentation addresses (2001:db8::/32), each in a /64 of its own (a limiter may count per /64).
const group = () => randomBytes(2).readUInt16BE().toString(16);
const clientAddress = () => `2001:db8:${group()}:${group()}::1`;
const spoofed = (i: number) => `198.51.100.${1 + (i % 250)}`;

let oneHop: TestServer;
beforeAll(async () => {
  oneHop = await startServer({ trustProxy: parseTrustProxy('1'), rateLimits: { ...loadConfig({}).rateLimits, signUpPerAccount: 1e6, signUpPerIp: 20 } });
});
afterAll(() => oneHop?.stop());

/** The address the gateway recorded for a session: on the session and on its sign-up audit row. */
async function recorded(server: TestServer, data: SignUpIdsMutation): Promise<{ session: string | null; audit: string | null }> {
  const { prisma } = server.app.services;
  const session = await prisma.session.findUniqueOrThrow({ where: { id: data.signUp.session.id } });
  const audit = await prisma.auditEvent.findFirstOrThrow({ where: { userId: data.signUp.user.id, type: 'SIGN_UP' } });
  return { session: session.ipAddress, audit: audit.ipAddress };
}

describe('client address through trusted proxies', () => {
  it('TRUST_PROXY=1: the right-most X-Forwarded-For entry is the client; spoofed entries left of it change nothing', async () => {
    const client = clientAddress();
    const answers = [];
    for (let i = 0; i < 24; i++) {
      answers.push(await gql(oneHop, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': `${spoofed(i)}, ${client}` } }));
    }
    expect(answers.slice(0, 20).map((a) => a.code)).toEqual(Array(20).fill(undefined));
    expect(answers.slice(20).map((a) => a.code)).toEqual(Array(4).fill('RATE_LIMITED'));
    expect(answers[20]!.status).toBe(429);
    expect(await recorded(oneHop, answers[0]!.data!)).toEqual({ session: client, audit: client });
    // another client behind the same proxy is not affected
    const other = await gql(oneHop, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': `${spoofed(0)}, ${clientAddress()}` } });
    expect(other.code).toBeUndefined();
  });

  it('a list of proxies (CIDRs, names): the walk stops at the first untrusted hop', async () => {
    const listed = await startServer({ trustProxy: parseTrustProxy('loopback, 10.0.0.0/8') });
    try {
      const client = clientAddress();
      const through = await ok(listed, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': `${spoofed(1)}, ${client}, 10.1.2.3` } });
      expect(await recorded(listed, through)).toEqual({ session: client, audit: client });
      // 203.0.113.9 is no proxy of ours: it is the client, whatever it claims came before it
      const stopped = await ok(listed, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': `${client}, 203.0.113.9, 10.1.2.3` } });
      expect((await recorded(listed, stopped)).session).toBe('203.0.113.9');
    } finally {
      await listed.stop();
    }
  });

  it('trust off: X-Forwarded-For and X-Forwarded-Proto are ignored', async () => {
    const off = await startServer();
    try {
      const res = await gql(off, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': clientAddress(), 'x-forwarded-proto': 'https' } });
      expect(await recorded(off, res.data!)).toEqual({ session: '127.0.0.1', audit: '127.0.0.1' });
      expect(sessionSetCookie(res.headers)).toMatch(/^sg_session=[^;]+;(?!.*Secure)/);
    } finally {
      await off.stop();
    }
  });

  it('X-Forwarded-Proto counts only from a trusted peer: not when the proxies trusted are elsewhere', async () => {
    // 127.0.0.1 is not in the list: this peer is a client, and its headers are its own words
    const elsewhere = await startServer({ trustProxy: parseTrustProxy('10.0.0.0/8') });
    try {
      const res = await gql(elsewhere, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': clientAddress(), 'x-forwarded-proto': 'https' } });
      const cookie = sessionSetCookie(res.headers);
      expect(cookie).toMatch(/^sg_session=/);
      expect(cookie).not.toMatch(/Secure/);
      expect((await recorded(elsewhere, res.data!)).session).toBe('127.0.0.1');
    } finally {
      await elsewhere.stop();
    }
    // from a trusted peer it does make the cookie Secure
    const trusted = await gql(oneHop, SIGN_UP, signUpInput(), { headers: { 'x-forwarded-for': clientAddress(), 'x-forwarded-proto': 'https' } });
    expect(sessionSetCookie(trusted.headers)).toMatch(/^__Host-sg_session=.*; Secure/);
  });
});

describe('TRUST_PROXY parsing', () => {
  it('takes off, hop counts and proxy lists; true/yes/on mean one hop', () => {
    for (const off of [undefined, '', 'false', '0', 'off', 'no']) expect(parseTrustProxy(off)('127.0.0.1', 0), String(off)).toBe(false);
    for (const one of ['1', 'true', 'YES', 'on']) {
      const trust = parseTrustProxy(one);
      expect([trust('192.0.2.1', 0), trust('192.0.2.1', 1)], one).toEqual([true, false]);
    }
    expect(parseTrustProxy('2')('192.0.2.1', 1)).toBe(true);
    const list = parseTrustProxy('loopback, 10.0.0.0/8, 192.0.2.7, fd00::/8');
    expect(['127.0.0.1', '::1', '10.9.9.9', '192.0.2.7', 'fd00::1', '192.0.2.8', '8.8.8.8'].map((a) => list(a, 0))).toEqual([true, true, true, true, true, false, false]);
  });

  it('refuses anything else with a message naming TRUST_PROXY, and the server does not start', async () => {
    for (const bad of ['lopback', '10.0.0.0/33', '1.5', '-1', 'yes please', ',', 'example.com']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/^TRUST_PROXY: /);
    }
    const started = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: ROOT, env: { ...process.env, TRUST_PROXY: 'lopback', PORT: '0', DATA_DIR: 'memory://', DATABASE_URL: '' }, timeout: 20_000 }, (_err, _stdout, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(started.code).not.toBe(0);
    expect(started.stderr).toContain('TRUST_PROXY: "lopback" is not a proxy address');
  });
});

/** Opens a socket with the given forwarded address; 'ack' or the HTTP status of the refusal. */
async function openForwarded(server: TestServer, token: string, forwardedFor: string): Promise<{ ws: WebSocket; outcome: 'ack' | number }> {
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers: { 'x-forwarded-for': forwardedFor } });
  ws.on('error', () => undefined);
  const outcome = await new Promise<'ack' | number>((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve('ack');
    });
    ws.on('close', (code) => resolve(code));
  });
  return { ws, outcome };
}

/** Runs one operation over an open socket and returns its first result. */
function overSocket<R>(ws: WebSocket, document: TypedDocumentNode<R, Record<string, never>>): Promise<{ data?: R | null; errors?: unknown[] }> {
  const query = documentText(document);
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; id?: string; payload?: unknown };
      if (frame.id === 'op' && (frame.type === 'next' || frame.type === 'error')) resolve(frame.payload as { data?: R | null; errors?: unknown[] });
    });
    ws.send(JSON.stringify({ type: 'subscribe', id: 'op', payload: { query } }));
  });
}

describe('sockets per address', () => {
  it('behind a trusted proxy counts the forwarded client: one client\'s cap leaves the others alone', async () => {
    const capped = await startServer({ trustProxy: parseTrustProxy('1') });
    capped.config.limits.socketsPerIp = 2;
    const open: WebSocket[] = [];
    try {
      const u = await signUp(capped);
      const [a, b] = [clientAddress(), clientAddress()];
      for (let i = 0; i < 2; i++) {
        const s = await openForwarded(capped, u.token, `${spoofed(i)}, ${a}`);
        open.push(s.ws);
        expect(s.outcome).toBe('ack');
      }
      const third = await openForwarded(capped, u.token, `${spoofed(3)}, ${a}`);
      expect(third.outcome).toBe(429); // refused at the upgrade, whatever A writes left of itself
      const other = await openForwarded(capped, u.token, b);
      open.push(other.ws);
      expect(other.outcome).toBe('ack');
      // the socket's own operations record the same client address as HTTP would
      const created = await overSocket(open[0]!, graphql(`mutation CreateOrganizationViaSocket { createOrganization(input: { name: "Via socket" }) { id } }`));
      const organizationId = created.data?.createOrganization?.id;
      expect(organizationId).toBeDefined();
      const audit = await capped.app.services.prisma.auditEvent.findFirstOrThrow({ where: { organizationId, type: 'ORGANIZATION_CREATED' } });
      expect(audit.ipAddress).toBe(a);
    } finally {
      open.forEach((ws) => ws.close());
      await capped.stop();
    }
  });

  it('without trust counts the peer: X-Forwarded-For does not get around the cap', async () => {
    const capped = await startServer();
    capped.config.limits.socketsPerIp = 2;
    const open: WebSocket[] = [];
    try {
      const u = await signUp(capped);
      for (let i = 0; i < 2; i++) {
        const s = await openForwarded(capped, u.token, clientAddress());
        open.push(s.ws);
        expect(s.outcome).toBe('ack');
      }
      expect((await openForwarded(capped, u.token, clientAddress())).outcome).toBe(429);
    } finally {
      open.forEach((ws) => ws.close());
      await capped.stop();
    }
  });
});
