import { createTransport } from 'nodemailer';
import type { DevMailbox } from './dev-mailbox.js';

/** One email ready to go out. `messageId` is the Message-ID header, stable across retries. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** Where rendered mail goes: SMTP in production, the dev mailbox in development. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/** Timeouts applied unless the URL sets its own, so a hung server fails a send well inside the dispatcher's lease. */
const SMTP_TIMEOUTS: Record<string, number> = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 20_000,
};

function withDefaultTimeouts(smtpUrl: string): string {
  const present = new URL(smtpUrl).searchParams;
  const missing = Object.entries(SMTP_TIMEOUTS).filter(([key]) => !present.has(key));
  if (missing.length === 0) return smtpUrl;
  const query = missing.map(([key, value]) => `${key}=${value}`).join('&');
  return `${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}${query}`;
}

/** Splits `Name <addr@host>` or a bare `addr@host` into nodemailer's structured address. */
function parseAddress(value: string): { name: string; address: string } {
  if (/[\r\n]/.test(value)) throw new Error('mail address must not contain line breaks');
  const match = /^\s*(?:"?([^"<>]*?)"?\s*)?<([^<>\s]+)>\s*$/.exec(value);
  if (match) return { name: (match[1] ?? '').trim(), address: match[2] ?? '' };
  return { name: '', address: value.trim() };
}

/**
 * Sends through an SMTP server named by a URL (`smtp://user:pass@host:587`, `smtps://host:465`;
 * nodemailer options such as `?connectionTimeout=5000` may ride in the query). Addresses go to
 * nodemailer as structured values, so header injection through them is impossible, and the
 * message's own Message-ID is used, so a retried message keeps the same header.
 *
 * @example
 * const transport = smtpTransport('smtp://mailer:secret@smtp.example.com:587');
 */
export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = createTransport(withDefaultTimeouts(smtpUrl));
  return {
    async send(mail) {
      await transporter.sendMail({
        from: parseAddress(mail.from),
        to: [parseAddress(mail.to)],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        // Content is ours; never let a template value make nodemailer read a file or fetch a URL.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    },
  };
}

/** The http(s) links in a text body, deduplicated, in order. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [])];
}

/**
 * Development only: keeps each mail in the dev mailbox (readable at `/dev/mailbox`) and logs one
 * line with its recipient, subject and the links in its text, so a developer can click an
 * invitation without any mail server. Never use it in production: the log line carries the link.
 *
 * @example
 * const transport = devMailboxTransport(kyselyDevMailbox(db), (line) => console.log(line));
 */
export function devMailboxTransport(mailbox: DevMailbox, log: (line: string) => void): MailTransport {
  return {
    async send(mail) {
      await mailbox.save(mail);
      const links = linksIn(mail.text);
      log(
        `[dev mailbox] to=${mail.to} subject=${JSON.stringify(mail.subject)}` +
          (links.length ? ` link=${links.join(' ')}` : ''),
      );
    },
  };
}
