// Forgotten-password reset (ASVS 5.0 6.4.3, 7.4.3, 14.2.1), through a real SMTP server: the link,
// what is stored, single use, expiry, no account enumeration, every session ended, limits, logs.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/tokens.js';
import { loadConfig } from '../server/process/config.js';
import { graphql } from './gql/index.js';
import { documentText, gql, ok, PASSWORD, signIn, signUp, uniqueEmail, WHO_AM_I } from './helpers/graphql.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { onPostgres, startServer } from './helpers/server.js';
import { mfaConfig, mfaUser } from './helpers/mfa.js';
import type { MailSink } from './helpers/smtp.js';
import { resetLinks, resetToken, startMailSink } from './helpers/smtp.js';
import { openLive } from './helpers/ws.js';

const REQUEST = graphql(`mutation Forgot($email: String!) { requestPasswordReset(email: $email) }`);
const RESET = graphql(`mutation Reset($input: ResetPasswordInput!) { resetPassword(input: $input) }`);
const NEW_PASSWORD = 'violet otters juggle quietly 58';

let smtp: MailSink;
let server: TestServer;
const lines: string[] = [];
/** Every secret this file saw, checked against the server's log at the end. */
const secrets = new Set<string>();

beforeAll(async () => {
  smtp = await startMailSink();
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  server = await startServer(mfaConfig({ smtpUrl: smtp.url, logLevel: 'debug' }), sink);
});
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

/** Asks for a link and returns the token of the mail it brought (the `skip` earlier ones to that address ignored). */
async function requestToken(email: string, skip = 0): Promise<string> {
  expect(await ok(server, REQUEST, { email })).toEqual({ requestPasswordReset: true });
  const token = resetToken(await smtp.waitFor(email, { skip }));
  secrets.add(token);
  return token;
}

const reset = (token: string, newPassword = NEW_PASSWORD) => gql(server, RESET, { input: { token, newPassword } });

