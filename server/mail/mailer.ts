// Outgoing mail through nodemailer's SMTP transport (SMTP_URL). Without SMTP_URL nothing is sent.
import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../process/config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** False without SMTP_URL: callers then skip the work that would only lead to a message. */
  readonly enabled: boolean;
  /** Sends one message; throws on failure. Bounded by the transport's timeouts. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export const MAIL_DISABLED_MESSAGE = 'SMTP_URL is not set: password reset is disabled (requestPasswordReset answers as usual and sends nothing), and invitations are made without their mail';

// A slow or dead relay must not hold a reset task (and the shutdown that waits for it) for minutes.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, log: Logger): Mailer {
  const { smtpUrl } = config;
  if (!smtpUrl) {
    return { enabled: false, send: async () => {}, close: () => {} };
  }
  // nodemailer's own logger stays off: it would write addresses and message bodies (the link).
  const transport = createTransport({ url: smtpUrl, ...TIMEOUTS, logger: false, debug: false });
  return {
    enabled: true,
    async send(message) {
      const info = await transport.sendMail({ from: config.mailFrom, ...message });
      // The message id only: neither the recipient nor the content belong in a log.
      log.info({ messageId: info.messageId }, 'mail sent');
    },
    close: () => transport.close(),
  };
}
