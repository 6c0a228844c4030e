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

/** The data of an `organization_invitation` outbox message, with its link already opened. */
export interface OrganizationInvitationData {
  organizationName: string;
  /** The inviting member's display name; null when the invitation came from the Backend API. */
  inviterName: string | null;
  roleName: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The accept link (opened from its sealed form by the dispatcher). */
  url: string;
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
  const org = singleLine(data.organizationName) || 'an organization';
  const inviter = data.inviterName === null ? '' : singleLine(data.inviterName);
  const role = singleLine(data.roleName, 60) || 'Member';
  const url = requireHttpUrl(data.url);
  const expires = formatDateTime(data.expiresAt);

  const subject = inviter ? `${inviter} invited you to join ${org}` : `You're invited to join ${org}`;
  const lead = inviter
    ? `${inviter} has invited you to join ${org} with the ${role} role.`
    : `You have been invited to join ${org} with the ${role} role.`;
  const leadHtml = inviter
    ? `<strong>${escapeHtml(inviter)}</strong> has invited you to join <strong>${escapeHtml(org)}</strong> ` +
      `with the <strong>${escapeHtml(role)}</strong> role.`
    : `You have been invited to join <strong>${escapeHtml(org)}</strong> ` +
      `with the <strong>${escapeHtml(role)}</strong> role.`;
  const expiry = `This invitation expires on ${expires}.`;
  const ignore =
    "If you weren't expecting this invitation, you can ignore this email. " +
    "Please don't forward it: the link is meant for you alone.";

  const text = [lead, '', 'Accept the invitation:', url, '', expiry, '', ignore, ''].join('\n');

  const html = emailDocument({
    title: subject,
    preheader: lead,
    bodyHtml: [
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">Join ${escapeHtml(org)}</h1>`,
      paragraph(leadHtml),
      button(url, 'Accept invitation'),
      paragraph(
        'Or copy this link into your browser:<br>' +
          `<a href="${escapeHtml(url)}" style="color:#1d4ed8;word-break:break-all;">${escapeHtml(url)}</a>`,
        MUTED,
      ),
      paragraph(escapeHtml(expiry), MUTED),
      '<hr style="border:none;border-top:1px solid #e4e4e7;margin:24px 0;">',
      paragraph(escapeHtml(ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });

  return { subject, text, html };
}