describe('requestPasswordReset', () => {
  it('mails a link whose fragment holds a 256-bit token, in text and HTML; the database keeps only its hash', async () => {
    const u = await signUp(server);
    await ok(server, REQUEST, { email: u.email.toUpperCase() });
    const mail = await smtp.waitFor(u.email);
    const links = resetLinks(mail);
    expect(links.length).toBeGreaterThanOrEqual(2); // the text part and the HTML part (href and shown)
    expect(mail.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mail.raw).toMatch(/Content-Type: text\/html/i);
    const port = new URL(server.url).port;
    expect(links[0]).toMatch(new RegExp(`^http://localhost:${port}/reset-password#token=[A-Za-z0-9_-]{43}$`));
    const token = resetToken(mail);
    secrets.add(token);
    expect(token).toHaveLength(43);
    const rows = await server.app.services.prisma.passwordReset.findMany({ where: { userId: u.userId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const ttl = rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime();
    expect(ttl).toBe(30 * 60_000);
  });

  it('answers an unknown address exactly as a known one, and sends it nothing', async () => {
    const known = await signUp(server);
    const unknown = uniqueEmail('nobody');
    const raw = async (email: string) => {
      const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: documentText(REQUEST), variables: { email } }) });
      return { status: res.status, body: await res.text(), cookie: res.headers.get('set-cookie') };
    };
    const [a, b] = [await raw(known.email), await raw(unknown)];
    expect(b).toEqual(a);
    expect(a).toEqual({ status: 200, body: '{"data":{"requestPasswordReset":true}}', cookie: null });
    await smtp.waitFor(known.email);
    await server.app.services.passwordResets.drain();
    expect(smtp.to(unknown)).toHaveLength(0);
    const audits = await server.app.services.prisma.auditEvent.findMany({ where: { type: 'PASSWORD_RESET_REQUESTED', userId: null } });
    expect(audits.some((e) => (e.details as { reason?: string } | null)?.reason === 'UNKNOWN_ACCOUNT')).toBe(true);
  });

  it('a second request invalidates the first link', async () => {
    const u = await signUp(server);
    const first = await requestToken(u.email);
    const second = await requestToken(u.email, 1);
    expect(second).not.toBe(first);
    expect((await reset(first)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect((await reset(second)).data?.resetPassword).toBe(true);
  });
});

describe('resetPassword', () => {
  it('works once: every session and socket ends with PASSWORD_RESET, no session is issued, the old password stops working', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.subscribe();
    const token = await requestToken(u.email);
    const res = await reset(token);
    expect(res.data?.resetPassword).toBe(true);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await socket.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === u.sessionId)).reason).toBe('PASSWORD_RESET');
    expect((await socket.closed).code).toBe(4403);
    for (const session of [u, other]) expect((await gql(server, WHO_AM_I, undefined, session.auth)).code).toBe('UNAUTHENTICATED');
    const rows = await server.app.services.prisma.session.findMany({ where: { userId: u.userId } });
    expect(rows.map((r) => r.revokedReason)).toEqual(['PASSWORD_RESET', 'PASSWORD_RESET']);
    expect((await gql(server, graphql(`mutation SignInWithNewPassword($i: SignInInput!) { signIn(input: $i) { token } }`), { i: { email: u.email, password: PASSWORD } })).code).toBe('UNAUTHENTICATED');
    await signIn(server, { email: u.email, password: NEW_PASSWORD });
    expect((await reset(token, 'another long pass phrase 93')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    const types = (await server.app.services.prisma.auditEvent.findMany({ where: { userId: u.userId }, orderBy: { createdAt: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['PASSWORD_RESET_REQUESTED', 'PASSWORD_RESET']));
  });

  it('two concurrent uses of one link: exactly one succeeds', async () => {
    const u = await signUp(server);
    const token = await requestToken(u.email);
    const results = await Promise.all([reset(token), reset(token, 'second racing pass phrase 71'), reset(token, 'third racing pass phrase 17')]);
    expect(results.filter((r) => r.data?.resetPassword === true)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.field === 'token')).toHaveLength(2);
  });

  it('refuses a weak new password with field newPassword, and the link stays usable', async () => {
    const u = await signUp(server);
    const token = await requestToken(u.email);
    expect((await reset(token, 'short')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect((await reset(token, 'password123')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect((await reset(token)).data?.resetPassword).toBe(true);
  });

  it('refuses malformed and unknown tokens alike', async () => {
    for (const token of ['', 'x', 'A'.repeat(43), `${'A'.repeat(43)}\u0000`]) {
      const res = await reset(token);
      expect(res.errors?.[0]?.extensions?.field ?? res.code, JSON.stringify(token)).toMatch(/^(token|BAD_USER_INPUT)$/);
    }
  });

  it('does not bypass MFA: the new password alone answers MFA_REQUIRED', async () => {
    const u = await mfaUser(server);
    const token = await requestToken(u.email);
    expect((await reset(token)).data?.resetPassword).toBe(true);
    const res = await gql(server, graphql(`mutation SignInWithNewPassword($i: SignInInput!) { signIn(input: $i) { token } }`), { i: { email: u.email, password: NEW_PASSWORD } });
    expect(res.code).toBe('MFA_REQUIRED');
    expect(res.data).toBeNull();
  });

  it('refuses a link after 30 minutes', async () => {
    const u = await signUp(server);
    const token = await requestToken(u.email);
    server.clock.advance(31 * 60_000);
    expect((await reset(token)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'token' }, message: expect.stringMatching(/invalid, expired or already used/) });
  });
});

describe('limits and logs', () => {
  it('limits requests per account and per address, known or not; without SMTP_URL answers true, sends nothing and warns at start', async () => {
    const startLog: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => startLog.push(chunk.toString()));
    const limitedServer = await startServer({ ...limited({ passwordResetPerAccount: 2, passwordResetPerIp: 4 }), logLevel: 'info' }, sink);
    try {
      const notice = startLog.join('').split('\n').find((l) => /SMTP_URL is not set: password reset is disabled/.test(l));
      // A warning on PostgreSQL (a deployment); a note on the embedded default (a first try-out).
      expect((JSON.parse(notice ?? '{}') as { level?: number }).level).toBe(onPostgres ? 40 : 30);
      const u = await signUp(limitedServer);
      const address = from(newAddress());
      const ask = (email: string) => gql(limitedServer, REQUEST, { email }, { headers: address });
      for (const email of [u.email, uniqueEmail('ghost')]) {
        expect((await ask(email)).data).toEqual({ requestPasswordReset: true });
        expect((await ask(email)).data).toEqual({ requestPasswordReset: true });
      }
      // Both accounts are at their 2; the address at its 4.
      const third = await ask(u.email);
      expect(third.code).toBe('RATE_LIMITED');
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await gql(limitedServer, REQUEST, { email: uniqueEmail('fresh') }, { headers: address })).code).toBe('RATE_LIMITED');
      expect((await gql(limitedServer, REQUEST, { email: uniqueEmail('fresh') }, { headers: from(newAddress()) })).code).toBeUndefined();
      expect(await limitedServer.app.services.prisma.passwordReset.count({ where: { userId: u.userId } })).toBe(0);
    } finally {
      await limitedServer.stop();
    }
  });

  it('refuses at start an SMTP_URL or PUBLIC_URL that cannot be right, without repeating a password', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:secret@mail.example' })).toThrow(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
    expect(() => loadConfig({ SMTP_URL: 'not a url secret' })).toThrow(/^(?!.*secret)/);
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example:465' }).smtpUrl).toBe('smtps://u:p@mail.example:465');
    for (const bad of ['ftp://app.example', 'https://app.example/?next=x', 'https://app.example/#x', 'https://u:p@app.example', 'app.example']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
    expect(loadConfig({ PUBLIC_URL: 'https://App.Example:8443/gateway/' }).publicUrl).toBe('https://app.example:8443/gateway');
    expect(loadConfig({}).passwordResetTtlMs).toBe(30 * 60_000);
  });

  it('never logs a reset token, its hash, or an address', async () => {
    await server.app.services.passwordResets.drain();
    await new Promise((r) => setTimeout(r, 50));
    const text = lines.join('\n');
    expect(text).toMatch(/mail sent/);
    expect(secrets.size).toBeGreaterThan(3);
    for (const token of secrets) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(hashToken(token));
    }
    expect(text).not.toMatch(/@example\.test/);
  });
});
