// A deployment with MFA_REQUIRED, in Chromium: a new account sets up TOTP right after sign-up,
// before its first session, and lands on /sessions with it on.
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../helpers/graphql.js';
import { codeAt, mfaConfig } from '../helpers/mfa.js';
import { device, screenshotPath, serverAndBrowser, signUpInUi } from './browser.js';

const e2e = serverAndBrowser(() => mfaConfig({ mfaRequired: true }));
const CODE_LABEL = 'Enter the 6-digit code from your authenticator app';

describe('MFA_REQUIRED', () => {
  it('sign-up goes through enrolment (QR, key, code, recovery codes) and only then into /sessions', async () => {
    const { context, page } = await device(e2e.browser);
    const email = uniqueEmail('enrol');
    await signUpInUi(page, e2e.server.url, { name: 'Mary Somerville', email, password: PASSWORD, organizationName: 'Mechanisms' });
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    const user = await e2e.server.app.services.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await e2e.server.app.services.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.screenshot({ path: screenshotPath('mfa-required-sign-up'), fullPage: true });
    await page.getByLabel(CODE_LABEL).fill(await codeAt(e2e.server, secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.waitForURL('**/sessions');
    expect(await e2e.server.app.services.prisma.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
    await context.close();
  });
});
