import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDispatcher, type DispatcherOptions } from '../../src/email/dispatcher.js';
import { createSecretBox } from '../../src/email/secret-box.js';
import { smtpTransport } from '../../src/email/transports.js';
import { startSmtp as startSupportSmtp } from '../support/smtp.js';
import {
  closedPort,
  hrefsIn,
  INVITE_URL,
  invitationMessage,
  openTestDb,
  startSmtp,
  type TestDb,
  type TestSmtp,
  testClock,
  verificationMessage,
} from './helpers.js';

/** Pooled connections close as soon as a test's sends are done, so its SMTP server can close at once. */
const noIdlePool = { idleMs: 0 };

const box = createSecretBox('sk_test_dispatcher_secret');
const FROM = 'Roster <no-reply@roster.example.test>';

let db: TestDb;
let smtp: TestSmtp | null = null;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
  await smtp?.close();
  smtp = null;
  await db?.handle.close();
});

/** Log lines captured as JSON, to check nothing secret reaches them. */
function captureLog() {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg: string) => lines.push(JSON.stringify({ level, msg, ...obj }));
  return { lines, log: { info: write('info'), warn: write('warn') } };
}

function dispatcher(options: Partial<DispatcherOptions> & Pick<DispatcherOptions, 'transport'>) {
  const d = createDispatcher({ store: db.store, secrets: box, from: FROM, instanceId: 'test-1', ...options });
  cleanups.push(() => d.stop());
  return d;
}

