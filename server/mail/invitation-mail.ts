// The invitation message: plain text and HTML, with a link to the web app's invitations. The link
// carries no token: accepting needs a session of the account with the invited address.
import type { MailMessage } from './mailer.js';
import { escapeHtml } from './password-reset-mail.js';

/** Where the invitee sees (after signing in or up) and answers their invitations. */
export function invitationsLink(base: string): string {
  return `${base}/account#invitations`;
}

export interface InvitationMailInput {
  to: string;
  organizationName: string;
  inviterName: string;
  role: string;
  link: string;
  ttlDays: number;
}

export function invitationMail({ to, organizationName, inviterName, role, link, ttlDays }: InvitationMailInput): MailMessage {
  const roleName = role.toLowerCase();
  const asRole = `${/^[aeiou]/.test(roleName) ? 'an' : 'a'} ${roleName}`;
  const text = [
    'Hello,',
    '',
    `${inviterName} invited ${to} to join ${organizationName} on Session Gateway as ${asRole}.`,
    `Sign in (or create an account) with this address within ${ttlDays} days, then accept or decline the invitation:`,
    '',
    link,
    '',
    'If you did not expect this, ignore this message: nothing happens unless you accept.',
  ].join('\n');
  const href = escapeHtml(link);
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933">
<p>Hello,</p>
<p>${escapeHtml(inviterName)} invited ${escapeHtml(to)} to join <strong>${escapeHtml(organizationName)}</strong> on Session Gateway as ${asRole}.
Sign in (or create an account) with this address within ${ttlDays} days, then accept or decline the invitation:</p>
<p><a href="${href}" style="display: inline-block; padding: 8px 16px; background: #2563eb; color: #fff; border-radius: 6px; text-decoration: none">See the invitation</a></p>
<p style="font-size: 0.9em">Or paste this address into your browser:<br>${href}</p>
<p>If you did not expect this, ignore this message: nothing happens unless you accept.</p>
</body></html>`;
  return { to, subject: `${inviterName} invited you to ${organizationName}`, text, html };
}
