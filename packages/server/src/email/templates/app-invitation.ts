import { formatDateTime } from '../../i18n/dates.js';
import {
  button,
  emailDocument,
  escapeHtml,
  type MailBrand,
  MUTED,
  paragraph,
  plainLink,
  type RenderedMail,
  requireHttpUrl,
  singleLine,
} from './layout.js';
import { fill, mailLanguage, wordsOf } from './words.js';

/** The data of an `app_invitation` outbox message, with its link already opened. */
export interface AppInvitationData {
  /** Where the invitation leads (the public URL's host), since no organization names it. */
  siteName: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The accept link (opened from its sealed form by the dispatcher). */
  url: string;
  /** The recipient's or instance's language: French for `fr*`, else English. Dates follow it too. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/**
 * Renders the application invitation email: an invitation to create an account, the link (as a
 * button and as plain text) and its absolute expiry.
 *
 * @example
 * const mail = renderAppInvitation({
 *   siteName: 'app.example.com', expiresAt: Date.UTC(2026, 2, 5, 14, 3),
 *   url: 'https://app.example.com/accept-invitation?ticket=t',
 * });
 * mail.subject; // "You're invited to app.example.com"
 */
export function renderAppInvitation(data: AppInvitationData): RenderedMail {
  const language = mailLanguage(data.locale);
  const w = wordsOf(language).appInvitation;
  const site = singleLine(data.siteName, 120) || w.ourApp;
  const url = requireHttpUrl(data.url);
  const subject = fill(w.subject, { site });
  const lead = fill(w.lead, { site });
  const expires = formatDateTime(data.expiresAt, { locale: language === 'en' ? null : (data.locale ?? null) });
  const expiry = fill(w.expiry, { expires });
  const text = [lead, '', w.accept, url, '', expiry, '', w.ignore, ''].join('\n');
  const html = emailDocument({
    title: subject,
    preheader: lead,
    lang: language,
    ...(data.brand && { brand: data.brand }),
    bodyHtml: [
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">${escapeHtml(subject)}</h1>`,
      paragraph(escapeHtml(lead)),
      button(url, w.button, data.brand),
      paragraph(`${escapeHtml(w.copy)}<br>${plainLink(url, data.brand)}`, MUTED),
      paragraph(escapeHtml(expiry), MUTED),
      paragraph(escapeHtml(w.ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });
  return { subject, text, html };
}