describe('outbox dispatcher over SMTP', () => {
  it('delivers a queued invitation with a stable Message-ID and a working link, then forgets the link', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    const message = invitationMessage(box, clock.now());
    await db.store.enqueueMail(message);
    const { lines, log } = captureLog();

    const sent = await dispatcher({ transport: smtpTransport(smtp.url, noIdlePool), now: clock.now, log }).drain();

    expect(sent).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.messageId).toBe(message.messageId);
    expect(mail.messageId).toMatch(/^<orginv_[0-9A-Za-z]{27}@roster>$/);
    expect(mail.subject).toBe('Grace Hopper invited you to join Acme Corp');
    expect(mail.from?.value[0]).toEqual({ name: 'Roster', address: 'no-reply@roster.example.test' });
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0]?.address).toBe('ada@example.org');
    // The link a person would click, in both bodies, is exactly the link the domain sealed.
    const textLinks = mail.text?.match(/https?:\/\/\S+/g) ?? [];
    expect(textLinks).toEqual([INVITE_URL]);
    expect(new URL(textLinks[0]!).searchParams.get('ticket')).toBe('tok_Zx9-secretTicketValue_123');
    expect(hrefsIn(typeof mail.html === 'string' ? mail.html : '')).toEqual([INVITE_URL, INVITE_URL]);

    const row = (await db.store.findMail(message.id))!;
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: clock.now(), lockedUntil: null });
    expect(row.payload).not.toHaveProperty('url');
    expect(row.payload).toMatchObject({ organizationName: 'Acme Corp', roleName: 'Member' });
    const raw = await db.handle.db.selectFrom('outbox').select('payload').executeTakeFirstOrThrow();
    expect(raw.payload).not.toContain('v1.');

    const logged = lines.join('\n');
    expect(logged).toContain(message.id);
    expect(logged).toContain('example.org');
    expect(logged).not.toContain('ada@');
    expect(logged).not.toContain('ticket');
    expect(logged).not.toContain('secretTicketValue');
  });

  it('delivers a verification code and removes the sealed code afterwards', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    const message = verificationMessage(box, clock.now(), '042137');
    await db.store.enqueueMail(message);
    const { lines, log } = captureLog();

    expect(await dispatcher({ transport: smtpTransport(smtp.url, noIdlePool), now: clock.now, log }).drain()).toBe(1);

    expect(smtp.received[0]?.text).toContain('042137');
    expect(smtp.received[0]?.subject).not.toContain('042137');
    const row = (await db.store.findMail(message.id))!;
    expect(row.status).toBe('sent');
    expect(row.payload).toEqual({ expiresAt: clock.now() + 600_000 });
    expect(lines.join('\n')).not.toContain('042137');
  });

  it('keeps a message queued while the server is down and sends it once it is back (nothing lost)', async () => {
    db = await openTestDb();
    const port = await closedPort();
    const clock = testClock();
    const message = invitationMessage(box, clock.now());
    await db.store.enqueueMail(message);
    const errors: string[] = [];
    const d = dispatcher({
      transport: smtpTransport(`smtp://127.0.0.1:${port}`, noIdlePool),
      now: clock.now,
      backoffMs: () => 5_000,
      onError: (_err, id) => errors.push(id),
    });

    expect(await d.drain()).toBe(0);
    let row = (await db.store.findMail(message.id))!;
    expect(row).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: clock.now() + 5_000, lockedUntil: null });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    expect(row.lastError).not.toContain('ticket');
    expect(row.payload.url).toBe(message.payload.url);
    expect(errors).toEqual([message.id]);

    // Not due yet: nothing is attempted.
    expect(await d.drain()).toBe(0);
    expect((await db.store.findMail(message.id))!.attempts).toBe(1);

    smtp = await startSmtp(port);
    clock.advance(5_001);
    expect(await d.drain()).toBe(1);
    row = (await db.store.findMail(message.id))!;
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.messageId).toBe(message.messageId);
  });

  it("marks a message 'failed' after maxAttempts and drops its sealed link", async () => {
    db = await openTestDb();
    const port = await closedPort();
    const clock = testClock();
    const message = invitationMessage(box, clock.now());
    await db.store.enqueueMail(message);
    const d = dispatcher({
      transport: smtpTransport(`smtp://127.0.0.1:${port}`, noIdlePool),
      now: clock.now,
      maxAttempts: 3,
      backoffMs: () => 1_000,
    });

    for (let i = 0; i < 5; i++) {
      await d.drain();
      clock.advance(1_001);
    }

    const row = (await db.store.findMail(message.id))!;
    expect(row).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    expect(row.payload).not.toHaveProperty('url');
  });

  it("fails a message refused with a 5xx at once, with the server's text, and retries a 4xx with backoff", async () => {
    db = await openTestDb();
    const refusing = await startSmtp550And450();
    cleanups.push(() => refusing.close());
    const clock = testClock();
    const gone = invitationMessage(box, clock.now(), { toAddress: 'gone@example.org' });
    const full = invitationMessage(box, clock.now(), { toAddress: 'full@example.org' });
    await db.store.enqueueMail(gone);
    await db.store.enqueueMail(full);
    const errors: string[] = [];
    const d = dispatcher({
      transport: smtpTransport(refusing.url, noIdlePool),
      now: clock.now,
      backoffMs: () => 5_000,
      onError: (_err, id) => errors.push(id),
    });

    expect(await d.drain()).toBe(0);
    const failed = (await db.store.findMail(gone.id))!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sentAt: null, lockedUntil: null });
    expect(failed.lastError).toBe('RCPT TO refused: 550 5.1.1 <gone@example.org>: no such user here');
    expect(failed.payload).not.toHaveProperty('url');
    const later = (await db.store.findMail(full.id))!;
    expect(later).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: clock.now() + 5_000 });
    expect(later.lastError).toMatch(/450 4\.2\.2 mailbox full/);

    // Later passes retry the 4xx only; the refused recipient is never asked again.
    for (let i = 0; i < 3; i++) {
      clock.advance(5_001);
      await d.drain();
    }
    expect((await db.store.findMail(full.id))!).toMatchObject({ status: 'queued', attempts: 4 });
    expect((await db.store.findMail(gone.id))!).toMatchObject({ status: 'failed', attempts: 1 });
    expect(refusing.asked('gone@example.org')).toBe(1);
    expect(refusing.asked('full@example.org')).toBe(4);
    expect(errors.filter((id) => id === gone.id)).toHaveLength(1);
  });

  it('fails a message for good, with a clear reason, when its secret was sealed under another key', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    const message = invitationMessage(createSecretBox('sk_test_old_secret'), clock.now());
    await db.store.enqueueMail(message);

    expect(await dispatcher({ transport: smtpTransport(smtp.url, noIdlePool), now: clock.now }).drain()).toBe(0);

    const row = (await db.store.findMail(message.id))!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toMatch(/cannot open the sealed "url": the secret key changed/);
    expect(smtp.received).toHaveLength(0);
  });

  it('lets two dispatchers on one database deliver each message exactly once', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    const messages = Array.from({ length: 24 }, (_, i) =>
      invitationMessage(box, clock.now(), { toAddress: `user${i}@example.org` }),
    );
    for (const m of messages) await db.store.enqueueMail(m);
    const transport = smtpTransport(smtp.url, noIdlePool);
    const a = dispatcher({ transport, now: clock.now, instanceId: 'a', batchSize: 3 });
    const b = dispatcher({ transport, now: clock.now, instanceId: 'b', batchSize: 3 });

    const [sentA, sentB] = await Promise.all([a.drain(), b.drain()]);

    expect(sentA + sentB).toBe(24);
    expect(sentA).toBeGreaterThan(0);
    expect(sentB).toBeGreaterThan(0);
    const ids = smtp.received.map((m) => m.messageId);
    expect(ids).toHaveLength(24);
    expect(new Set(ids)).toEqual(new Set(messages.map((m) => m.messageId)));
    const statuses = await db.handle.db.selectFrom('outbox').select(['status', 'attempts']).execute();
    expect(statuses.every((r) => r.status === 'sent' && Number(r.attempts) === 1)).toBe(true);
  });

  it('leaves a message claimed by another process alone until its lease runs out', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    const message = invitationMessage(box, clock.now());
    await db.store.enqueueMail(message);
    // A process that claimed the message and then died.
    await db.store.claimMail({ now: clock.now(), leaseMs: 60_000, limit: 10, owner: 'crashed' });
    const d = dispatcher({ transport: smtpTransport(smtp.url, noIdlePool), now: clock.now });

    expect(await d.drain()).toBe(0);
    clock.advance(60_000);
    expect(await d.drain()).toBe(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('keeps its claims while a batch sends for longer than the lease: another dispatcher never sends them too', async () => {
    db = await openTestDb();
    let hold = true;
    const slow = await startSupportSmtp(0, { holdWhile: () => hold });
    cleanups.push(() => slow.close());
    const messages = Array.from({ length: 4 }, (_, i) =>
      invitationMessage(box, Date.now(), { toAddress: `slow${i}@example.org` }),
    );
    for (const m of messages) await db.store.enqueueMail(m);
    // Real time: the lease has to run out (or be renewed) while the server holds the sends.
    const leaseMs = 1_000;
    const a = dispatcher({ transport: smtpTransport(slow.url, noIdlePool), instanceId: 'a', leaseMs, now: Date.now });
    const b = dispatcher({
      transport: smtpTransport(slow.url, noIdlePool),
      instanceId: 'b',
      leaseMs,
      now: Date.now,
      pollMs: 50,
    });

    const sending = a.drain();
    await vi.waitFor(() => expect(slow.held()).toBe(4), { timeout: 5_000, interval: 10 });
    b.start();
    // Three leases go by with A's sends unanswered; B keeps looking for due messages all along.
    await new Promise((resolve) => setTimeout(resolve, 3 * leaseMs));
    expect(slow.held()).toBe(4); // no second copy reached the server (without renewal B sent all 4 again)
    hold = false;

    expect(await sending).toBe(4);
    await b.stop();
    expect(slow.messages.map((m) => m.messageId).sort()).toEqual(messages.map((m) => m.messageId).sort());
    const rows = await db.handle.db.selectFrom('outbox').select(['status', 'attempts', 'locked_by']).execute();
    expect(rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1 && r.locked_by === null)).toBe(true);
  });

  it('coalesces kicks: passes never overlap and every message goes out once', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    for (let i = 0; i < 6; i++)
      await db.store.enqueueMail(invitationMessage(box, clock.now(), { toAddress: `k${i}@example.org` }));
    let inFlight = 0;
    let maxInFlight = 0;
    const store = db.store;
    const watched = Object.create(store) as typeof store;
    watched.claimMail = async (options) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await store.claimMail(options);
      } finally {
        inFlight -= 1;
      }
    };
    const d = dispatcher({
      transport: smtpTransport(smtp.url, noIdlePool),
      store: watched,
      now: clock.now,
      batchSize: 2,
      pollMs: 5,
    });

    d.start();
    for (let i = 0; i < 10; i++) d.kick();
    await d.drain();
    await d.stop();

    expect(maxInFlight).toBe(1);
    expect(smtp.received).toHaveLength(6);
    d.kick(); // after stop: ignored, no error
  });

  it('stop() waits for the send in flight, and the message is recorded as sent', async () => {
    db = await openTestDb();
    smtp = await startSmtp();
    const clock = testClock();
    const message = invitationMessage(box, clock.now());
    await db.store.enqueueMail(message);
    const smtpSend = smtpTransport(smtp.url, noIdlePool);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sending: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      sending = resolve;
    });
    const d = dispatcher({
      now: clock.now,
      transport: {
        async send(mail) {
          sending();
          await gate;
          await smtpSend.send(mail);
        },
      },
    });

    d.start();
    await started;
    let stopped = false;
    const stopping = d.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect((await db.store.findMail(message.id))!.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });
});

