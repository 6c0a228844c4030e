import { afterEach, describe, expect, it } from 'vitest';
import { kyselyDevMailbox } from '../../src/email/dev-mailbox.js';
import { createDispatcher } from '../../src/email/dispatcher.js';
import { createSecretBox } from '../../src/email/secret-box.js';
import { devMailboxTransport } from '../../src/email/transports.js';
import { devMailboxRoutes } from '../../src/http/dev-mailbox.js';
import { INVITE_URL, invitationMessage, openTestDb, type TestDb, testClock } from './helpers.js';

const box = createSecretBox('sk_test_dev_mailbox');
let db: TestDb;

afterEach(async () => {
  await db?.handle.close();
});

interface ListedMail {
  id: number;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  created_at: number;
}

describe('dev mailbox', () => {
  it('keeps sent mail, logs the link, and shows it at /dev/mailbox and /dev/mailbox.json', async () => {
    db = await openTestDb();
    const clock = testClock();
    const mailbox = kyselyDevMailbox(db.handle.db, clock.now);
    const lines: string[] = [];
    const dispatcher = createDispatcher({
      store: db.store,
      transport: devMailboxTransport(mailbox, (line) => lines.push(line)),
      secrets: box,
      from: 'Roster <no-reply@roster.example.test>',
      instanceId: 'dev',
      now: clock.now,
    });
    const first = invitationMessage(box, clock.now(), {
      payload: { ...invitationMessage(box, clock.now()).payload, organizationName: 'Acme <b>bold</b>' },
    });
    await db.store.enqueueMail(first);
    expect(await dispatcher.drain()).toBe(1);
    clock.advance(1_000);
    const second = invitationMessage(box, clock.now(), { toAddress: 'bob@example.org' });
    await db.store.enqueueMail(second);
    expect(await dispatcher.drain()).toBe(1);

    expect(lines[0]).toBe(
      `[dev mailbox] to=ada@example.org subject="Grace Hopper invited you to join Acme <b>bold</b>" link=${INVITE_URL}`,
    );

    const stored = await mailbox.list(10);
    expect(stored.map((m) => m.to)).toEqual(['bob@example.org', 'ada@example.org']);
    expect(stored[1]).toMatchObject({ messageId: first.messageId, from: 'Roster <no-reply@roster.example.test>' });

    const app = devMailboxRoutes(mailbox);

    const json = await app.request('/dev/mailbox.json');
    expect(json.status).toBe(200);
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(json.headers.get('referrer-policy')).toBe('no-referrer');
    const list = (await json.json()) as ListedMail[];
    expect(list.map((m) => m.to)).toEqual(['bob@example.org', 'ada@example.org']);
    const ada = list[1]!;
    expect(ada).toMatchObject({
      subject: 'Grace Hopper invited you to join Acme <b>bold</b>',
      created_at: clock.now() - 1_000,
    });
    expect(ada.text).toContain(INVITE_URL);
    expect(Object.keys(ada)).toEqual(
      expect.arrayContaining(['id', 'to', 'from', 'subject', 'text', 'html', 'created_at']),
    );
    expect((await (await app.request('/dev/mailbox.json?limit=1')).json()) as unknown[]).toHaveLength(1);

    const page = await app.request('/dev/mailbox');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const listing = await page.text();
    expect(listing.startsWith('<!doctype html>')).toBe(true);
    expect(listing).toContain('Acme &lt;b&gt;bold&lt;/b&gt;');
    expect(listing).not.toContain('<b>bold</b>');
    expect(listing.indexOf('bob@example.org')).toBeLessThan(listing.indexOf('ada@example.org'));
    expect(listing).toContain(`href="/dev/mailbox/${ada.id}"`);

    const detail = await app.request(`/dev/mailbox/${ada.id}`);
    expect(detail.status).toBe(200);
    expect(detail.headers.get('referrer-policy')).toBe('no-referrer');
    const view = await detail.text();
    expect(view).toMatch(/<iframe[^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(view).toMatch(/<iframe[^>]*srcdoc="&lt;!doctype html&gt;/);
    expect(view).toContain('&lt;base target=&quot;_blank&quot;&gt;');
    expect(view).toContain(`<a href="${INVITE_URL}" rel="noreferrer">`);
    expect(view).toContain('<pre>');

    expect((await app.request('/dev/mailbox/999')).status).toBe(404);
    expect((await app.request('/dev/mailbox/abc')).status).toBe(404);
  });

  it('shows an empty mailbox', async () => {
    db = await openTestDb();
    const app = devMailboxRoutes(kyselyDevMailbox(db.handle.db));
    expect(await (await app.request('/dev/mailbox.json')).json()).toEqual([]);
    expect(await (await app.request('/dev/mailbox')).text()).toContain('No mail yet.');
  });
});
