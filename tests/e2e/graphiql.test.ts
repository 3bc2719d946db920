// GraphiQL in Chromium with every outside address unreachable: the page comes whole from the
// gateway, a query runs over HTTP, and sessionEvents arrives over the socket on the session cookie.
import type { BrowserContext, Page, Request, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signIn, uniqueEmail } from '../helpers/graphql.js';
import { device, screenshotPath, serverAndBrowser, signUpInUi } from './browser.js';

const e2e = serverAndBrowser();
const user = { name: 'Grace Hopper', email: uniqueEmail('grace'), password: PASSWORD, organizationName: 'Compilers' };
/** Requests and sockets to any host but the gateway's: refused, and recorded to fail the test. */
const outside: string[] = [];
const pageErrors: string[] = [];
let context: BrowserContext;
let page: Page;

/** What the page's CSP refused (securitypolicyviolation events). */
const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

/** Monaco draws spaces as U+00A0. */
const text = async (selector: string) => (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');

/** The document an HTTP request carries (GraphiQL sends it printed, over several lines). */
function documentOf(request: Request): string {
  try {
    return (JSON.parse(request.postData() ?? '{}') as { query?: string }).query ?? '';
  } catch {
    return '';
  }
}

async function setQuery(query: string): Promise<void> {
  await page.locator('.graphiql-query-editor .monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // insertText, not type: typed braces would be closed a second time by the editor.
  await page.keyboard.insertText(query);
}

beforeAll(async () => {
  // Wide enough for the subscription on one line of the editor, unscrolled, in the screenshot.
  ({ context, page } = await device(e2e.browser, { width: 1400 }));
  const own = new URL(e2e.server.url).host;
  const isOutside = (url: URL) => (url.protocol.startsWith('http') || url.protocol.startsWith('ws')) && url.host !== own;
  await context.route(
    (url) => isOutside(url),
    (route) => {
      outside.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  await context.routeWebSocket(
    (url) => isOutside(url),
    (ws) => {
      outside.push(ws.url());
      return ws.close();
    },
  );
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await context?.close();
});

describe('GraphiQL without the internet', () => {
  it('renders the editor from the gateway alone, under a CSP of its own', async () => {
    await signUpInUi(page, e2e.server.url, user);
    await page.waitForURL('**/sessions');
    const appCsp = (await page.request.get(`${e2e.server.url}/login`)).headers()['content-security-policy'];

    // The schema for the editor: introspection passes the query limits outside production.
    const introspected = page.waitForResponse((r) => documentOf(r.request()).includes('__schema'));
    const response = await page.goto(`${e2e.server.url}/graphql`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(csp).toContain("frame-ancestors 'none'");
    // The web app's own pages keep their policy: no hash, no blob: workers.
    expect(appCsp).toContain("script-src 'self'");
    expect(appCsp).not.toContain('sha256');
    expect(appCsp).not.toContain('blob:');

    await page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    await page.locator('.graphiql-execute-button').waitFor();
    expect(await page.getByText('Loading', { exact: false }).count()).toBe(0);
    expect(await page.title()).toBe('Session Gateway GraphiQL');
    const schema = await introspected;
    expect(schema.status()).toBe(200);
    const body = (await schema.json()) as { data?: { __schema?: { subscriptionType?: { name: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema?.subscriptionType?.name).toBe('Subscription');
  });

  it('runs a query over HTTP with the session cookie', async () => {
    await setQuery('{ me { email } }');
    const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && /\bme\s*\{\s*email\b/.test(documentOf(r.request())));
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.request().method()).toBe('POST');
    // What lets it past the CSRF check: JSON is never a "simple" cross-site request.
    expect(response.request().headers()['content-type']).toContain('application/json');
    await expect.poll(() => text('.graphiql-response')).toContain(`"email": "${user.email}"`);
  });

  it('runs sessionEvents over the socket and shows a sign-in elsewhere', async () => {
    const sent: string[] = [];
    const received: string[] = [];
    const overHttp: string[] = [];
    page.on('websocket', (ws: WebSocket) => {
      if (!ws.url().endsWith('/graphql')) return;
      ws.on('framesent', (f) => sent.push(String(f.payload)));
      ws.on('framereceived', (f) => received.push(String(f.payload)));
    });
    page.on('request', (r) => {
      if (documentOf(r).includes('sessionEvents')) overHttp.push(r.url());
    });
    await setQuery('subscription { sessionEvents { type session { id } } }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => sent.some((f) => f.includes('"subscribe"'))).toBe(true);
    // No token in connection_init: the socket authenticated with the cookie.
    expect(sent.find((f) => f.includes('"connection_init"'))).not.toContain('authorization');
    await expect.poll(() => received.some((f) => f.includes('"connection_ack"'))).toBe(true);

    const elsewhere = await signIn(e2e.server, user);
    await expect.poll(() => text('.graphiql-response'), { timeout: 10_000 }).toContain(elsewhere.sessionId);
    const shown = await text('.graphiql-response');
    expect(shown).toContain('"type": "CREATED"');
    expect(received.some((f) => f.includes('"next"') && f.includes(elsewhere.sessionId))).toBe(true);
    expect(overHttp).toEqual([]);
    await page.screenshot({ path: screenshotPath('graphiql-subscription') });
  });

  it('asked no outside address for anything, and broke no CSP rule', async () => {
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await violations()).toEqual([]);
  });
});
