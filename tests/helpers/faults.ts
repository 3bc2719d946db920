// Shared steps of the fault tests: many sessions of one user, each with a subscribed socket, and
// what those sockets heard after their sessions were revoked.
import { expect } from 'vitest';
import type { TestUser } from './graphql.js';
import { signIn } from './graphql.js';
import type { LiveSocket } from './ws.js';
import { openLive } from './ws.js';

interface Target {
  graphqlUrl: string;
  wsUrl: string;
}

/** `count` more sessions of `user` (in `organizationId`, else their first organisation), signed in through `server`, a few at a time. */
export async function signInMany(server: Target, user: TestUser, count: number, organizationId?: string): Promise<TestUser[]> {
  const sessions: TestUser[] = [];
  while (sessions.length < count) {
    const batch = Math.min(10, count - sessions.length);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => signIn(server, user, organizationId)))));
  }
  return sessions;
}

/** A session and its subscribed socket. */
export interface Tab {
  session: TestUser;
  socket: LiveSocket;
}

/**
 * A subscribed socket on `server` for each session; resolves once every one of them heard the
 * CREATED event of a sign-in through `server` (the proof that each subscription runs).
 */
export async function subscribedTabs(server: Target, user: TestUser, sessions: TestUser[]): Promise<Tab[]> {
  const tabs = await Promise.all(sessions.map(async (session) => ({ session, socket: await openLive(server.wsUrl, { token: session.token }) })));
  for (const { socket } of tabs) socket.subscribe();
  for (let attempt = 0; ; attempt++) {
    const probe = await signIn(server, user);
    const heard = await Promise.all(tabs.map(({ socket }) => socket.waitForEvent((e) => e.type === 'CREATED' && e.session.id === probe.sessionId, 1000).then(() => true, () => false)));
    if (heard.every(Boolean)) return tabs;
    if (attempt === 5) throw new Error(`only ${heard.filter(Boolean).length} of ${tabs.length} sockets subscribed`);
  }
}

/** One new session of `user` through `server`, with its subscribed socket. */
export async function oneTab(server: Target, user: TestUser): Promise<Tab> {
  const session = await signIn(server, user);
  const [tab] = await subscribedTabs(server, user, [session]);
  if (!tab) throw new Error('no tab');
  return tab;
}

/** Events a tab received after `at` (performance.now()), other than its own session's REVOKED. */
export function eventsAfter({ socket, session }: Tab, at: number): number {
  return socket.events.filter((e) => e.at > at && !(e.type === 'REVOKED' && e.session.id === session.sessionId)).length;
}

/** The number of events all `tabs` received after `at`, other than their own REVOKED. */
export const allEventsAfter = (tabs: Tab[], at: number): number => tabs.reduce((n, tab) => n + eventsAfter(tab, at), 0);

/** Sockets of `tabs` still open. */
export const stillOpen = (tabs: Tab[]): number => tabs.filter(({ socket }) => socket.ws.readyState === socket.ws.OPEN).length;

/**
 * Every socket is closed with 4403 within `timeoutMs`, after its own REVOKED event; resolves to the
 * time of the last close (performance.now()).
 */
export async function allKicked(tabs: Tab[], timeoutMs: number): Promise<number> {
  const closes = await Promise.all(tabs.map(({ socket }) => Promise.race([socket.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))])));
  const open = closes.filter((c) => c === null).length;
  expect(open, `${open} of ${tabs.length} revoked sockets still open after ${timeoutMs} ms`).toBe(0);
  expect(closes.map((c) => c?.code)).toEqual(tabs.map(() => 4403));
  expect(tabs.filter(({ socket, session }) => !socket.events.some((e) => e.type === 'REVOKED' && e.session.id === session.sessionId)).length).toBe(0);
  return Math.max(...closes.map((c) => c?.at ?? 0));
}

/**
 * After a fault: no revoked socket heard anything after `revokedAt` but its own REVOKED, and the
 * last one closed within `limitMs` of `from` (printed with `label` for the closing figures).
 */
export function expectQuietKick(tabs: Tab[], { label, revokedAt, lastClose, from, what, limitMs }: { label: string; revokedAt: number; lastClose: number; from: number; what: string; limitMs: number }): void {
  expect(allEventsAfter(tabs, revokedAt)).toBe(0);
  console.log(`FAULT ${label}: last of ${tabs.length} revoked sockets closed ${Math.round(lastClose - from)} ms after ${what}`);
  expect(lastClose - from).toBeLessThan(limitMs);
}
