import { formatDateTime } from '../../i18n/dates.js';
import { type MailBrand, noticeMail, type RenderedMail, singleLine } from './layout.js';
import { fill, mailLanguage, wordsOf } from './words.js';

/** The data of a `primary_email_address_changed` outbox message. */
export interface PrimaryEmailChangedData {
  /** The site whose account changed (the public URL's host). */
  siteName: string;
  /** When it changed, Unix milliseconds. */
  changedAt: number;
  /** The account's or instance's language: French for `fr*`, else English. Dates follow it too. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/**
 * Renders the notice to an account's previous primary address that the primary address changed
 * (Clerk's `notify_primary_email_address_changed`). It names neither address: whoever reads this
 * mailbox may no longer be the account's owner.
 *
 * @example
 * const mail = renderPrimaryEmailChanged({ siteName: 'app.example.com', changedAt: Date.UTC(2026, 2, 5, 14, 3) });
 * mail.subject; // 'Your primary email address was changed'
 */
export function renderPrimaryEmailChanged(data: PrimaryEmailChangedData): RenderedMail {
  const language = mailLanguage(data.locale);
  const w = wordsOf(language).primaryEmailChanged;
  const site = singleLine(data.siteName, 120) || w.ourApp;
  const changed = formatDateTime(data.changedAt, { locale: language === 'en' ? null : (data.locale ?? null) });
  const subject = w.subject;
  const lead = fill(w.lead, { changed, site });
  return noticeMail({ subject, lead, closing: w.ignore, lang: language, brand: data.brand });
}
