// The web client against the real gateway, in Chromium: two devices of one user, the live
// session list, the instant kick (timed), revoke-others, organisation switch and sign-out.
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import type { TestUser } from '../helpers/graphql.js';
import { PASSWORD, ok, signIn, signUp, uniqueEmail } from '../helpers/graphql.js';
import { ACCEPT, MY_INVITATIONS } from '../helpers/invitations.js';
import { UA, device, screenshotPath, serverAndBrowser, sessionCards, signInInUi, signUpInUi } from './browser.js';

const e2e = serverAndBrowser();
const user = { name: 'Ada Lovelace', email: uniqueEmail('ada'), password: PASSWORD, organizationName: 'Analytical Engines' };
let first: { context: BrowserContext; page: Page };
let second: { context: BrowserContext; page: Page };

const isRevokeResponse = (name: string) => (r: { url(): string; request(): { postData(): string | null } }) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(`"operationName":"${name}"`);


describe('two devices of one user', () => {
  it('signs up and sees the session list with this device first', async () => {
    first = await device(e2e.browser, { userAgent: UA.linuxChrome });
    await signUpInUi(first.page, e2e.server.url, user);
    await first.page.waitForURL('**/sessions');
    await expect.poll(() => sessionCards(first.page).count()).toBe(1);
    const card = sessionCards(first.page).first();
    expect(await card.textContent()).toContain('This device');
    expect(await card.textContent()).toContain('Analytical Engines');
    expect(await first.page.getByRole('heading', { level: 1 }).textContent()).toBe('Sessions');
  });

  it("shows a sign-in on a second device in the first device's list, live", async () => {
    second = await device(e2e.browser, { userAgent: UA.macSafari });
    await signInInUi(second.page, e2e.server.url, user);
    await second.page.waitForURL('**/sessions');
    await expect.poll(() => sessionCards(second.page).count()).toBe(2);
    // No reload on the first device: the subscription brings the new session.
    await expect.poll(() => sessionCards(first.page).count()).toBe(2);
    expect(await sessionCards(first.page).nth(1).textContent()).toContain('Safari 17 on macOS 14.5');
  });

  it('saves a screenshot of the sessions page (desktop and phone width)', async () => {
    // A third and fourth session from other kinds of device make the picture realistic.
    await signIn(e2e.server, user, undefined, { 'user-agent': UA.iphone });
    await signIn(e2e.server, user, undefined, { 'user-agent': UA.windowsFirefox });
    await expect.poll(() => sessionCards(first.page).count()).toBe(4);
    await first.page.screenshot({ path: screenshotPath('sessions-page'), fullPage: true });
    const phone = await first.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${e2e.server.url}/sessions`);
    await expect.poll(() => sessionCards(phone).count()).toBe(4);
    await phone.screenshot({ path: screenshotPath('sessions-page-phone'), fullPage: true });
    await phone.close();
  });

  it('revokes the first device from the second: the first lands on /login at once, with the reason', async () => {
    // A second tab of the first device whose own socket hears nothing: only the tab link
    // (BroadcastChannel) can tell it.
    const deafTab = await first.context.newPage();
    await deafTab.routeWebSocket(/\/graphql$/, () => {});
    await deafTab.goto(`${e2e.server.url}/account`);
    await deafTab.getByRole('heading', { name: 'Profile' }).waitFor();

    const target = sessionCards(second.page).filter({ hasText: 'Chrome 126 on Linux' });
    await target.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = second.page.getByRole('dialog');
    await dialog.getByText('will be signed out at once').waitFor();
    const response = second.page.waitForResponse(isRevokeResponse('RevokeSession'));
    // The pushed REVOKED event sends the revoked tab to /login, with no reload.
    const landed = first.page.waitForURL('**/login', { timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await response;
    await landed;

    expect(await first.page.getByRole('alert').first().textContent()).toContain('This session was signed out from another device');
    await first.page.screenshot({ path: screenshotPath('login-after-kick') });
    await deafTab.waitForURL('**/login', { timeout: 5_000 });
    expect(await deafTab.getByRole('alert').first().textContent()).toContain('signed out from another device');
    await deafTab.close();
    // The second device's list lost the session too.
    await expect.poll(() => sessionCards(second.page).filter({ hasText: 'Chrome 126 on Linux' }).count()).toBe(0);
  });

  it('leaves nothing of the previous user in the kicked tab', async () => {
    const html = await first.page.content();
    expect(html).not.toContain('Analytical Engines');
    expect(html).not.toContain(user.email);
    // Going back to a signed-in page without a session leads to /login again.
    await first.page.goto(`${e2e.server.url}/sessions`);
    await first.page.waitForURL('**/login');
  });

  it('revokes all other sessions and says how many', async () => {
    await signInInUi(first.page, e2e.server.url, user);
    await first.page.waitForURL('**/sessions');
    // second device + iPhone + Firefox (API sign-ins) + this new one
    await expect.poll(() => sessionCards(second.page).count()).toBe(4);
    await second.page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    const dialog = second.page.getByRole('dialog');
    await dialog.getByText('All 3 other sessions').waitFor();
    await dialog.getByRole('button', { name: 'Sign out others' }).click();
    await second.page.getByText('Signed out 3 other sessions.').waitFor();
    await expect.poll(() => sessionCards(second.page).count()).toBe(1);
    await first.page.waitForURL('**/login', { timeout: 5_000 });
    expect(await first.page.getByRole('alert').first().textContent()).toContain('signed out from another device');
  });

  it('switches organisation without being kicked, and offers the organisation at sign-in', async () => {
    const page = second.page;
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL('**/account');
    await page.getByLabel('Name', { exact: true }).fill('Difference Engines');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('Created Difference Engines.').waitFor();
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Difference Engines (Owner)' });
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.getByTestId('current-organization').textContent()).toBe('Difference Engines');
    expect(new URL(page.url()).pathname).toBe('/account');
    await page.getByRole('link', { name: 'Sessions' }).click();
    await expect.poll(() => sessionCards(page).first().textContent()).toContain('Difference Engines');
    expect(await sessionCards(page).count()).toBe(1);

    // Signing in again on the first device: two organisations, so the picker asks which.
    await signInInUi(first.page, e2e.server.url, user);
    await first.page.getByRole('heading', { name: 'Choose an organisation' }).waitFor();
    await first.page.screenshot({ path: screenshotPath('sign-in-organisation-picker') });
    await first.page.getByRole('radio', { name: /Difference Engines/ }).check();
    await first.page.getByRole('button', { name: 'Continue' }).click();
    await first.page.waitForURL('**/sessions');
    await expect.poll(() => sessionCards(first.page).first().textContent()).toContain('Difference Engines');
  });

  it('manages the members of the organisation (owner)', async () => {
    const page = second.page;
    const colleague = await signUp(e2e.server, { name: 'Charles Babbage' });
    await page.getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: 'Members of Difference Engines' }).waitFor();
    await page.getByLabel('E-mail address').fill(colleague.email);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByText(`Invited ${colleague.email}:`, { exact: false }).waitFor();
    const pending = page.getByRole('list', { name: 'Pending invitations' }).getByRole('listitem');
    await expect.poll(() => pending.count()).toBe(1);
    // The colleague accepts, signed in with that address.
    const [invitation] = (await ok(e2e.server, MY_INVITATIONS, undefined, colleague.auth)).me.invitations;
    await ok(e2e.server, ACCEPT, { id: invitation!.id }, colleague.auth);
    await page.reload();
    const members = page.getByRole('list', { name: 'Members' }).getByRole('listitem');
    await expect.poll(() => members.count()).toBe(2);
    await page.getByLabel('Role of Charles Babbage').selectOption('ADMIN');
    await page.getByText('Charles Babbage is now admin.').waitFor();
    await page.screenshot({ path: screenshotPath('organization-members'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: screenshotPath('organization-members-phone'), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.getByRole('button', { name: 'Remove Charles Babbage' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Charles Babbage was removed from Difference Engines.').waitFor();
    await expect.poll(() => members.count()).toBe(1);
  });

  it('shows the activity', async () => {
    const page = second.page;
    await page.getByRole('link', { name: 'Activity' }).click();
    const events = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem');
    await expect.poll(() => events.count()).toBeGreaterThan(5);
    const text = await page.getByRole('list', { name: 'Audit events' }).textContent();
    for (const label of ['Created the account', 'Signed in', 'Switched organisation', 'Removed a member']) expect(text).toContain(label);
    await page.screenshot({ path: screenshotPath('activity-page'), fullPage: true });
  });

  it('signs out, and the other tab of the same browser follows', async () => {
    const otherTab = await second.context.newPage();
    await otherTab.goto(`${e2e.server.url}/activity`);
    await otherTab.getByRole('heading', { name: 'Activity' }).waitFor();
    await second.page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await second.page.waitForURL('**/login');
    expect(await second.page.getByRole('status').first().textContent()).toContain('You have signed out');
    await otherTab.waitForURL('**/login', { timeout: 5_000 });
    expect(await otherTab.getByRole('alert').first().textContent()).toContain('This session was signed out');
    // The first device hears that the second's session ended.
    await expect.poll(() => sessionCards(first.page).count()).toBe(1);
  });
});

describe('a first visit', () => {
  it('sends a visitor without a session from a deep link to /login, with no message', async () => {
    const { page } = await device(e2e.browser);
    await page.goto(`${e2e.server.url}/activity`);
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await new Promise((r) => setTimeout(r, 500)); // the refused socket, if any, must not add one
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.context().close();
  });
});

describe('a tab that missed the news', () => {
  let owner: TestUser;

  beforeAll(async () => {
    owner = await ok(
      e2e.server,
      graphql(`mutation SignUpSleepy($input: SignUpInput!) { signUp(input: $input) { token user { id email } session { id organization { id } } } }`),
      { input: { email: uniqueEmail('sleepy'), password: PASSWORD, name: 'Sleepy', organizationName: 'Nap Co' } },
    ).then((d) => ({ userId: d.signUp.user.id, email: d.signUp.user.email, password: PASSWORD, organizationId: d.signUp.session.organization.id, sessionId: d.signUp.session.id, token: d.signUp.token, auth: { token: d.signUp.token } }));
  });

  const revoke = (id: string) => ok(e2e.server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id }, owner.auth);

  it('lands on /login when it becomes visible again and the session is gone (HTTP 401)', async () => {
    const { page } = await device(e2e.browser);
    await page.routeWebSocket(/\/graphql$/, () => {}); // asleep: the socket hears nothing
    await signInInUi(page, e2e.server.url, owner);
    await page.waitForURL('**/sessions');
    const sessionId = await sessionCards(page).first().getAttribute('data-session-id');
    await revoke(sessionId ?? '');
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForURL('**/login', { timeout: 5_000 });
    expect(await page.getByRole('alert').first().textContent()).toContain('Your session has ended');
  });

  it('lands on /login when its socket reconnects with a revoked session (4403), and stops retrying', async () => {
    let connections = 0;
    let asleep = false;
    let current: WebSocketRoute | undefined;
    const { page } = await device(e2e.browser);
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      connections++;
      current = ws;
      const upstream = ws.connectToServer();
      upstream.onMessage((m) => {
        if (!asleep) ws.send(m);
      });
      upstream.onClose((code, reason) => {
        if (!asleep) void ws.close({ code, reason });
      });
    });
    await signInInUi(page, e2e.server.url, owner);
    await page.waitForURL('**/sessions');
    const sessionId = await sessionCards(page).first().getAttribute('data-session-id');
    await expect.poll(() => connections).toBe(1);
    await page.getByText('Live', { exact: true }).waitFor();

    asleep = true; // the REVOKED event and the 4403 close are lost
    await revoke(sessionId ?? '');
    await new Promise((r) => setTimeout(r, 300));
    asleep = false;
    // The socket is found dead on waking: the client reconnects, and is refused with 4403.
    await current?.close({ code: 4000, reason: 'network lost' });
    await page.waitForURL('**/login', { timeout: 10_000 });
    const after = connections;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(connections).toBe(after);
    expect(after).toBeLessThanOrEqual(3);
  });

  it('says "reconnecting" while its socket is down, and recovers by itself', async () => {
    let down = false;
    let current: WebSocketRoute | undefined;
    const { page } = await device(e2e.browser);
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      current = ws;
      if (!down) ws.connectToServer(); // when down: the socket opens but nobody answers
    });
    await signInInUi(page, e2e.server.url, owner);
    await page.waitForURL('**/sessions');
    await page.getByText('Live', { exact: true }).waitFor();
    down = true;
    await current?.close({ code: 1001, reason: 'going away' });
    await page.getByText('Reconnecting… live updates are paused.').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: screenshotPath('sessions-reconnecting') });
    down = false;
    await current?.close({ code: 1001, reason: 'still nobody' });
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.getByText('Reconnecting…').count()).toBe(0);
  });

  it('shows field errors from the server next to the fields', async () => {
    const { page } = await device(e2e.browser);
    await signUpInUi(page, e2e.server.url, { name: 'Dup', email: owner.email, password: PASSWORD, organizationName: 'Dup Org' });
    const email = page.getByLabel('E-mail');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-email-error').textContent()).toContain('already exists');
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByLabel('E-mail').fill(uniqueEmail());
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('#f-password-error').textContent()).toContain('at least 8 characters');
    await page.screenshot({ path: screenshotPath('signup-field-error') });

    await signInInUi(page, e2e.server.url, { email: owner.email, password: 'wrong password!' });
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('e-mail or password is wrong');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

});
