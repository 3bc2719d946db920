// Password fields as ASVS 5.0 6.2.6–6.2.8 asks: masked, filled by password managers (autocomplete),
// pasted, and checked exactly as typed; and what the browser keeps after a sign-in (14.3.3).
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { gql, uniqueEmail } from '../helpers/graphql.js';
import { device, serverAndBrowser, signUpInUi } from './browser.js';

const e2e = serverAndBrowser();

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);

describe('password fields', () => {
  it('are type=password with the autocomplete hints password managers use, on sign-in and sign-up', async () => {
    const { context, page } = await device(e2e.browser);
    await page.goto(`${e2e.server.url}/login`);
    expect(await page.getByLabel('Password').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Password').getAttribute('autocomplete')).toBe('current-password');
    expect(await page.getByLabel('E-mail').getAttribute('autocomplete')).toBe('username');
    await page.goto(`${e2e.server.url}/signup`);
    expect(await page.getByLabel('Password').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Password').getAttribute('autocomplete')).toBe('new-password');
    await context.close();
  });

  it('take a pasted password, and nothing sensitive stays in browser storage', async () => {
    const { context, page } = await device(e2e.browser);
    const user = { name: 'Paste Person', email: uniqueEmail('paste'), password: 'pasted  Pass phrase  77', organizationName: 'Clipboards' };
    await signUpInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').focus();
    // A paste event, as a password manager or Ctrl+V delivers it.
    await page.keyboard.insertText(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/sessions');
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(stored).not.toContain(user.email);
    expect(stored).not.toContain(user.password);
    expect(stored).not.toMatch(/[A-Za-z0-9_-]{43}/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'sg_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await context.close();
  });

  it('are checked exactly as typed: no trimming, no change of case', async () => {
    const email = uniqueEmail('exact');
    const password = ' Exact Pass Phrase 42 ';
    const up = await gql(e2e.server, graphql(`mutation SignUpToken($i: SignUpInput!) { signUp(input: $i) { token } }`), { i: { email, password, name: 'E', organizationName: 'E' } });
    expect(up.code).toBeUndefined();
    for (const variant of [password.trim(), password.toLowerCase(), password.toUpperCase(), ` ${password}`]) {
      expect((await gql(e2e.server, SIGN_IN, { input: { email, password: variant } })).code, JSON.stringify(variant)).toBe('UNAUTHENTICATED');
    }
    expect((await gql(e2e.server, SIGN_IN, { input: { email, password } })).code).toBeUndefined();
  });
});
