// axe-core on every page of the web app, in Chromium: the public pages (sign-in, sign-up, forgot
// and reset password, 404), the signed-in ones (sessions, activity, account, organisation with its members, 404),
// forms showing their errors, an open dialog, and a phone's viewport. Zero violations each.
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../helpers/graphql.js';
import { inviteAndAccept, signIn, signUp } from '../helpers/graphql.js';
import { UA, screenshotPath, serverAndBrowser, signInInUi } from './browser.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const e2e = serverAndBrowser();
let owner: TestUser;
let signedIn: BrowserContext;

/**
 * A context for axe: the page's CSP (script-src 'self') would refuse the injected script, so this
 * one context bypasses it; everything else is as a visitor's.
 */
async function axeContext(viewport = { width: 1100, height: 800 }): Promise<BrowserContext> {
  const context = await e2e.browser.newContext({ bypassCSP: true, viewport });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Runs axe on the page as it is, and fails with each violation's rule, elements and summary. */
async function expectNoViolations(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe.run(document));
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`);
  expect(found, `${what}:\n${found.join('\n')}`).toEqual([]);
  // The rules that ran include the landmark ones the pages once failed.
  const ran = [...results.passes, ...results.incomplete, ...results.inapplicable].map((r) => r.id);
  expect(ran).toEqual(expect.arrayContaining(['landmark-one-main', 'region', 'color-contrast']));
}

/** Opens `path`, waits for its title and for loading to end. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${e2e.server.url}${path}`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await expect.poll(() => page.locator('.loading').count()).toBe(0);
}

beforeAll(async () => {
  owner = await signUp(e2e.server, { name: 'Ada Lovelace', organizationName: 'Analytical Engines' });
  const member = await signUp(e2e.server, { name: 'Charles Babbage', organizationName: 'Difference Engines' });
  await inviteAndAccept(e2e.server, owner, owner.organizationId, member, 'MEMBER');
  // Other clients in the list and the activity: a phone, curl.
  await signIn(e2e.server, owner, undefined, { 'user-agent': UA.iphone });
  await signIn(e2e.server, owner, undefined, { 'user-agent': 'curl/8.5.0' });
  signedIn = await axeContext();
  const page = await signedIn.newPage();
  await signInInUi(page, e2e.server.url, owner);
  await page.waitForURL('**/sessions');
  await page.close();
});

afterAll(async () => {
  await signedIn?.close();
});

describe('axe finds nothing on the public pages', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await axeContext();
    page = await context.newPage();
  });
  afterAll(() => context.close());

  // The reset page with a token (its form) before the one without (the "ask for a new link" step):
  // the other way round, the second would be a same-page move to a fragment, not a page load.
  for (const path of ['/login', '/signup', '/forgot-password', `/reset-password#token=${'a'.repeat(43)}`, '/reset-password', '/nope']) {
    it(path, async () => {
      await open(page, path);
      await expectNoViolations(page, path);
    });
  }

  it('/signup with every field in error', async () => {
    await open(page, '/signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('[aria-invalid="true"]').count()).toBe(4);
    await expectNoViolations(page, 'sign-up errors');
  });

  it('/login with a wrong password', async () => {
    await open(page, '/login');
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill('certainly not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail or password is wrong.').waitFor();
    await expectNoViolations(page, 'sign-in error');
  });
});

describe('axe finds nothing on the signed-in pages', () => {
  let page: Page;
  beforeAll(async () => {
    page = await signedIn.newPage();
  });
  afterAll(() => page.close());

  it('/sessions, with the live list', async () => {
    await open(page, '/sessions');
    await page.getByText('Live', { exact: true }).waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Active sessions' }).getByRole('listitem').count()).toBe(4);
    await expectNoViolations(page, '/sessions');
  });

  it('/sessions, with the revoke dialog open', async () => {
    await page.getByRole('button', { name: /^Revoke curl/ }).click();
    await page.getByRole('dialog').getByText('will be signed out at once').waitFor();
    await expectNoViolations(page, 'revoke dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('/activity', async () => {
    await open(page, '/activity');
    await page.getByRole('list', { name: 'Audit events' }).waitFor();
    await expectNoViolations(page, '/activity');
  });

  it('/account', async () => {
    await open(page, '/account');
    await page.getByRole('region', { name: 'Password' }).waitFor();
    await expectNoViolations(page, '/account');
  });

  it('/organization, with the members, their sessions and the audit trail', async () => {
    await open(page, '/organization');
    await page.getByRole('list', { name: 'Organisation sessions' }).waitFor();
    await page.getByRole('list', { name: 'Members' }).waitFor();
    await expectNoViolations(page, '/organization');
  });

  it('/organization, with an error on the invite row', async () => {
    await page.getByLabel('E-mail address').fill('not-an-address');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByText('Enter a valid e-mail address.').waitFor();
    await expectNoViolations(page, 'invite error');
  });

  it('/nope, signed in', async () => {
    await open(page, '/nope');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expectNoViolations(page, '/nope signed in');
  });
});

describe('axe finds nothing on a phone (390×844)', () => {
  it('/sessions and /login', async () => {
    const page = await signedIn.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, '/sessions');
    await page.getByText('Live', { exact: true }).waitFor();
    await expectNoViolations(page, '/sessions on a phone');
    await page.screenshot({ path: screenshotPath('accessibility-sessions-phone'), fullPage: true });
    await page.close();

    const context = await axeContext({ width: 390, height: 844 });
    const signedOut = await context.newPage();
    await open(signedOut, '/login');
    await expectNoViolations(signedOut, '/login on a phone');
    await context.close();
  });
});
