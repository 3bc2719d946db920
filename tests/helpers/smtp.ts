// A real SMTP server (smtp-server) on a free loopback port that keeps every message it receives.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

export interface ReceivedMail {
  to: string[];
  /** The whole message as sent (headers and MIME parts). */
  raw: string;
}

export interface MailSink {
  /** SMTP_URL for the gateway. */
  url: string;
  messages: ReceivedMail[];
  /** The first message to `address` after the `skip` earlier ones to it. */
  waitFor(address: string, options?: { skip?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  to(address: string): ReceivedMail[];
  stop(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const messages: ReceivedMail[] = [];
  const listeners = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to make for a test.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') });
        listeners.forEach((l) => l());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => messages.filter((m) => m.to.includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to,
    waitFor: (address, { skip = 0, timeoutMs = 10_000 } = {}) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = to(address)[skip];
          if (!found) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no mail to ${address} within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Undoes quoted-printable (soft line breaks, =XX), which nodemailer uses for long lines. */
export function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The reset links of a message, from every part (text and HTML). */
export function resetLinks(mail: ReceivedMail): string[] {
  return [...decodeQuotedPrintable(mail.raw).matchAll(/https?:\/\/[^\s"<>]+\/reset-password#token=[A-Za-z0-9_%-]+/g)].map((m) => m[0]);
}

/** The token in a message's reset link (the fragment's `token`). */
export function resetToken(mail: ReceivedMail): string {
  const link = resetLinks(mail)[0];
  if (!link) throw new Error(`no reset link in:\n${mail.raw}`);
  return decodeURIComponent(new URL(link).hash.slice('#token='.length));
}

/**
 * A mail sink for a whole test file, read through the returned object inside tests and hooks.
 * Call it before the file's server helper: its hooks then start the sink first and stop it last.
 */
export function mailSinkForFile(): { readonly sink: MailSink } {
  let sink: MailSink | undefined;
  beforeAll(async () => {
    sink = await startMailSink();
  });
  afterAll(async () => {
    await sink?.stop();
  });
  return {
    get sink() {
      if (!sink) throw new Error('the mail sink is not started yet: read it inside a test or a hook');
      return sink;
    },
  };
}
