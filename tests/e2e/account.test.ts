// The Account page's password and deletion sections in Chromium: changing the password signs the
// other device out (it lands on /login) while this tab stays signed in; deleting the account ends
// every session and the tab reaches /login with the message.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { PASSWORD, inviteAndAccept, gql, signIn, signUp, uniqueEmail } from '../helpers/graphql.js';
import { UA, device, screenshotPath, serverAndBrowser, sessionCards, signInInUi, signUpInUi } from './browser.js';

const NEW_PASSWORD = 'lantern orchard velvet compass';

const e2e = serverAndBrowser();
let first: { context: BrowserContext; page: Page };
let second: { context: BrowserContext; page: Page };
const user = { name: 'Grace Hopper', email: uniqueEmail('grace'), password: PASSWORD, organizationName: 'Compilers' };


const passwordSection = (page: Page) => page.getByRole('region', { name: 'Password' });

describe('changing the password', () => {
  it('shows the section with the right fields', async () => {
    first = await device(e2e.browser, { userAgent: UA.linuxChrome });
    await signUpInUi(first.page, e2e.server.url, user);
    await first.page.waitForURL('**/sessions');
    second = await device(e2e.browser, { userAgent: UA.macSafari });
    await signInInUi(second.page, e2e.server.url, user);
    await second.page.waitForURL('**/sessions');
    await first.page.goto(`${e2e.server.url}/account`);
    const section = passwordSection(first.page);
    for (const [label, autocomplete] of [['Current password', 'current-password'], ['New password', 'new-password']] as const) {
      const input = section.getByLabel(label);
      expect(await input.getAttribute('type')).toBe('password');
      expect(await input.getAttribute('autocomplete')).toBe(autocomplete);
    }
  });

  it('shows a weak new password and a wrong current one under their fields', async () => {
    const section = passwordSection(first.page);
    await section.getByLabel('Current password').fill(user.password);
    await section.getByLabel('New password').fill('password1');
    await section.getByRole('button', { name: 'Change password' }).click();
    await section.locator('#password-newPassword-error').getByText('too easy to guess').waitFor();
    expect(await section.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
    await first.page.screenshot({ path: screenshotPath('account-password-weak'), fullPage: true });

    await section.getByLabel('Current password').fill('not my password at all');
    await section.getByLabel('New password').fill(NEW_PASSWORD);
    await section.getByRole('button', { name: 'Change password' }).click();
    await section.locator('#password-currentPassword-error').getByText('The current password is wrong.').waitFor();
  });

  it('changes it: the other device lands on /login, this tab stays signed in and works', async () => {
    const section = passwordSection(first.page);
    await section.getByLabel('Current password').fill(user.password);
    await section.getByLabel('New password').fill(NEW_PASSWORD);
    const kicked = second.page.waitForURL('**/login', { timeout: 10_000 });
    await section.getByRole('button', { name: 'Change password' }).click();
    await section.getByText('Password changed. 1 other session was signed out.').waitFor();
    await kicked;
    await second.page.getByText('the password of your account was changed').waitFor();
    await first.page.screenshot({ path: screenshotPath('account-password-changed'), fullPage: true });

    // Still here, still signed in, past the old token's grace: the new cookie works.
    expect(new URL(first.page.url()).pathname).toBe('/account');
    e2e.server.clock.advance(e2e.server.config.tokenReuseGraceMs + 1000);
    await first.page.goto(`${e2e.server.url}/sessions`);
    await expect.poll(() => sessionCards(first.page).count()).toBe(1);
    expect(await sessionCards(first.page).first().textContent()).toContain('This device');
    await first.page.goto(`${e2e.server.url}/account`);
    await first.page.getByRole('heading', { name: 'Profile' }).waitFor();
    expect(new URL(first.page.url()).pathname).toBe('/account');

    // The new password signs in, the old one no longer does.
    const old = await gql(e2e.server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: user.email, password: user.password } });
    expect(old.code).toBe('UNAUTHENTICATED');
    await signInInUi(second.page, e2e.server.url, { email: user.email, password: NEW_PASSWORD });
    await second.page.waitForURL('**/sessions');
    user.password = NEW_PASSWORD;
  });
});

describe('deleting the account', () => {
  it('asks for the password and the typed confirmation, then leaves for /login with the message', async () => {
    const page = first.page;
    await page.goto(`${e2e.server.url}/account`);
    const section = page.getByRole('region', { name: 'Delete account' });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('account-sections'), fullPage: true });
    await section.getByRole('button', { name: 'Delete account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });

    // Without the typed word nothing is sent; with a wrong password the server refuses.
    await dialog.getByLabel('Your password').fill('not my password at all');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await dialog.getByText('Type DELETE to confirm.').waitFor();
    await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await dialog.getByText('The password is wrong.').waitFor();
    await page.screenshot({ path: screenshotPath('account-delete-dialog') });
    expect(await e2e.server.app.services.prisma.user.count({ where: { email: user.email } })).toBe(1);

    await dialog.getByLabel('Your password').fill(user.password);
    const secondKicked = second.page.waitForURL('**/login', { timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await page.waitForURL('**/login', { timeout: 10_000 });
    await page.getByText('The account was deleted').waitFor();
    await secondKicked;
    await page.screenshot({ path: screenshotPath('account-deleted-login') });
    expect(await e2e.server.app.services.prisma.user.count({ where: { email: user.email } })).toBe(0);
    const res = await gql(e2e.server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: user.email, password: user.password } });
    expect(res.code).toBe('UNAUTHENTICATED');
  });

  it('tells the sole owner of a shared organisation to hand it over first', async () => {
    const owner = { name: 'Owner Person', email: uniqueEmail('owner'), password: PASSWORD, organizationName: 'Shared Place' };
    const { context, page } = await device(e2e.browser);
    await signUpInUi(page, e2e.server.url, owner);
    await page.waitForURL('**/sessions');
    const member = await signUp(e2e.server);
    const self = await signIn(e2e.server, owner);
    await inviteAndAccept(e2e.server, self, self.organizationId, member, 'MEMBER');
    await page.goto(`${e2e.server.url}/account`);
    await page.getByRole('button', { name: 'Delete account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByLabel('Your password').fill(owner.password);
    await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await dialog.getByText(/only owner of Shared Place/).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await context.close();
  });
});
