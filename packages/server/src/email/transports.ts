import { connect, type Socket } from 'node:net';
import { createTransport, type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { secureRandom } from '../domain/crypto.js';
import type { DevMailbox } from './dev-mailbox.js';
import { PermanentMailError } from './render.js';

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
  /** Lets go of connections (the server calls it when it stops). */
  close?(): void;
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
 * Opens the TCP connection for nodemailer with Nagle's algorithm off. Nodemailer writes a message
 * in several small pieces; with Nagle on, each piece after the first waits for the server's
 * (delayed, ~40 ms) acknowledgement, so every message took ~50 ms however fast the server was.
 *
 * The socket is handed over while it is still connecting, never an error: nodemailer's pool frees
 * a slot only when its connection emits an error, and an error passed to this callback instead
 * leaves the slot taken for good (ten refused connections during an SMTP outage and every later
 * send waited forever). A refused or timed-out connect now fails on the connection, which ends
 * that one send as a temporary failure and drops the slot, so the next send opens a fresh one.
 */
function connectWithoutDelay(
  options: SMTPConnection.Options,
  callback: (err: Error | null, socketOptions?: { connection: Socket }) => void,
): void {
  const socket = connect({
    host: options.host ?? 'localhost',
    port: Number(options.port) || (options.secure ? 465 : 587),
    noDelay: true,
  });
  const timer = setTimeout(
    () => socket.destroy(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })),
    options.connectionTimeout ?? 10_000,
  );
  socket.once('connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
  callback(null, { connection: socket });
}

/** SMTP commands whose 5xx answer is about this message (its sender, recipient or content). */
const MESSAGE_COMMANDS = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);

/**
 * A 5xx answer to MAIL FROM, RCPT TO or DATA (`550 5.1.1 no such user`) will be the same answer
 * next time: a `PermanentMailError` carrying the server's text, so the dispatcher fails the message
 * at once. 4xx answers, refused connections and timeouts stay temporary (retried with backoff), and
 * so do 5xx answers to the greeting or to AUTH: those are about the server's set-up, not the
 * message, and failing every message for a wrong password would lose mail an operator can save.
 */
function classify(error: unknown): unknown {
  const e = error as { responseCode?: unknown; command?: unknown; response?: unknown } | null;
  if (
    e &&
    typeof e.responseCode === 'number' &&
    e.responseCode >= 500 &&
    e.responseCode < 600 &&
    typeof e.command === 'string' &&
    MESSAGE_COMMANDS.has(e.command)
  ) {
    const reply = typeof e.response === 'string' ? e.response : String(e.responseCode);
    return new PermanentMailError(`${e.command} refused: ${reply}`, { cause: error });
  }
  return error;
}

/**
 * Sends through an SMTP server named by a URL (`smtp://user:pass@host:587`, `smtps://host:465`;
 * nodemailer options such as `?connectionTimeout=5000` may ride in the query). Addresses go to
 * nodemailer as structured values, so header injection through them is impossible, and the
 * message's own Message-ID is used, so a retried message keeps the same header.
 *
 * Connections are pooled while mail flows (`connections` at most, default 10 = the dispatcher's
 * batch) and closed after `idleMs` without a send, so a busy outbox does not pay a TCP and SMTP
 * handshake per message and an idle one holds no connection open.
 *
 * @example
 * const transport = smtpTransport('smtp://mailer:secret@smtp.example.com:587');
 */
export function smtpTransport(
  smtpUrl: string,
  options: { connections?: number; idleMs?: number } = {},
): MailTransport & { close(): void } {
  const settings: SMTPPool.Options = {
    ...parseConnectionUrl(withDefaultTimeouts(smtpUrl)),
    pool: true,
    maxConnections: options.connections ?? 10,
    getSocket: connectWithoutDelay as never,
  };
  let pool: Transporter | null = null;
  let inFlight = 0;
  let idle: NodeJS.Timeout | undefined;
  const close = () => {
    clearTimeout(idle);
    pool?.close();
    pool = null;
  };
  return {
    async send(mail) {
      clearTimeout(idle);
      inFlight += 1;
      pool ??= createTransport(settings);
      try {
        const from = parseAddress(mail.from);
        const to = parseAddress(mail.to);
        // The message is built in memory and handed over whole: streamed, nodemailer writes it to
        // the socket in dozens of small pieces, a system call each with Nagle off.
        const raw = await new MailComposer(<Mail.Options & { baseBoundary: string }>{
          from,
          to: [to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          // Multipart boundaries from the pooled CSPRNG bytes rather than a generator call per part.
          baseBoundary: secureRandom(12).toString('hex'),
          // Base64 bodies: encoded natively, where quoted-printable runs in JavaScript per line.
          textEncoding: 'base64',
          // Content is ours; never let a template value make nodemailer read a file or fetch a URL.
          disableFileAccess: true,
          disableUrlAccess: true,
        })
          .compile()
          .build();
        await pool.sendMail({ envelope: { from: from.address, to: [to.address] }, raw }).catch((error: unknown) => {
          throw classify(error);
        });
      } finally {
        inFlight -= 1;
        if (inFlight === 0) idle = setTimeout(close, options.idleMs ?? 1_000).unref();
      }
    },
    close,
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
