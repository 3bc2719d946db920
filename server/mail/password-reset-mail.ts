// The password-reset message: plain text and HTML, one link whose token is in the fragment.
import type { MailMessage } from './mailer.js';

/**
 * `${base}/reset-password#token=…`: a fragment is never sent to a server, so the token reaches no
 * access log, proxy or Referer header (ASVS 5.0 14.2.1); the web app reads it from location.hash.
 */
export function resetLink(base: string, token: string): string {
  return `${base}/reset-password#token=${encodeURIComponent(token)}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function passwordResetMail(to: string, name: string, link: string, ttlMinutes: number): MailMessage {
  const text = [
    `Hello ${name},`,
    '',
    'Someone (hopefully you) asked to reset the password of your Session Gateway account.',
    `Open this link within ${ttlMinutes} minutes to choose a new password:`,
    '',
    link,
    '',
    'The link works once. Resetting signs out every session of your account; if two-factor',
    'authentication is on, signing in afterwards still asks for your code.',
    '',
    'If you did not ask for this, ignore this message: your password stays as it is.',
  ].join('\n');
  const href = escapeHtml(link);
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933">
<p>Hello ${escapeHtml(name)},</p>
<p>Someone (hopefully you) asked to reset the password of your Session Gateway account.
Open this link within ${ttlMinutes} minutes to choose a new password:</p>
<p><a href="${href}" style="display: inline-block; padding: 8px 16px; background: #2563eb; color: #fff; border-radius: 6px; text-decoration: none">Choose a new password</a></p>
<p style="font-size: 0.9em">Or paste this address into your browser:<br>${href}</p>
<p>The link works once. Resetting signs out every session of your account; if two-factor
authentication is on, signing in afterwards still asks for your code.</p>
<p>If you did not ask for this, ignore this message: your password stays as it is.</p>
</body></html>`;
  return { to, subject: 'Reset your Session Gateway password', text, html };
}
