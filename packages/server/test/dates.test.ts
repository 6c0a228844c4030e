import { describe, expect, it } from 'vitest';
import { kyselyDevMailbox } from '../src/email/dev-mailbox.js';
import { devMailboxRoutes } from '../src/http/dev-mailbox.js';
import { formatDateTime, localeFromAcceptLanguage } from '../src/i18n/dates.js';
import { openTestDb } from './email/helpers.js';
import { freshRosterForEachTest, invited, pathOf } from './support/flows.js';
import { seedOrganization } from './support/harness.js';

/** One date formatter for the hosted pages, the dev mailbox and the emails (issue 11: dates appeared three ways). */
const t = freshRosterForEachTest();
const MOMENT = Date.UTC(2026, 11, 31, 21, 32, 58);
const one = (s: string) => s.replace(/\s/g, ' ');

describe('formatDateTime', () => {
  it('spells the date out in the locale, with the minutes and the zone named, UTC by default', () => {
    expect(one(formatDateTime(MOMENT))).toBe('December 31, 2026 at 9:32 PM UTC');
    expect(one(formatDateTime(MOMENT, { locale: 'de-DE' }))).toBe('31. Dezember 2026 um 21:32 UTC');
    expect(one(formatDateTime(MOMENT, { locale: 'en-GB' }))).toBe('31 December 2026 at 21:32 UTC');
    expect(one(formatDateTime(MOMENT, { timeZone: 'Europe/Berlin' }))).toBe('December 31, 2026 at 10:32 PM GMT+1');
  });

  it('falls back to the default for a malformed locale or an unknown zone, and refuses a non-date', () => {
    for (const locale of ['!!', 'en_US_POSIX_x', '', null])
      expect(formatDateTime(MOMENT, { locale })).toBe(formatDateTime(MOMENT));
    expect(formatDateTime(MOMENT, { timeZone: 'Mars/Olympus' })).toBe(formatDateTime(MOMENT));
    expect(() => formatDateTime(Number.NaN)).toThrow(TypeError);
  });
});

describe('localeFromAcceptLanguage', () => {
  it('takes the best supported language by q-value, then order', () => {
    expect(localeFromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr-CH');
    expect(localeFromAcceptLanguage('en;q=0.5, de')).toBe('de');
    expect(localeFromAcceptLanguage('zz;q=1, de;q=0.1')).toBe('de');
  });

  it('names nothing for an absent, wildcard, zero-weighted or malformed header', () => {
    for (const header of [undefined, null, '', '*', 'de;q=0', ';;;,q=', '!!!', 'x'.repeat(10_000)]) {
      expect(localeFromAcceptLanguage(header), String(header).slice(0, 20)).toBeNull();
    }
  });
});

describe('dates on the hosted pages', () => {
  it("/accept-invitation shows the expiry in the reader's Accept-Language, else in the default locale", async () => {
    const { org } = await seedOrganization(t);
    const invitation = await invited(t, org.id, 'dated@example.com');
    const expires = invitation.expires_at as number;
    const page = (headers: Record<string, string>) =>
      t
        .browser()
        .fetch('GET', pathOf(invitation.url), { headers })
        .then((r) => r.text());

    const iso = new Date(expires).toISOString();
    const german = await page({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(german).toContain(`<time datetime="${iso}">${formatDateTime(expires, { locale: 'de-DE' })}</time>`);
    expect(german).toMatch(/Dezember|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November/);
    const plain = await page({});
    expect(plain).toContain(`<time datetime="${iso}">${formatDateTime(expires)}</time>`);
    // Not the old RFC 1123 form ("Thu, 31 Dec 2026 21:32:58 GMT").
    expect(plain).not.toContain(new Date(expires).toUTCString());
  });

  it('the dev mailbox lists and shows mail with the same formatter', async () => {
    const db = await openTestDb();
    try {
      const mailbox = kyselyDevMailbox(db.handle.db, () => MOMENT);
      await mailbox.save({
        messageId: '<m@test>',
        from: 'r@test',
        to: 'a@test',
        subject: 'Hi',
        text: 'x',
        html: '<p>x</p>',
      });
      const app = devMailboxRoutes(mailbox);
      const headers = { 'accept-language': 'en-GB' };
      const listing = await (await app.request('/dev/mailbox', { headers })).text();
      expect(listing).toContain(
        `<time datetime="2026-12-31T21:32:58.000Z">${formatDateTime(MOMENT, { locale: 'en-GB' })}</time>`,
      );
      const [mail] = await mailbox.list(1);
      const view = await (await app.request(`/dev/mailbox/${mail!.id}`)).text();
      expect(view).toContain(`>${formatDateTime(MOMENT)}</time>`);
    } finally {
      await db.handle.close();
    }
  });
});
