// The limiter's store: windows that pass (rate-limiter-flexible keeps Date.now(), not the test
// clock, so in real time), a store that fails, and no timer left behind.
import { hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RateLimiter, accountKey } from '../server/auth/rate-limit.js';
import type { PrismaClient } from '../server/db/client.js';
import { PrismaClient as GeneratedClient } from '../server/generated/prisma/client.js';
import { graphql } from './gql/index.js';
import { gql, PASSWORD, signUp } from './helpers/graphql.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);

const WINDOW_MS = 6000;
let server: TestServer;
beforeAll(async () => {
  // A window long enough for three sign-ins on a loaded machine, short enough to wait out.
  server = await startServer(limited({ signInFailuresPerAccountAndIp: 2, windowMs: WINDOW_MS }));
});
afterAll(() => server?.stop());

const attempt = (email: string, password: string, address: string) => gql(server, SIGN_IN, { input: { email, password } }, { headers: from(address) });

describe('the rate limiter store', () => {
  it("refuses a blocked pair until its window has passed, then lets the owner in", async () => {
    const user = await signUp(server);
    const at = newAddress();
    for (let i = 0; i < 2; i++) expect((await attempt(user.email, 'wrong password!', at)).code).toBe('UNAUTHENTICATED');
    const refused = await attempt(user.email, PASSWORD, at);
    expect(refused.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    await sleep(retryAfter * 1000 + 100);
    expect((await attempt(user.email, PASSWORD, at)).errors).toBeUndefined();
  });

  it('keeps no e-mail or address in clear: its keys are hashes', async () => {
    const user = await signUp(server);
    const at = newAddress();
    await attempt(user.email, 'wrong password!', at);
    // On PostgreSQL the table is shared with every other test file: look for this test's own keys.
    const keys = (await server.app.services.prisma.rateLimiterFlexible.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys).toContain(`sign-in-account:${hash('sha256', accountKey(user.email), 'hex')}`);
    expect(JSON.stringify(keys)).not.toContain(user.email.split('@')[0]);
    expect(JSON.stringify(keys)).not.toContain(at.split('::')[0]);
  });

  it('answers SERVICE_UNAVAILABLE (503), not a 500, when the store fails; a key already refused is refused from memory', async () => {
    const user = await signUp(server);
    const blockedAt = newAddress();
    // A client that cannot connect (nothing listens on port 9), behind the limiter's model only.
    const unreachable = new GeneratedClient({ adapter: new PrismaPg({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 2000 }) });
    let broken = false;
    const real = server.app.services.prisma;
    const store = new Proxy(real, {
      get: (target, property) => (broken && property === 'rateLimiterFlexible' ? unreachable.rateLimiterFlexible : Reflect.get(target, property)),
    }) as PrismaClient;
    const services = server.app.services;
    const original = services.rateLimiter;
    // A minute's window: the block must outlast this test's password checks.
    services.rateLimiter = new RateLimiter(store, { ...services.config.rateLimits, windowMs: 60_000 });
    try {
      for (let i = 0; i < 3; i++) await attempt(user.email, 'wrong password!', blockedAt);
      broken = true;
      const res = await attempt(user.email, PASSWORD, newAddress());
      expect(res.status).toBe(503);
      expect(res.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(res.errors)).not.toMatch(/prisma|ECONNREFUSED|stack/i);
      expect((await attempt(user.email, PASSWORD, blockedAt)).code).toBe('RATE_LIMITED');
    } finally {
      services.rateLimiter = original;
      await unreachable.$disconnect();
    }
    expect((await attempt(user.email, PASSWORD, newAddress())).errors).toBeUndefined();
  });

  it('starts no timer of its own (the library would start an unref\'d one per limiter)', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    try {
      new RateLimiter(server.app.services.prisma, server.config.rateLimits);
      expect(setTimeoutSpy).not.toHaveBeenCalled();
      expect(setIntervalSpy).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("leaves no interval running after app.stop() (unref'd timers do not show in getActiveResourcesInfo)", async () => {
    const running = new Set<unknown>();
    const realSetInterval = globalThis.setInterval;
    const realClearInterval = globalThis.clearInterval;
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms?: number) => {
      const handle = realSetInterval(fn, ms);
      running.add(handle);
      return handle;
    }) as typeof setInterval);
    vi.spyOn(globalThis, 'clearInterval').mockImplementation((handle) => {
      running.delete(handle);
      realClearInterval(handle);
    });
    try {
      const other = await startServer(limited({}));
      expect(running.size).toBeGreaterThan(0); // the prune timer
      await gql(other, SIGN_IN, { input: { email: 'nobody@example.test', password: 'wrong password!' } }, { headers: from(newAddress()) });
      await other.stop();
      expect(running.size).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
