/**
 * A real Roster (and its real SMTP server) in its own Node process, listening on 127.0.0.1 with
 * its public URL set to where it listens (so session tokens carry the issuer a client sees).
 * Started by `startLiveRoster()` (./live-roster.ts) with `fork()` and `--import tsx`; tests whose
 * globals are not Node's (happy-dom) or that must not share its module graph use it.
 *
 * Environment: ROSTER_LIVE_ENV (JSON, extra config), ROSTER_LIVE_CLOCK (`real` or `test`).
 * IPC, JSON messages:
 *   → { type: 'ready', url }
 *   ← { id, op: 'bapi', method, path, body? }   → { id, result: { status, body } }
 *   ← { id, op: 'waitForMail', to, subject? }   → { id, result: { subject, text, html } }
 *   ← { id, op: 'advanceClock', ms }            → { id, result: now }   (test clock only)
 * It exits when the parent disconnects.
 */
import { startTestRoster } from './harness.js';
import { freePort } from './processes.js';

type Message =
  | { id: number; op: 'bapi'; method: string; path: string; body?: unknown }
  | { id: number; op: 'waitForMail'; to: string; subject?: string }
  | { id: number; op: 'advanceClock'; ms: number };

const extra = JSON.parse(process.env.ROSTER_LIVE_ENV ?? '{}') as Record<string, string>;
const realClock = process.env.ROSTER_LIVE_CLOCK !== 'test';
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const t = await startTestRoster({
  env: {
    PORT: String(port),
    HOST: '127.0.0.1',
    ROSTER_PUBLIC_URL: url,
    // One server serves a whole test file, whose users all sign in from 127.0.0.1.
    ROSTER_SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
    ...extra,
  },
  ...(realClock && { overrides: { now: Date.now } }),
});
await t.roster.listen();

async function handle(message: Message): Promise<unknown> {
  switch (message.op) {
    case 'bapi': {
      const res = await t.bapi(message.method, message.path, message.body);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    }
    case 'waitForMail': {
      const subject = message.subject;
      const mail = await t.smtp.waitFor(
        message.to,
        subject ? { match: (m) => (m.subject ?? '').includes(subject) } : {},
      );
      return {
        subject: mail.subject ?? '',
        text: mail.text ?? '',
        html: typeof mail.html === 'string' ? mail.html : '',
      };
    }
    case 'advanceClock':
      return t.clock.advance(message.ms);
  }
}

process.on('message', (message: Message) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.once('disconnect', () => {
  void t.close().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', url });
