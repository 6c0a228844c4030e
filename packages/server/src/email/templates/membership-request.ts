import { escapeHtml, type MailBrand, noticeMail, type RenderedMail, singleLine } from './layout.js';
import { fill, mailLanguage, wordsOf } from './words.js';

/** The data of an `organization_membership_request` outbox message. */
export interface MembershipRequestData {
  organizationName: string;
  /** The requester's display name (their address when they gave no name). */
  requesterName: string;
  /** The requester's primary address. */
  requesterEmail: string;
  /** The recipient's (the manager's) language, else the instance's: French for `fr*`, else English. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/**
 * Renders the alert to an organization's managers (holders of `org:sys_memberships:manage`) that
 * someone asked to join through a verified domain's suggestion (Clerk's membership-request email).
 * It carries no link: the request is accepted or rejected where the organization's members are
 * managed. Names are user input: single-line for every part, escaped for HTML.
 *
 * @example
 * const mail = renderMembershipRequest({ organizationName: 'Acme', requesterName: 'Ada', requesterEmail: 'ada@acme.test' });
 * mail.subject; // 'Ada asked to join Acme'
 */
export function renderMembershipRequest(data: MembershipRequestData): RenderedMail {
  const language = mailLanguage(data.locale);
  const w = wordsOf(language).membershipRequest;
  const org = singleLine(data.organizationName) || w.anOrganization;
  const email = singleLine(data.requesterEmail, 320);
  const requester = singleLine(data.requesterName) || email || w.someone;
  const plain = { requester, email, org };
  const strong = (v: string) => `<strong>${escapeHtml(v)}</strong>`;
  const subject = fill(w.subject, plain);
  const lead = fill(w.lead, plain);
  const leadHtml = fill(w.lead, { requester: strong(requester), email: escapeHtml(email), org: strong(org) });
  return noticeMail({
    subject,
    lead,
    leadHtml,
    paragraphs: [w.review],
    closing: fill(w.ignore, plain),
    lang: language,
    brand: data.brand,
  });
}
