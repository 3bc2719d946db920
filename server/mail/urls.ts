// SMTP_URL and PUBLIC_URL, checked at start: a typo should fail the start, not every reset later.

/** `smtp://user:pass@host:587` or `smtps://…`; the message never repeats the value (it holds a password). */
export function parseSmtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('SMTP_URL must be a URL like smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${url.protocol}//`);
  if (url.hostname === '') throw new Error('SMTP_URL names no host');
  return value;
}

/**
 * The base of links in mail: an http(s) origin, optionally with a path prefix, without a query,
 * fragment or trailing slash. Never derived from a request's Host header, which a client chooses.
 */
export function parsePublicUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) URL like https://app.example.com, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must be http:// or https://, got "${value}"`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') throw new Error(`PUBLIC_URL must have no query, fragment or credentials, got "${value}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
