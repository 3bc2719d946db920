// Debian's Chromium through playwright-core, and the page-level steps the tests share.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../server/process/config.js';
import { serverForFile, started } from '../helpers/per-file.js';
import type { TestServer } from '../helpers/server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The file's gateway and browser: started before its tests (the server first), closed after them
 * (the browser first). `overrides` is read in beforeAll, after any hook the file registered earlier.
 */
export function serverAndBrowser(overrides?: () => Partial<Config>): { readonly server: TestServer; readonly browser: Browser } {
  const file = serverForFile(overrides);
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get server() {
      return file.server;
    },
    get browser() {
      return started('browser', browser);
    },
  };
}

/** A "device": its own cookie jar, with one tab open. */
export async function device(browser: Browser, options: { userAgent?: string; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: options.height ?? 800 },
    userAgent: options.userAgent,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

export const UA = {
  linuxChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  macSafari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  windowsFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
};

export async function signUpInUi(page: Page, baseUrl: string, user: { name: string; email: string; password: string; organizationName: string }): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Your name').fill(user.name);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Organisation name').fill(user.organizationName);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signInInUi(page: Page, baseUrl: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A colleague's own browser, signed in to `organizationName` (they belong to two: the sign-in asks
 * which), on the sessions page with its socket live.
 */
export async function tabIn(browser: Browser, baseUrl: string, who: { email: string; password: string }, organizationName: string, userAgent = UA.macSafari): Promise<Page> {
  const { page } = await device(browser, { userAgent });
  await signInInUi(page, baseUrl, who);
  await page.getByRole('radio', { name: new RegExp(organizationName) }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL('**/sessions');
  await page.getByText('Live', { exact: true }).waitFor();
  return page;
}

/** The session cards on the sessions page. */
export function sessionCards(page: Page) {
  return page.getByRole('list', { name: 'Active sessions' }).getByRole('listitem');
}

export function screenshotPath(name: string): string {
  mkdirSync('test-results', { recursive: true });
  return `test-results/${name}.png`;
}
