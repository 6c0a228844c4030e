import { formatDateTime } from '../../i18n/dates.js';
import { emailDocument, escapeHtml, MUTED, paragraph, type RenderedMail, singleLine } from './layout.js';

/** The data of a `primary_email_address_changed` outbox message. */
export interface PrimaryEmailChangedData {
  /** The site whose account changed (the public URL's host). */
  siteName: string;
  /** When it changed, Unix milliseconds. */
  changedAt: number;
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
  const site = singleLine(data.siteName, 120) || 'our app';
  const subject = 'Your primary email address was changed';
  const lead = `On ${formatDateTime(data.changedAt)}, the primary email address of your account on ${site} was changed. This address is no longer part of the account.`;
  const ignore = "If you made this change, there is nothing to do. If you didn't, contact the site's administrators.";
  const text = [lead, '', ignore, ''].join('\n');
  const html = emailDocument({
    title: subject,
    preheader: lead,
    bodyHtml: [
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">${escapeHtml(subject)}</h1>`,
      paragraph(escapeHtml(lead)),
      paragraph(escapeHtml(ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });
  return { subject, text, html };
}
