import { formatDateTime } from '../../i18n/dates.js';
import {
  button,
  emailDocument,
  escapeHtml,
  MUTED,
  paragraph,
  type RenderedMail,
  requireHttpUrl,
  singleLine,
} from './layout.js';

/** The data of an `app_invitation` outbox message, with its link already opened. */
export interface AppInvitationData {
  /** Where the invitation leads (the public URL's host), since no organization names it. */
  siteName: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The accept link (opened from its sealed form by the dispatcher). */
  url: string;
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
  const site = singleLine(data.siteName, 120) || 'our app';
  const url = requireHttpUrl(data.url);
  const subject = `You're invited to ${site}`;
  const lead = `You have been invited to create an account on ${site}.`;
  const expiry = `This invitation expires on ${formatDateTime(data.expiresAt)}.`;
  const ignore =
    "If you weren't expecting this invitation, you can ignore this email. " +
    "Please don't forward it: the link is meant for you alone.";
  const text = [lead, '', 'Accept the invitation:', url, '', expiry, '', ignore, ''].join('\n');
  const html = emailDocument({
    title: subject,
    preheader: lead,
    bodyHtml: [
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">${escapeHtml(subject)}</h1>`,
      paragraph(escapeHtml(lead)),
      button(url, 'Accept invitation'),
      paragraph(
        `Or copy this link into your browser:<br><a href="${escapeHtml(url)}" style="color:#1d4ed8;word-break:break-all;">${escapeHtml(url)}</a>`,
        MUTED,
      ),
      paragraph(escapeHtml(expiry), MUTED),
      paragraph(escapeHtml(ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });
  return { subject, text, html };
}
