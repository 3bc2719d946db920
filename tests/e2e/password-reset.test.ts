// Forgotten password in Chromium, with a real SMTP server: the sign-in page's link, the mail, the
// link's page (token read from the fragment, then cleared from the address bar), the new
// password, the sign-in with it; and the other device, signed out at once with the reason.
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../helpers/graphql.js';
import { mailSinkForFile, resetLinks } from '../helpers/smtp.js';
import { device, screenshotPath, serverAndBrowser, signInInUi, signUpInUi } from './browser.js';

// Registered first: the mail sink starts before the server, and stops after it.
const mail = mailSinkForFile();
const e2e = serverAndBrowser(() => ({ smtpUrl: mail.sink.url }));

describe('forgotten password', () => {
  it('forgot → mail → link → new password → sign in with it; the other device is signed out', async () => {
    const user = { name: 'Grace Hopper', email: uniqueEmail('grace'), password: PASSWORD, organizationName: 'Compilers' };
    const newPassword = 'nanoseconds of wire 1952 cobol';
    const laptop = await device(e2e.browser);
    await signUpInUi(laptop.page, e2e.server.url, user);
    await laptop.page.waitForURL('**/sessions');

    const phone = await device(e2e.browser, { width: 420, height: 860 });
    await phone.page.goto(`${e2e.server.url}/login`);
    await phone.page.getByRole('link', { name: 'Forgot your password?' }).click();
    await phone.page.waitForURL('**/forgot-password');
    await phone.page.getByLabel('E-mail').fill(user.email);
    await phone.page.getByRole('button', { name: 'Send reset link' }).click();
    await phone.page.getByText('If an account uses this address, we sent a link').waitFor();

    const link = resetLinks(await mail.sink.waitFor(user.email))[0]!;
    expect(link).toMatch(/\/reset-password#token=[A-Za-z0-9_-]{43}$/);
    await phone.page.goto(link);
    await phone.page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The token left the address bar (and the history entry) as soon as the page read it.
    expect(phone.page.url()).not.toContain('#');
    expect(phone.page.url()).toMatch(/\/reset-password$/);
    const field = phone.page.getByLabel('New password');
    expect(await field.getAttribute('type')).toBe('password');
    expect(await field.getAttribute('autocomplete')).toBe('new-password');
    await field.fill('password123');
    await phone.page.getByRole('button', { name: 'Set new password' }).click();
    await phone.page.getByText('too easy to guess').waitFor();
    await field.fill(newPassword);
    await phone.page.getByRole('button', { name: 'Set new password' }).click();
    await phone.page.getByText('Your password was changed').waitFor();
    await phone.page.screenshot({ path: screenshotPath('password-reset-done'), fullPage: true });

    // The laptop's session ended with the reset: kicked to the sign-in page, told why.
    await laptop.page.waitForURL('**/login');
    await laptop.page.getByText('the password of your account was reset').waitFor();
    await laptop.page.screenshot({ path: screenshotPath('password-reset-kicked'), fullPage: true });

    await phone.page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await phone.page.waitForURL('**/login');
    await phone.page.getByLabel('E-mail').fill(user.email);
    await phone.page.getByLabel('Password').fill(user.password);
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await phone.page.getByText('The e-mail or password is wrong.').waitFor();
    await signInInUi(laptop.page, e2e.server.url, { email: user.email, password: newPassword });
    await laptop.page.waitForURL('**/sessions');
    await laptop.context.close();
    await phone.context.close();
  });
});
