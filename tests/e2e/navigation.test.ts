// Getting around in Chromium: a signed-in user who opens /login or /signup goes on to /sessions;
// an unknown address answers 404 (the app's body, from the one route list) with a way back in the
// usual frame; on a phone the header still says who and where the user is.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../server/http/web-routes.js';
import type { TestUser } from '../helpers/graphql.js';
import { signUp } from '../helpers/graphql.js';
import { device, screenshotPath, serverAndBrowser, signInInUi } from './browser.js';

const e2e = serverAndBrowser();
const NAME = 'Ada Lovelace';
const ORG = 'Analytical Engines';
let user: TestUser;
let signedIn: { context: BrowserContext; page: Page };

beforeAll(async () => {
  user = await signUp(e2e.server, { name: NAME, organizationName: ORG });
  signedIn = await device(e2e.browser);
  await signInInUi(signedIn.page, e2e.server.url, user);
  await signedIn.page.waitForURL('**/sessions');
});

describe('the sign-in and sign-up pages, signed in', () => {
  it('send a signed-in user on to /sessions', async () => {
    const { page } = signedIn;
    for (const path of [ROUTES.signIn, ROUTES.signUp]) {
      await page.goto(`${e2e.server.url}${path}`);
      await page.waitForURL('**/sessions');
      await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    }
  });

  it('stay put for someone signed out', async () => {
    const { context, page } = await device(e2e.browser);
    for (const path of [ROUTES.signIn, ROUTES.signUp]) {
      await page.goto(`${e2e.server.url}${path}`);
      await page.getByRole('button', { name: path === ROUTES.signIn ? 'Sign in' : 'Create account' }).waitFor();
      // Long enough for the session check to have answered.
      await page.waitForLoadState('networkidle');
      expect(new URL(page.url()).pathname).toBe(path);
    }
    await context.close();
  });
});

describe('an unknown address', () => {
  it('answers 404 with the app, while every route of the app answers 200', async () => {
    for (const path of ['/nope', '/sessions/extra', '/login/x', '/a/b/c']) {
      const res = await fetch(`${e2e.server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      expect(await res.text(), path).toContain('<div id="root">');
    }
    // The router ignores case and empty segments, so the server does too.
    for (const path of [...Object.values(ROUTES), '/sessions/', '/Sessions', '//account']) {
      const res = await fetch(`${e2e.server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="root">');
    }
    // A missing file is no page: the coded JSON 404.
    const asset = await fetch(`${e2e.server.url}/assets/missing.js`);
    expect(asset.status).toBe(404);
    expect(asset.headers.get('content-type')).toContain('application/json');
    const head = await fetch(`${e2e.server.url}/nope`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('shows a signed-out visitor the page in a <main>, with the way to sign in', async () => {
    const { context, page } = await device(e2e.browser);
    const response = await page.goto(`${e2e.server.url}/nope`);
    expect(response?.status()).toBe(404);
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.screenshot({ path: screenshotPath('not-found-signed-out'), fullPage: true });
    await main.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL('**/login');
    await context.close();
  });

  it('shows a signed-in user the page in the signed-in frame, with the way to the sessions', async () => {
    const { page } = signedIn;
    const response = await page.goto(`${e2e.server.url}/nope`);
    expect(response?.status()).toBe(404);
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const link of ['Sessions', 'Activity', 'Account']) expect(await nav.getByRole('link', { name: link }).count()).toBe(1);
    await page.getByRole('banner').getByText(NAME).waitFor();
    await page.screenshot({ path: screenshotPath('not-found-signed-in'), fullPage: true });
    await main.getByRole('link', { name: 'Go to your sessions' }).click();
    await page.waitForURL('**/sessions');
  });
});

describe('the header on a phone (390×844)', () => {
  it('shows the user, the organisation and role, the navigation and Sign out, all inside the screen', async () => {
    const page = await signedIn.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${e2e.server.url}/sessions`);
    const banner = page.getByRole('banner');
    const expected = [banner.getByText(NAME), banner.getByText(ORG), banner.getByRole('button', { name: 'Sign out' })];
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const link of ['Sessions', 'Activity', 'Account']) expected.push(nav.getByRole('link', { name: link }));
    for (const locator of expected) {
      await locator.waitFor();
      expect(await locator.isVisible()).toBe(true);
      const box = (await locator.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await banner.getByText(/Owner/).isVisible()).toBe(true);
    // Nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await banner.screenshot({ path: screenshotPath('header-phone') });
    await page.screenshot({ path: screenshotPath('sessions-phone-top') });
    await page.close();
  });
});
