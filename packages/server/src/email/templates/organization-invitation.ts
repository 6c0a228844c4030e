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

/** The data of an `organization_invitation` outbox message, with its link already opened. */
export interface OrganizationInvitationData {
  organizationName: string;
  /** The organization's logo (absolute http(s) URL), shown above the heading; null or absent: none. */
  organizationImageUrl?: string | null;
  /** The inviting member's display name; null when the invitation came from the Backend API. */
  inviterName: string | null;
  roleName: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The accept link (opened from its sealed form by the dispatcher). */
  url: string;
  /** The recipient's language, else the instance's (`ROSTER_LOCALE`): French for `fr*`, else English. Dates follow it too. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/** The mail's language for a locale (kept here for the callers that import it from this template). */
export { mailLanguage };

/** The organization's logo, 48 px and rounded, when it has one with a usable URL. */
function logoHtml(url: string | null | undefined, org: string): string {
  if (!url || !/^https?:\/\//i.test(url)) return '';
  return (
    `<img src="${escapeHtml(url)}" alt="${escapeHtml(org)}" width="48" height="48" ` +
    'style="display:block;width:48px;height:48px;border-radius:8px;border:0;margin:0 0 16px;object-fit:cover;">'
  );
}

/**
 * Renders the invitation email: who invites, to which organization, with which role, the link
 * (as a button and as plain text) and its absolute expiry (in UTC, zone named). Names are user input, so they
 * are made single-line for every part and escaped for HTML.
 *
 * @example
 * const mail = renderOrganizationInvitation({
 *   organizationName: 'Acme', inviterName: 'Ada Lovelace', roleName: 'Member',
 *   expiresAt: Date.UTC(2026, 2, 5, 14, 3), url: 'https://app.example.com/accept-invitation?ticket=t',
 * });
 * mail.subject; // 'Ada Lovelace invited you to join Acme'
 */
export function renderOrganizationInvitation(data: OrganizationInvitationData): RenderedMail {
  const language = mailLanguage(data.locale);
  const w = wordsOf(language).organizationInvitation;
  const org = singleLine(data.organizationName) || w.anOrganization;
  const inviter = data.inviterName === null ? '' : singleLine(data.inviterName);
  const role = singleLine(data.roleName, 60) || w.member;
  const url = requireHttpUrl(data.url);
  const expires = formatDateTime(data.expiresAt, { locale: language === 'en' ? null : data.locale });

  const plain = { inviter, org, role };
  const strong = (v: string) => `<strong>${escapeHtml(v)}</strong>`;
  const subject = fill(inviter ? w.subject : w.subjectNoInviter, plain);
  const lead = fill(inviter ? w.lead : w.leadNoInviter, plain);
  const leadHtml = fill(inviter ? w.lead : w.leadNoInviter, {
    inviter: strong(inviter),
    org: strong(org),
    role: strong(role),
  });
  const expiry = fill(w.expiry, { expires });
  const ignore = w.ignore;

  const text = [lead, '', w.accept, url, '', expiry, '', ignore, ''].join('\n');

  const html = emailDocument({
    title: subject,
    preheader: lead,
    lang: language,
    ...(data.brand && { brand: data.brand }),
    bodyHtml: [
      logoHtml(data.organizationImageUrl, org),
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">${fill(w.heading, { org: escapeHtml(org) })}</h1>`,
      paragraph(leadHtml),
      button(url, w.button, data.brand),
      paragraph(`${escapeHtml(w.copy)}<br>` + `${plainLink(url, data.brand)}`, MUTED),
      paragraph(escapeHtml(expiry), MUTED),
      '<hr style="border:none;border-top:1px solid #e4e4e7;margin:24px 0;">',
      paragraph(escapeHtml(ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });

  return { subject, text, html };
}
