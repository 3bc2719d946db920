// A signed-in tab through a server outage: the gateway runs as its own process, on one port and
// one PGlite data directory, and is stopped and started again. The tab keeps trying (capped
// backoff), calls itself offline with a Reconnect button, and once the server answers it learns at
// once what happened meanwhile: a session revoked then sends it to /login without a click.
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import type { TestUser } from '../helpers/graphql.js';
import { ok, signIn, signUp } from '../helpers/graphql.js';
import type { Proc } from '../helpers/process.js';
import { freePort, spawnGateway } from '../helpers/process.js';
import { device, launch, screenshotPath, sessionCards, signInInUi } from './browser.js';

const OUTAGE_MS = 60_000;
/** The backoff's cap (client/src/backoff.ts), plus room for the attempt itself. */
const CAP_MS = 40_000;

let browser: Browser;
let dataDir: string;
let port: number;
let gateway: Proc | null = null;
const server = { get url() { return `http://127.0.0.1:${port}`; }, get graphqlUrl() { return `${this.url}/graphql`; } };

/** The gateway on the file's port and data directory; resolves once it answers /health. */
async function startGateway(): Promise<number> {
  gateway = await spawnGateway({ PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' }, { readyTimeoutMs: 100_000 });
  for (;;) {
    const answered = await fetch(`${server.url}/health`).then((r) => r.ok, () => false);
    if (answered) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopGateway(signal: NodeJS.Signals): Promise<void> {
  await gateway?.stop(signal);
  gateway = null;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sg-outage-'));
  port = await freePort();
  await startGateway();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stopGateway('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

/** A signed-in tab on /sessions, live; its session id; and a second session of the same user. */
async function signedInTab(): Promise<{ page: Page; sessionId: string; other: TestUser; pageErrors: string[] }> {
  if (!gateway) await startGateway();
  const user = await signUp(server, { name: 'Outage Person' });
  const { page } = await device(browser);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await signInInUi(page, server.url, user);
  await page.waitForURL('**/sessions');
  await page.getByText('Live', { exact: true }).waitFor();
  const sessionId = (await sessionCards(page).first().getAttribute('data-session-id')) ?? '';
  // Signed in now, so its revokeSession needs no fresh password later.
  const other = await signIn(server, user);
  return { page, sessionId, other, pageErrors };
}

const reconnectButton = (page: Page) => page.getByRole('button', { name: 'Reconnect' });
/** The connection banner (the sessions page has a status line of its own). */
const banner = (page: Page) => page.getByRole('status').filter({ has: reconnectButton(page) });

describe('a server outage', () => {
  it('a tab kept through 60 s of outage lands on /login, without a click, once the session is revoked', { timeout: 200_000 }, async () => {
    const { page, sessionId, other, pageErrors } = await signedInTab();
    const stoppedAt = Date.now();
    await stopGateway('SIGTERM');

    await reconnectButton(page).waitFor({ timeout: 20_000 });
    expect(await banner(page).textContent()).toContain('Offline');
    await page.screenshot({ path: screenshotPath('outage-offline') });
    await banner(page).screenshot({ path: screenshotPath('outage-offline-banner') });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
    // Still trying, still offline, still on the page the user left it on.
    expect(new URL(page.url()).pathname).toBe('/sessions');
    expect(await reconnectButton(page).count()).toBe(1);

    const answeredAt = await startGateway();
    await ok(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: sessionId }, other.auth);
    await page.waitForURL('**/login', { timeout: CAP_MS });
    const landedAfter = Date.now() - answeredAt;
    writeFileSync(screenshotPath('outage-timing').replace(/\.png$/, '.json'), JSON.stringify({ landedAfterMs: landedAfter }));
    expect(landedAfter).toBeLessThan(CAP_MS);
    // Refused at connection_init (4403) or by the session check (401): the reason is not known there.
    expect(await page.getByRole('alert').first().textContent()).toMatch(/Your session has ended|signed out from another device/);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('Reconnect tries at once (backoff reset), and reconnects at once once the server is back', { timeout: 150_000 }, async () => {
    const { page, pageErrors } = await signedInTab();
    let attempts = 0;
    page.on('websocket', () => attempts++);
    const caughtUp: string[] = [];
    page.on('request', (r) => {
      const operation = /"operationName":"(\w+)"/.exec(r.postData() ?? '')?.[1];
      if (operation) caughtUp.push(operation);
    });
    await stopGateway('SIGKILL');
    await reconnectButton(page).waitFor({ timeout: 20_000 });
    // Long enough for the backoff to wait several seconds between attempts.
    await new Promise((resolve) => setTimeout(resolve, 15_000));

    // Still down: the click makes an attempt now, and the banner starts over from "Reconnecting…".
    const before = attempts;
    await reconnectButton(page).click();
    await page.getByText('Reconnecting… live updates are paused.').waitFor({ timeout: 1_000 });
    // The browser reports a new socket a moment after the page made it: polled, within the same second.
    await expect.poll(() => attempts, { timeout: 1_000, interval: 50 }).toBeGreaterThan(before);
    await reconnectButton(page).waitFor({ timeout: 15_000 });

    await startGateway();
    caughtUp.length = 0;
    // Unless a background attempt got there first (its wait is random), the click reconnects.
    if (await reconnectButton(page).isVisible()) {
      const clickedAt = Date.now();
      await reconnectButton(page).click();
      await page.getByText('Live', { exact: true }).waitFor({ timeout: 5_000 });
      expect(Date.now() - clickedAt).toBeLessThan(3_000);
    }
    await page.getByText('Live', { exact: true }).waitFor({ timeout: CAP_MS });
    expect(await reconnectButton(page).count()).toBe(0);
    // On reconnection the tab checks its session and refetches the list it may have missed events of.
    await expect.poll(() => caughtUp, { timeout: 5_000 }).toEqual(expect.arrayContaining(['Viewer', 'Sessions']));
    expect(new URL(page.url()).pathname).toBe('/sessions');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
