// An owner in Chromium ends a member's sessions: the member's open tab lands on /login with the
// reason. Past the re-authentication window the password dialog comes first, and the action
// runs once the password is right; Escape gives up. "Sign everyone out" needs the name typed.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../helpers/graphql.js';
import { signIn } from '../helpers/graphql.js';
import { UA, device, screenshotPath, serverAndBrowser, signInInUi, tabIn } from './browser.js';
import { ORG, analyticalEngines } from './team.js';

const KICK_MESSAGE = 'An administrator of your organisation signed this session out.';

const e2e = serverAndBrowser();
let owner: TestUser;
let member: TestUser;
let admin: TestUser;
let ownerTab: { context: BrowserContext; page: Page };

/** A colleague's browser (the member's by default), signed in to the owner's organisation, on the sessions page. */
const memberTab = (who: TestUser = member): Promise<Page> => tabIn(e2e.browser, e2e.server.url, who, ORG);

const memberRows = () => ownerTab.page.getByRole('list', { name: 'Members' }).getByRole('listitem');
const reauthDialog = () => ownerTab.page.getByRole('dialog', { name: "Confirm it's you" });

async function signOutMember(): Promise<void> {
  await ownerTab.page.getByRole('button', { name: 'Sign out Charles Babbage' }).click();
  await ownerTab.page.getByRole('dialog', { name: 'Sign out this member?' }).getByRole('button', { name: 'Sign out' }).click();
}

beforeAll(async () => {
  ({ owner, member, admin } = await analyticalEngines(e2e.server));
  ownerTab = await device(e2e.browser, { userAgent: UA.linuxChrome });
  await signInInUi(ownerTab.page, e2e.server.url, owner);
  await ownerTab.page.waitForURL('**/sessions');
});

describe('an owner signs a member out', () => {
  it('offers "Sign out" on other members\' rows, not on their own', async () => {
    await ownerTab.page.getByRole('link', { name: 'Organisation' }).click();
    await ownerTab.page.getByRole('heading', { name: `Members of ${ORG}` }).waitFor();
    await expect.poll(() => memberRows().count()).toBe(3);
    const own = memberRows().filter({ hasText: 'Ada Lovelace' });
    expect(await own.getByRole('button', { name: /^Sign out/ }).count()).toBe(0);
    for (const name of ['Charles Babbage', 'Mary Somerville']) expect(await ownerTab.page.getByRole('button', { name: `Sign out ${name}` }).count()).toBe(1);
    await ownerTab.page.getByRole('button', { name: 'Sign everyone out' }).waitFor();
    await ownerTab.page.getByRole('list', { name: 'Members' }).screenshot({ path: screenshotPath('members-list') });
    await ownerTab.page.screenshot({ path: screenshotPath('account-members-owner'), fullPage: true });
  });

  it('an ADMIN sees "Sign out" on members, not on the owner, and no "Sign everyone out"', async () => {
    const page = await memberTab(admin);
    await page.getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: `Members of ${ORG}` }).waitFor();
    await page.getByRole('button', { name: 'Sign out Charles Babbage' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out Ada Lovelace' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign out Mary Somerville' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign everyone out' }).count()).toBe(0);
    await page.context().close();
  });

  it("the member's open tab lands on /login with the reason, at once", async () => {
    const page = await memberTab();
    const landed = page.waitForURL('**/login', { timeout: 10_000 });
    await signOutMember();
    await ownerTab.page.getByText('Signed out Charles Babbage: 1 session ended.').waitFor();
    await landed;
    expect(await page.getByRole('alert').first().textContent()).toContain(KICK_MESSAGE);
    await page.screenshot({ path: screenshotPath('login-after-admin-sign-out') });
    await page.context().close();
  });

  it('past the re-authentication window asks for the password first, then signs the member out', async () => {
    const page = await memberTab();
    e2e.server.clock.advance(301_000);
    await signOutMember();
    await reauthDialog().waitFor();
    const password = reauthDialog().getByLabel('Password');
    expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await password.getAttribute('type')).toBe('password');
    expect(await password.getAttribute('autocomplete')).toBe('current-password');
    // Nothing happened yet.
    expect(new URL(page.url()).pathname).toBe('/sessions');
    await ownerTab.page.screenshot({ path: screenshotPath('reauth-dialog') });

    await password.fill('not my password at all');
    await reauthDialog().getByRole('button', { name: 'Continue' }).click();
    await reauthDialog().getByText('The password is wrong.').waitFor();
    await ownerTab.page.screenshot({ path: screenshotPath('reauth-dialog-wrong-password') });
    const landed = page.waitForURL('**/login', { timeout: 10_000 });
    await password.fill(owner.password);
    await reauthDialog().getByRole('button', { name: 'Continue' }).click();
    await ownerTab.page.getByText('Signed out Charles Babbage: 1 session ended.').waitFor();
    await expect.poll(() => reauthDialog().isVisible()).toBe(false);
    await landed;
    expect(await page.getByRole('alert').first().textContent()).toContain(KICK_MESSAGE);
    await page.context().close();
  });

  it('Escape closes the password dialog and changes nothing', async () => {
    await signIn(e2e.server, member, owner.organizationId);
    e2e.server.clock.advance(301_000);
    await signOutMember();
    await reauthDialog().waitFor();
    await ownerTab.page.keyboard.press('Escape');
    await expect.poll(() => reauthDialog().isVisible()).toBe(false);
    const confirm = ownerTab.page.getByRole('dialog', { name: 'Sign out this member?' });
    await confirm.getByText('Enter your password again to do this.').waitFor();
    const live = await e2e.server.app.services.prisma.session.count({ where: { userId: member.userId, organizationId: owner.organizationId, revokedAt: null } });
    expect(live).toBe(1);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });

  it('"Sign everyone out" needs the organisation\'s name typed, and ends every other session in it', async () => {
    const page = await memberTab();
    await ownerTab.page.getByRole('button', { name: 'Sign everyone out' }).click();
    const dialog = ownerTab.page.getByRole('dialog', { name: `Sign everyone out of ${ORG}?` });
    const go = dialog.getByRole('button', { name: 'Sign everyone out' });
    await dialog.getByLabel(`Type “${ORG}” to confirm`).fill('Analytical');
    expect(await go.isDisabled()).toBe(true);
    await dialog.getByLabel(`Type “${ORG}” to confirm`).fill(ORG);
    expect(await go.isEnabled()).toBe(true);
    await ownerTab.page.screenshot({ path: screenshotPath('sign-everyone-out-dialog') });
    const landed = page.waitForURL('**/login', { timeout: 10_000 });
    await go.click();
    // The window passed in the test before: the password first, then the retry.
    await reauthDialog().getByLabel('Password').fill(owner.password);
    await reauthDialog().getByRole('button', { name: 'Continue' }).click();
    await ownerTab.page.getByText(/^Signed out \d+ sessions? in Analytical Engines\. Your session here stays\.$/).waitFor();
    await landed;
    expect(await page.getByRole('alert').first().textContent()).toContain(KICK_MESSAGE);
    // The owner's tab is still signed in.
    await ownerTab.page.reload();
    await ownerTab.page.getByRole('heading', { name: `Members of ${ORG}` }).waitFor();
    await page.context().close();
  });
});
