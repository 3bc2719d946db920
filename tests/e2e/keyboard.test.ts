// The keyboard in Chromium: every element Tab reaches shows a solid, offset, high-contrast focus
// ring (WCAG 2.2 focus appearance), and after a revoke focus goes to the next session's revoke
// button (or the list heading) while a live region says what happened.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../helpers/graphql.js';
import { inviteAndAccept, signIn, signUp } from '../helpers/graphql.js';
import { UA, device, screenshotPath, serverAndBrowser, signInInUi } from './browser.js';

const e2e = serverAndBrowser();
let owner: TestUser;
let tab: { context: BrowserContext; page: Page };

interface Ring {
  element: string;
  style: string;
  width: number;
  offset: number;
  contrast: number;
}

/** The focused element's outline, and its contrast against the background it is drawn on. */
function focusRing(page: Page): Promise<Ring> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // The outline lies outside the element: the background behind it is its parent's.
    let behind: Element | null = el.parentElement;
    let background = 'rgb(255, 255, 255)';
    for (; behind; behind = behind.parentElement) {
      const [, , , alpha = 1] = rgb(getComputedStyle(behind).backgroundColor);
      if (alpha > 0) {
        background = getComputedStyle(behind).backgroundColor;
        break;
      }
    }
    const style = getComputedStyle(el);
    const [a, b] = [luminance(rgb(style.outlineColor)), luminance(rgb(background))];
    return {
      element: `${el.tagName.toLowerCase()} ${el.textContent?.trim().slice(0, 30) ?? ''} ${el.getAttribute('name') ?? ''}`,
      style: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      offset: parseFloat(style.outlineOffset),
      contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    };
  });
}

/** Tabs through the page from the top; checks the ring of every element reached. Returns how many. */
async function checkRings(page: Page, max = 60): Promise<number> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen = new Set<string>();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el !== document.body ? `${el.tagName}#${el.id}.${el.textContent?.slice(0, 20)}${el.getAttribute('aria-label') ?? ''}${el.getAttribute('value') ?? ''}` : null;
    });
    if (key === null || seen.has(key)) break;
    seen.add(key);
    const ring = await focusRing(page);
    expect(ring.style, ring.element).toBe('solid');
    expect(ring.width, ring.element).toBeGreaterThanOrEqual(2);
    expect(ring.offset, ring.element).toBeGreaterThanOrEqual(1);
    expect(ring.contrast, ring.element).toBeGreaterThanOrEqual(3);
  }
  return seen.size;
}

const activeLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '');
const revokeButtons = (page: Page) => page.getByRole('list', { name: 'Active sessions' }).getByRole('button', { name: /^Revoke / });
const liveStatus = (page: Page) => page.locator('.live-status[role="status"][aria-live="polite"]');

/** Revokes through the keyboard only: Enter on the focused button, Tab from Cancel to Revoke, Enter. */
async function revokeFocused(page: Page, confirm: string): Promise<void> {
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await page.keyboard.press('Tab');
  expect(await activeLabel(page)).toBe(confirm);
  await page.keyboard.press('Enter');
  await expect.poll(() => dialog.count()).toBe(0);
}

beforeAll(async () => {
  owner = await signUp(e2e.server, { name: 'Ada Lovelace', organizationName: 'Analytical Engines' });
  const member = await signUp(e2e.server, { name: 'Charles Babbage', organizationName: 'Difference Engines' });
  await inviteAndAccept(e2e.server, owner, owner.organizationId, member, 'MEMBER');
  for (const userAgent of [UA.iphone, UA.windowsFirefox, 'curl/8.5.0']) await signIn(e2e.server, owner, undefined, { 'user-agent': userAgent });
  tab = await device(e2e.browser, { userAgent: UA.linuxChrome });
  await signInInUi(tab.page, e2e.server.url, owner);
  await tab.page.waitForURL('**/sessions');
});

describe('the focus ring', () => {
  it('is solid, at least 2 px, offset and high-contrast on every element Tab reaches', async () => {
    const { context, page } = await device(e2e.browser);
    for (const path of ['/login', '/signup', '/nope']) {
      await page.goto(`${e2e.server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await checkRings(page), path).toBeGreaterThanOrEqual(2);
    }
    await context.close();
    for (const path of ['/sessions', '/account', '/activity']) {
      await tab.page.goto(`${e2e.server.url}${path}`);
      await tab.page.getByRole('heading', { level: 1 }).waitFor();
      await expect.poll(() => tab.page.locator('.loading').count()).toBe(0);
      expect(await checkRings(tab.page), path).toBeGreaterThanOrEqual(5);
    }
    await tab.page.getByRole('link', { name: 'Sessions' }).focus();
    await tab.page.keyboard.press('Shift+Tab');
    await tab.page.keyboard.press('Tab');
    await tab.page.getByRole('banner').screenshot({ path: screenshotPath('focus-ring-nav') });
  });
});

describe('after a revoke', () => {
  it('focus goes to the next session\'s revoke button, and the live region says which one ended', async () => {
    const { page } = tab;
    await page.goto(`${e2e.server.url}/sessions`);
    await page.getByText('Live', { exact: true }).waitFor();
    await expect.poll(() => revokeButtons(page).count()).toBe(4);
    const labels = await revokeButtons(page).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));

    await revokeButtons(page).first().focus();
    await revokeFocused(page, 'Revoke');
    await expect.poll(() => revokeButtons(page).count()).toBe(3);
    expect(await activeLabel(page)).toBe(labels[1]);
    await expect.poll(() => liveStatus(page).textContent()).toMatch(/^Signed out .+\.$/);
    await page.screenshot({ path: screenshotPath('focus-after-revoke') });

    // The last one: no next session, so the previous one's button.
    await revokeButtons(page).last().focus();
    await revokeFocused(page, 'Revoke');
    await expect.poll(() => revokeButtons(page).count()).toBe(2);
    expect(await activeLabel(page)).toBe(labels[2]);
  });

  it('of all other sessions, focus goes to the list heading and the live region gives the count', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Sign out all other sessions' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => revokeButtons(page).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('1 active session');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    await expect.poll(() => liveStatus(page).textContent()).toBe('Signed out 2 other sessions.');
    await page.screenshot({ path: screenshotPath('focus-after-revoke-others') });
  });
});
