// The Organisation page in Chromium: an owner watches the members' sessions live (online dots,
// new sign-ins appearing), filters by member, ends one session (the member's tab lands on
// /login), pages through the audit trail; a MEMBER never sees the page; an ADMIN demoted while
// watching loses the console at once. Also at phone width.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import type { TestUser } from '../helpers/graphql.js';
import { ok, signIn } from '../helpers/graphql.js';
import { UA, device, screenshotPath, serverAndBrowser, signInInUi, tabIn } from './browser.js';
import { ORG, analyticalEngines } from './team.js';

const KICK_MESSAGE = 'An administrator of your organisation signed this session out.';
const SET_ROLE = graphql(`mutation E2eSetRole($i: UpdateMemberRoleInput!) { updateMemberRole(input: $i) { id } }`);

const e2e = serverAndBrowser();
let owner: TestUser;
let member: TestUser;
let admin: TestUser;
let ownerPage: Page;

const colleagueTab = (who: TestUser, userAgent?: string): Promise<Page> => tabIn(e2e.browser, e2e.server.url, who, ORG, userAgent);

const sessionRows = (page: Page) => page.getByRole('list', { name: 'Organisation sessions' }).getByRole('listitem');
const rowOf = (page: Page, name: string) => sessionRows(page).filter({ hasText: name });

beforeAll(async () => {
  ({ owner, member, admin } = await analyticalEngines(e2e.server));
  ({ page: ownerPage } = await device(e2e.browser, { userAgent: UA.linuxChrome }));
  await signInInUi(ownerPage, e2e.server.url, owner);
  await ownerPage.waitForURL('**/sessions');
  await ownerPage.getByRole('link', { name: 'Organisation' }).click();
  await ownerPage.getByRole('heading', { name: "Members' sessions" }).waitFor();
});

describe('the Organisation page', () => {
  it("shows a member's new sign-in live, online while their tab is open", async () => {
    const tab = await colleagueTab(member);
    await rowOf(ownerPage, 'Charles Babbage').first().waitFor();
    await expect.poll(() => rowOf(ownerPage, 'Charles Babbage').getByText('Online now').count()).toBeGreaterThan(0);
    expect(await rowOf(ownerPage, 'Charles Babbage').first().textContent()).toContain('Safari');
    await ownerPage.screenshot({ path: screenshotPath('organization-page'), fullPage: true });
    await ownerPage.setViewportSize({ width: 390, height: 844 });
    await ownerPage.screenshot({ path: screenshotPath('organization-page-phone'), fullPage: true });
    await ownerPage.setViewportSize({ width: 1100, height: 800 });
    await tab.context().close();
    await expect.poll(() => rowOf(ownerPage, 'Charles Babbage').getByText('Online now').count(), { timeout: 15_000 }).toBe(0);
  });

  it("filters by member, and ending one session sends that member's tab to /login at once", async () => {
    const tab = await colleagueTab(member, UA.windowsFirefox);
    await ownerPage.getByLabel('Sessions of', { exact: true }).selectOption({ label: 'Charles Babbage' });
    await expect.poll(async () => (await sessionRows(ownerPage).allTextContents()).every((t) => t.includes('Charles Babbage'))).toBe(true);
    await ownerPage.getByRole('button', { name: "End all of Charles Babbage's sessions" }).waitFor();
    const row = rowOf(ownerPage, 'Firefox');
    await expect.poll(() => row.getByText('Online now').count()).toBe(1);
    const landed = tab.waitForURL('**/login', { timeout: 10_000 });
    await row.getByRole('button', { name: /^End Charles Babbage's session/ }).click();
    await ownerPage.getByRole('dialog', { name: 'End this session?' }).getByRole('button', { name: 'End session' }).click();
    await landed;
    expect(await tab.getByRole('alert').first().textContent()).toContain(KICK_MESSAGE);
    await expect.poll(() => rowOf(ownerPage, 'Firefox').count()).toBe(0);
    await ownerPage.getByLabel('Sessions of', { exact: true }).selectOption({ label: 'Everyone' });
    await tab.context().close();
  });

  it('pages through the audit trail', async () => {
    // 30 more sign-ins into the organisation: more than one page of 25.
    for (let i = 0; i < 30; i++) await signIn(e2e.server, member, owner.organizationId);
    await ownerPage.reload();
    const events = ownerPage.getByRole('list', { name: 'Organisation audit events' }).getByRole('listitem');
    await expect.poll(() => events.count()).toBe(25);
    await ownerPage.getByRole('button', { name: 'Show older events' }).click();
    await expect.poll(() => events.count()).toBeGreaterThan(25);
    await ownerPage.getByLabel('Kind of event', { exact: true }).selectOption({ label: "Ended a member's session" });
    await expect.poll(async () => (await events.allTextContents()).every((t) => t.includes("Ended a member's session"))).toBe(true);
    expect(await events.count()).toBe(1);
  });

  it('is not offered to a MEMBER, and refuses them when they go there', async () => {
    const tab = await colleagueTab(member);
    expect(await tab.getByRole('link', { name: 'Organisation' }).count()).toBe(0);
    await tab.goto(`${e2e.server.url}/organization`);
    await tab.getByText(`Only the owners and admins of ${ORG} see this page.`).waitFor();
    expect(await tab.getByRole('list', { name: 'Organisation sessions' }).count()).toBe(0);
    await tab.context().close();
  });

  it('an ADMIN demoted while watching loses the console at once', async () => {
    const tab = await colleagueTab(admin);
    await tab.getByRole('link', { name: 'Organisation' }).click();
    await tab.getByRole('heading', { name: "Members' sessions" }).waitFor();
    await ok(e2e.server, SET_ROLE, { i: { organizationId: owner.organizationId, userId: admin.userId, role: 'MEMBER' } }, owner.auth);
    await tab.getByText(`Only the owners and admins of ${ORG} see this page.`).waitFor({ timeout: 10_000 });
    await expect.poll(() => tab.getByRole('link', { name: 'Organisation' }).count()).toBe(0);
    await tab.context().close();
  });
});
