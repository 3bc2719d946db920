// A signed-out visitor's pages ask nothing of the server: no socket, no request refused with 401,
// no error on the page. Signing in opens one socket; signing out and being kicked close it cleanly.
import type { Page, WebSocket } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { PASSWORD, ok, signIn, signUp } from '../helpers/graphql.js';
import { device, serverAndBrowser, sessionCards, signInInUi } from './browser.js';

const e2e = serverAndBrowser();

/** What a page does that a signed-out visitor should never see. */
function watch(page: Page) {
  const seen = { sockets: [] as WebSocket[], unauthorized: [] as string[], pageErrors: [] as string[], consoleErrors: [] as string[] };
  page.on('websocket', (ws) => seen.sockets.push(ws));
  page.on('response', (r) => {
    if (r.status() === 401) seen.unauthorized.push(`${r.request().postData() ?? r.url()}`);
  });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.consoleErrors.push(m.text());
  });
  return seen;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

/** Back to a signed-in page after the session ended: sent to /login, no new socket, nothing refused, no error. */
async function revisitQuietly(page: Page, seen: ReturnType<typeof watch>): Promise<void> {
  await page.goto(`${e2e.server.url}/sessions`);
  await page.waitForURL('**/login');
  await settle();
  expect(seen.sockets.length).toBe(1);
  expect(seen).toMatchObject({ unauthorized: [], pageErrors: [], consoleErrors: [] });
}

describe('a signed-out visitor', () => {
  it('opens /, /sessions and /login: no socket, no 401, no error', async () => {
    const { context, page } = await device(e2e.browser);
    const seen = watch(page);
    await page.goto(`${e2e.server.url}/`);
    await page.waitForURL('**/login');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await settle();
    await page.goto(`${e2e.server.url}/sessions`);
    await page.waitForURL('**/login');
    await settle();
    await page.goto(`${e2e.server.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await settle();
    expect(seen).toEqual({ sockets: [], unauthorized: [], pageErrors: [], consoleErrors: [] });
    // A first visit says nothing about an ended session: there was none.
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  it('signs in: one socket; signs out: the socket closes, the hint goes, and the pages stay quiet', async () => {
    const user = await signUp(e2e.server, { name: 'Quiet Visitor' });
    const { context, page } = await device(e2e.browser);
    const seen = watch(page);
    await signInInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await page.getByText('Live', { exact: true }).waitFor();
    await settle();
    expect(seen.sockets.length).toBe(1);
    const socket = seen.sockets[0]!;
    const cookies = await context.cookies();
    // The session cookie stays HttpOnly; only its hint is readable by the page.
    expect(cookies.find((c) => c.name === 'sg_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookies.find((c) => c.name === 'sg_signed_in')).toMatchObject({ value: '1', httpOnly: false, sameSite: 'Lax' });

    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await expect.poll(() => socket.isClosed()).toBe(true);
    expect((await context.cookies()).map((c) => c.name)).toEqual([]);

    await revisitQuietly(page, seen);
    await context.close();
  });

  it('a kicked tab (revoked from the API) lands on /login with the message, without an error', async () => {
    const user = await signUp(e2e.server, { name: 'Kicked Visitor', password: PASSWORD });
    const { context, page } = await device(e2e.browser);
    const seen = watch(page);
    await signInInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await page.getByText('Live', { exact: true }).waitFor();
    const browserSession = await sessionCards(page).first().getAttribute('data-session-id');
    expect(browserSession).toBeTruthy();
    const other = await signIn(e2e.server, user);
    await ok(e2e.server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: browserSession ?? '' }, other.auth);
    await page.waitForURL('**/login', { timeout: 5_000 });
    expect(await page.getByRole('alert').first().textContent()).toContain('This session was signed out from another device.');
    await expect.poll(() => seen.sockets.every((s) => s.isClosed())).toBe(true);
    // Back to a signed-in page: the kick dropped the hint too, so nothing is asked of the server.
    await revisitQuietly(page, seen);
    await context.close();
  });
});
