/**
 * The real Roster test server in its own Node process, for tests whose globals are not Node's:
 * under happy-dom the page's `fetch`/`Request`/`Headers` replace Node's, which the server's
 * HTTP adapter needs. Started by `fork()` with `--import tsx`; speaks JSON messages over IPC:
 *
 *   → { type: 'ready', url }                       once listening on 127.0.0.1
 *   ← { id, op: 'bapi', method, path, body? }       → { id, result: { status, body } }
 *   ← { id, op: 'waitForMail', to }                 → { id, result: { subject, text } }
 *   ← { id, op: 'advanceClock', ms }                → { id, result: now }
 *
 * It exits when the parent disconnects.
 */
import { startTestRoster } from '../../server/test/support/harness.js';

type Message =
  | { id: number; op: 'bapi'; method: string; path: string; body?: unknown }
  | { id: number; op: 'waitForMail'; to: string }
  | { id: number; op: 'advanceClock'; ms: number };

const t = await startTestRoster({
  env: {
    PORT: '0',
    HOST: '127.0.0.1',
    ROSTER_ALLOWED_ORIGINS: 'http://app.test',
    // One server serves a whole test file, whose users all sign in from 127.0.0.1.
    ROSTER_SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
  },
});
const url = (await t.roster.listen()).replace('//localhost:', '//127.0.0.1:');

async function handle(message: Message): Promise<unknown> {
  switch (message.op) {
    case 'bapi': {
      const res = await t.bapi(message.method, message.path, message.body);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    }
    case 'waitForMail': {
      const mail = await t.smtp.waitFor(message.to);
      return { subject: mail.subject ?? '', text: mail.text ?? '' };
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