describe('outbox dispatcher lifetime', () => {
  it('keeps the process alive while stop() waits for a kicked pass (nothing else holds the event loop)', () => {
    // A server that fails to listen closes right after starting: its dispatcher was kicked and is
    // gathering mail. If that wait did not hold the event loop, the process would end inside
    // `stop()`, with exit code 0, before printing why it could not start.
    const dispatcherUrl = new URL('../../src/email/dispatcher.ts', import.meta.url).href;
    const script = `
      const { createDispatcher } = await import(${JSON.stringify(dispatcherUrl)});
      const store = { claimMail: async () => [], completeMails: async () => 0 };
      const d = createDispatcher({ store, transport: { send: async () => {} }, secrets: {}, from: 'a@b.test', instanceId: 'x', gatherMs: 300 });
      d.kick();
      await d.stop();
      console.log('stopped');
    `;
    const run = spawnSync(
      process.execPath,
      ['--conditions=@roster/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('stopped');
  });
});

/** A real SMTP server that refuses one recipient for good (550) and another for now (450), counting RCPTs. */
async function startSmtp550And450() {
  const rcpts: string[] = [];
  const server = await startSupportSmtp(0, {
    refuseRecipient: (address) => {
      rcpts.push(address);
      if (address === 'gone@example.org') return { code: 550, message: '5.1.1 <gone@example.org>: no such user here' };
      if (address === 'full@example.org') return { code: 450, message: '4.2.2 mailbox full, try again later' };
      return null;
    },
  });
  return { ...server, asked: (address: string) => rcpts.filter((a) => a === address).length };
}
