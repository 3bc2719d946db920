// Forms in Chromium as a new user meets them: every invalid field flagged at once, the server's
// refusal of a weak password (with zxcvbn's hint) next to the password field on sign-up, change
// and reset, one message after a sign-out and a wrong password, and the invite row in line.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { gql, signUp, uniqueEmail } from '../helpers/graphql.js';
import { mailSinkForFile, resetLinks } from '../helpers/smtp.js';
import { device, screenshotPath, serverAndBrowser, signInInUi } from './browser.js';

const WEAK = ['password', '12345678'];

// Registered first: the mail sink starts before the server, and stops after it.
const mail = mailSinkForFile();
const e2e = serverAndBrowser(() => ({ smtpUrl: mail.sink.url }));

/** The texts of the elements that describe `input` (its hint and its error). */
async function descriptionOf(input: Locator): Promise<string> {
  return input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' | '),
  );
}

const isFocused = (input: Locator) => input.evaluate((el) => el === document.activeElement);

interface Refusal {
  errors: { message: string; extensions: { code: string; field?: string } }[];
}

/** Clicks `button` and resolves to the API's answer to `operationName`. */
async function submit(page: Page, button: Locator, operationName: string): Promise<Refusal> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(`"operationName":"${operationName}"`));
  await button.click();
  return (await (await answered).json()) as Refusal;
}

/**
 * The API refused the weak password (BAD_USER_INPUT naming `fieldName`, zxcvbn's hint in the
 * message), and the page shows that message under `field`, which has focus.
 */
async function expectWeakRefusal(page: Page, answer: Refusal, fieldName: string, field: Locator, errorId: string): Promise<void> {
  const refusal = answer.errors[0];
  expect(refusal?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: fieldName });
  const text = refusal?.message ?? '';
  expect(text).toContain('too easy to guess');
  await expect.poll(() => page.locator(`#${errorId}`).textContent()).toBe(text);
  // The refusal and zxcvbn's hint after it ("This is a top-10 common password. Add more words…").
  expect(text.replace('This password is too easy to guess.', '').trim().length).toBeGreaterThan(10);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await descriptionOf(field)).toContain(text);
  expect(await isFocused(field)).toBe(true);
}

describe('sign-up form', () => {
  it('flags every invalid field at once, each with its message, focuses the first, and sends nothing', async () => {
    const { context, page } = await device(e2e.browser);
    await page.goto(`${e2e.server.url}/signup`);
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) sent.push(r.postData() ?? '');
    });
    await page.getByRole('button', { name: 'Create account' }).click();
    const expected: [string, string][] = [
      ['Your name', 'Your name is required.'],
      ['E-mail', 'E-mail is required.'],
      ['Password', 'Password is required.'],
      ['Organisation name', 'Organisation name is required.'],
    ];
    for (const [label, message] of expected) {
      const input = page.getByLabel(label, { exact: true });
      await expect.poll(() => input.getAttribute('aria-invalid'), { timeout: 5000 }).toBe('true');
      expect(await descriptionOf(input), label).toContain(message);
    }
    expect(await isFocused(page.getByLabel('Your name'))).toBe(true);
    expect(sent.filter((body) => body.includes('"SignUp"'))).toEqual([]);
    await page.screenshot({ path: screenshotPath('forms-signup-empty'), fullPage: true });

    // A bad address and a short password are named as such; fixed fields lose their error.
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('E-mail').fill('ada at engines');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('#f-email-error').textContent()).toBe('Enter a valid e-mail address.');
    expect(await page.locator('#f-password-error').textContent()).toBe('Password must be at least 8 characters long.');
    expect(await page.getByLabel('Your name').getAttribute('aria-invalid')).toBeNull();
    expect(await isFocused(page.getByLabel('E-mail'))).toBe(true);
    await context.close();
  });

  it('shows the refusal of "password" and "12345678" with the strength hint next to the password field', async () => {
    const { context, page } = await device(e2e.browser);
    await page.goto(`${e2e.server.url}/signup`);
    await page.getByLabel('Your name').fill('Weak Walter');
    await page.getByLabel('E-mail').fill(uniqueEmail('weak'));
    await page.getByLabel('Organisation name').fill('Weak Works');
    for (const weak of WEAK) {
      await page.getByLabel('Password').fill(weak);
      const answer = await submit(page, page.getByRole('button', { name: 'Create account' }), 'SignUp');
      await expectWeakRefusal(page, answer, 'password', page.getByLabel('Password'), 'f-password-error');
    }
    expect(new URL(page.url()).pathname).toBe('/signup');
    await context.close();
  });
});

