import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server for tests: receives mail on a random port and parses it. */
export interface TestSmtp {
  url: string;
  port: number;
  messages: ParsedMail[];
  /** How many SMTP connections are open now: more than none while a sender is handing over mail. */
  openConnections(): number;
  /** How many SMTP connections senders have opened since the server started. */
  connectionsOpened(): number;
  /** Resolves with the first message to `to` that matches, waiting for it to arrive. */
  waitFor(to: string, options?: { timeoutMs?: number; match?: (m: ParsedMail) => boolean }): Promise<ParsedMail>;
  close(): Promise<void>;
}

export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

export interface SmtpOptions {
  /**
   * While this returns true, received messages are held: the server does not answer the end of
   * DATA, so the sender is stuck mid-send (to kill it there). A held message counts as received
   * only if its sender is still connected when the hold ends, as with a real server.
   */
  holdWhile?: () => boolean;
  /** Answers RCPT TO for an address with this SMTP reply (a 550 or a 450, say) instead of accepting it. */
  refuseRecipient?: (address: string) => { code: number; message: string } | null;
}

export async function startSmtp(port = 0, options: SmtpOptions = {}): Promise<TestSmtp & { held: () => number }> {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const open = new Set<string>();
  const closed = new Set<string>();
  let held = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(session, callback) {
      open.add(session.id);
      callback();
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.refuseRecipient?.(address.address.toLowerCase());
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onClose(session) {
      open.delete(session.id);
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if (options.holdWhile?.()) {
            held += 1;
            while (options.holdWhile() && !closed.has(session.id)) await new Promise((r) => setTimeout(r, 20));
            held -= 1;
            if (closed.has(session.id)) return callback(new Error('sender went away'));
          }
          messages.push(mail);
          for (const w of waiters) w();
          callback();
        })
        .catch(callback);
    },
  });
  // A sender killed mid-connection (the crash tests SIGKILL instances with pooled connections open)
  // resets its socket: that is the point of those tests, not a failure of the server.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.server.address() as { port: number }).port;
  return {
    held: () => held,
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    messages,
    openConnections: () => open.size,
    connectionsOpened: () => open.size + closed.size,
    waitFor(to, options = {}) {
      const find = () => messages.find((m) => recipients(m).includes(to.toLowerCase()) && (options.match?.(m) ?? true));
      return new Promise((resolve, reject) => {
        const found = find();
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no mail to ${to} within ${options.timeoutMs ?? 10_000} ms (got ${messages.length} others)`),
          );
        }, options.timeoutMs ?? 10_000);
        const check = () => {
          const m = find();
          if (m) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(m);
          }
        };
        waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The accept link in an invitation mail. */
export function linkIn(mail: ParsedMail): string {
  const match = /(https?:\/\/\S+accept-invitation\?ticket=[\w%-]+)/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no accept link in mail: ${mail.text}`);
  return match[1];
}

/** The six-digit code in a verification mail. */
export function codeIn(mail: ParsedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no code in mail: ${mail.text}`);
  return match[1];
}
