// Two-factor authentication in Chromium: turning it on from the Account page (the key read off the
// page, codes computed at the server's clock), signing in with the password then a code or a
// recovery code, and an organisation that requires it sending a member through enrolment.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, inviteAndAccept, signUp, uniqueEmail } from '../helpers/graphql.js';
import { codeAt, nextCode } from '../helpers/mfa.js';
import { UA, device, screenshotPath, serverAndBrowser, signInInUi, signUpInUi } from './browser.js';

const e2e = serverAndBrowser();
let owner: { context: BrowserContext; page: Page };
const user = { name: 'Ada Lovelace', email: uniqueEmail('ada'), password: PASSWORD, organizationName: 'Engines' };
let secret = '';
let recoveryCodes: string[] = [];


const twoFactor = (page: Page) => page.getByRole('region', { name: 'Two-factor authentication' });
const CODE_LABEL = 'Enter the 6-digit code from your authenticator app';
const wrongThan = (code: string) => (code === '000000' ? '111111' : '000000');

async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
}

/** Password, then the code step: checks where focus went and what the field asks for. */
async function toCodeStep(page: Page): Promise<void> {
  await signInInUi(page, e2e.server.url, user);
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  const field = page.getByLabel(CODE_LABEL);
  await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
}

describe('turning it on from the Account page', () => {
  it('asks the password, shows a QR code and the key, takes a code, then shows the recovery codes once', async () => {
    owner = await device(e2e.browser, { userAgent: UA.linuxChrome });
    const { page } = owner;
    await signUpInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await page.goto(`${e2e.server.url}/account`);
    const section = twoFactor(page);
    expect(await section.getByTestId('mfa-status').textContent()).toBe('Off');
    await section.getByLabel('Password', { exact: true }).fill('not my password');
    await section.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await section.locator('#mfa-enable-password-error').getByText('The password is wrong.').waitFor();
    await section.getByLabel('Password', { exact: true }).fill(user.password);
    await section.getByRole('button', { name: 'Set up two-factor authentication' }).click();

    const qr = section.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    secret = ((await section.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const codeField = section.getByLabel(CODE_LABEL);
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    await section.screenshot({ path: screenshotPath('mfa-qr-step') });

    await codeField.fill(await codeAt(e2e.server, secret));
    await section.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    const list = section.getByTestId('recovery-codes');
    await list.waitFor();
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Save your recovery codes');
    await section.screenshot({ path: screenshotPath('mfa-recovery-codes') });
    await section.getByRole('button', { name: 'I saved them' }).click();
    await expect.poll(() => section.getByTestId('mfa-status').textContent()).toBe('On');
    await expect.poll(() => section.getByTestId('recovery-codes').count()).toBe(0);
  });
});

describe('signing in with it', () => {
  it('asks the code after the password; a wrong one shows under the field; the right one lands on /sessions', async () => {
    const { page } = owner;
    await signOut(page);
    await toCodeStep(page);
    const field = page.getByLabel(CODE_LABEL);
    expect(await field.getAttribute('inputmode')).toBe('numeric');
    expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
    const code = await nextCode(e2e.server, secret);
    await field.fill(wrongThan(code));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#mfa-code-error').getByText('The code is wrong').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('mfa-code-step'), fullPage: true });
    await field.fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/sessions');
  });

  it('takes a recovery code once', async () => {
    const { page } = owner;
    for (const attempt of ['first', 'again'] as const) {
      await signOut(page);
      await toCodeStep(page);
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      const field = page.getByLabel('Recovery code');
      await field.fill(recoveryCodes[0]!);
      await page.getByRole('button', { name: 'Verify' }).click();
      if (attempt === 'first') await page.waitForURL('**/sessions');
      else await page.locator('#mfa-code-error').getByText('The code is wrong, or was already used.').waitFor();
      if (attempt === 'again') {
        // Back to the password, then in with the next code.
        await page.getByRole('button', { name: 'Back to the password' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      }
    }
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel(CODE_LABEL).fill(await nextCode(e2e.server, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/sessions');
  });

  it('with it on, changing the password on the Account page asks for a code too', async () => {
    const { page } = owner;
    await page.goto(`${e2e.server.url}/account`);
    const form = page.getByRole('region', { name: 'Password' });
    const code = form.getByLabel('Authenticator code');
    await code.waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await form.getByLabel('Current password').fill(user.password);
    await form.getByLabel('New password').fill('engines of the analytical kind');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.locator('#password-code-error').waitFor();
    await code.fill(await nextCode(e2e.server, secret));
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed.').waitFor();
    user.password = 'engines of the analytical kind';
    await page.screenshot({ path: screenshotPath('mfa-change-password'), fullPage: true });
  });

  it('an expired challenge sends the user back to the password with a message', async () => {
    const { context } = owner;
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/sessions`);
    await signOut(page);
    await toCodeStep(page);
    e2e.server.clock.advance(5 * 60_000 + 1000);
    await page.getByLabel(CODE_LABEL).fill(await codeAt(e2e.server, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Sign in again with your password.').waitFor();
    await page.getByLabel('Password').fill(user.password);
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel(CODE_LABEL).fill(await nextCode(e2e.server, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/sessions');
    await page.close();
  });
});

describe('an organisation that requires it', () => {
  it("the owner's switch signs the member out there; the member then enrols at sign-in and lands on /sessions", async () => {
    const { page, context } = owner;
    const cookie = (await context.cookies()).find((c) => c.name === 'sg_session');
    const member = await signUp(e2e.server, { name: 'Charles Babbage' });
    const ownerId = await page.evaluate(async () => {
      const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { currentOrganization { id } } }' }) });
      return ((await res.json()) as { data: { me: { currentOrganization: { id: string } } } }).data.me.currentOrganization.id;
    });
    await inviteAndAccept(e2e.server, { ...member, auth: { cookie: `sg_session=${cookie!.value}` } }, ownerId, member, 'MEMBER');

    await page.goto(`${e2e.server.url}/account`);
    const toggle = twoFactor(page).getByRole('checkbox', { name: 'Every member must use two-factor authentication' });
    await toggle.check();
    await expect.poll(() => e2e.server.app.services.prisma.organization.findUniqueOrThrow({ where: { id: ownerId } }).then((o) => o.requireMfa)).toBe(true);
    await twoFactor(page).screenshot({ path: screenshotPath('mfa-org-toggle') });

    const second = await device(e2e.browser, { userAgent: UA.macSafari });
    await signInInUi(second.page, e2e.server.url, member);
    // Two organisations: the picker, then the one that requires MFA.
    await second.page.getByRole('radio', { name: /Engines/ }).check();
    await second.page.getByRole('button', { name: 'Continue' }).click();
    await second.page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    const memberSecret = ((await second.page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await second.page.screenshot({ path: screenshotPath('mfa-enrol-at-sign-in'), fullPage: true });
    await second.page.getByLabel(CODE_LABEL).fill(await codeAt(e2e.server, memberSecret));
    await second.page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await second.page.getByTestId('recovery-codes').waitFor();
    await second.page.getByRole('button', { name: 'I saved them' }).click();
    await second.page.waitForURL('**/sessions');
    await second.page.goto(`${e2e.server.url}/account`);
    await expect.poll(() => second.page.getByTestId('current-organization').textContent()).toBe('Engines');
    await expect.poll(() => twoFactor(second.page).getByTestId('mfa-status').textContent()).toBe('On');
    await second.context.close();
  });
});