describe('new passwords elsewhere', () => {
  it('change password: the refusal and its hint under "New password"', async () => {
    const user = await signUp(e2e.server, { name: 'Change Carla', organizationName: 'Changes' });
    const { context, page } = await device(e2e.browser);
    await signInInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await page.goto(`${e2e.server.url}/account`);
    const section = page.getByRole('region', { name: 'Password' });
    for (const weak of WEAK) {
      await section.getByLabel('Current password').fill(user.password);
      await section.getByLabel('New password').fill(weak);
      const answer = await submit(page, section.getByRole('button', { name: 'Change password' }), 'ChangePassword');
      await expectWeakRefusal(page, answer, 'newPassword', section.getByLabel('New password'), 'password-newPassword-error');
    }
    await context.close();
  });

  it('reset password: the refusal and its hint under "New password", and the link still works', async () => {
    const user = await signUp(e2e.server, { name: 'Reset Rita', organizationName: 'Resets' });
    expect((await gql(e2e.server, graphql(`mutation ErrorCodesReset($e: String!) { requestPasswordReset(email: $e) }`), { e: user.email })).code).toBeUndefined();
    const link = resetLinks(await mail.sink.waitFor(user.email))[0]!;
    const { context, page } = await device(e2e.browser);
    await page.goto(link);
    const field = page.getByLabel('New password');
    for (const weak of WEAK) {
      await field.fill(weak);
      const answer = await submit(page, page.getByRole('button', { name: 'Set new password' }), 'ResetPassword');
      await expectWeakRefusal(page, answer, 'newPassword', field, 'f-newPassword-error');
    }
    await field.fill('quiet harbour lamps 1843');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password was changed').waitFor();
    await context.close();
  });
});

describe('sign-in after a sign-out', () => {
  it('drops "You have signed out." once the user tries again: only the answer to the attempt shows', async () => {
    const user = await signUp(e2e.server, { name: 'Notice Nora', organizationName: 'Notices' });
    const { context, page } = await device(e2e.browser);
    await signInInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByText('You have signed out.').waitFor();

    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail or password is wrong.').waitFor();
    expect(await page.getByText('You have signed out.').count()).toBe(0);
    expect(await page.getByRole('alert').allTextContents()).toEqual(['The e-mail or password is wrong.']);
    // A reload does not bring the old notice back either.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByText('You have signed out.').count()).toBe(0);
    await context.close();
  });
});

describe('invite row', () => {
  it('keeps the e-mail, the role and the button in line when the error shows, the error below them', async () => {
    const owner = await signUp(e2e.server, { name: 'Owner Olga', organizationName: 'Row Works' });
    const { context, page } = await device(e2e.browser);
    await signInInUi(page, e2e.server.url, owner);
    await page.waitForURL('**/sessions');
    await page.goto(`${e2e.server.url}/organization`);
    const form = page.locator('form.add-member');
    const email = form.getByLabel('E-mail address');
    const role = form.getByLabel('Role');
    const button = form.getByRole('button', { name: 'Invite' });
    const heading = form.getByRole('heading', { name: 'Invite someone' });
    // Relative to the form's heading: a click may scroll the page.
    const boxes = async () => {
      const top = (await heading.boundingBox())!.y;
      return Promise.all([email, role, button].map(async (l) => ({ ...(await l.boundingBox())!, y: (await l.boundingBox())!.y - top })));
    };

    const before = await boxes();
    await email.fill('not-an-address');
    await button.click();
    const error = form.locator('#invite-member-email-error');
    await error.getByText('Enter a valid e-mail address.').waitFor();
    const after = await boxes();
    const errorBox = { ...(await error.boundingBox())!, y: (await error.boundingBox())!.y - (await heading.boundingBox())!.y };

    for (const [i, box] of after.entries()) {
      // Same line, same height, and where it was before the error.
      expect(Math.abs(box.y - after[0]!.y), `control ${i} top`).toBeLessThanOrEqual(1);
      expect(Math.abs(box.height - after[0]!.height), `control ${i} height`).toBeLessThanOrEqual(1);
      expect(Math.abs(box.y - before[i]!.y), `control ${i} moved`).toBeLessThanOrEqual(1);
    }
    expect(errorBox.y).toBeGreaterThanOrEqual(after[0]!.y + after[0]!.height);
    await form.screenshot({ path: screenshotPath('forms-invite-error') });
    await context.close();
  });
});
