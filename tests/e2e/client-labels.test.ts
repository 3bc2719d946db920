// One name per client in Chromium: the session list and the activity page call the same clients
// the same way ("curl 8.5.0", "node", "Safari 17 on macOS 14.5"), with the full user agent kept in
// the activity's tooltip.
import { describe, expect, it } from 'vitest';
import { signIn, signUp } from '../helpers/graphql.js';
import { UA, device, screenshotPath, serverAndBrowser, sessionCards, signInInUi } from './browser.js';

const e2e = serverAndBrowser();

describe('client labels', () => {
  it('are the same on the sessions page and the activity page', async () => {
    // signUp goes out with Node's own user agent, "node".
    const user = await signUp(e2e.server, { name: 'Label Lena', organizationName: 'Labels' });
    await signIn(e2e.server, user, undefined, { 'user-agent': 'curl/8.5.0' });
    await signIn(e2e.server, user, undefined, { 'user-agent': UA.macSafari });
    const { context, page } = await device(e2e.browser, { userAgent: UA.windowsFirefox });
    await signInInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await expect.poll(() => sessionCards(page).count()).toBe(4);
    const titles = await page.locator('.session-title').evaluateAll((els) => els.map((el) => el.firstChild?.textContent?.trim() ?? ''));
    expect(titles.sort()).toEqual(['Firefox 127 on Windows 10', 'Safari 17 on macOS 14.5', 'curl 8.5.0', 'node']);
    expect(await page.getByText('Unknown client').count()).toBe(0);

    await page.getByRole('link', { name: 'Activity' }).click();
    const events = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem');
    await expect.poll(() => events.count()).toBeGreaterThanOrEqual(4);
    const meta = (await events.allTextContents()).join('\n');
    for (const title of titles) expect(meta).toContain(`· ${title}`);
    expect(await page.locator(`[title="${UA.macSafari}"]`).first().textContent()).toContain('Safari 17 on macOS 14.5');
    await page.screenshot({ path: screenshotPath('activity-client-labels'), fullPage: true });
    await context.close();
  });
});
