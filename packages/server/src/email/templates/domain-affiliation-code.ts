import { codeMail, type MailBrand, type RenderedMail, singleLine } from './layout.js';
import { fill, mailLanguage, wordsOf } from './words.js';

/** The data of a `domain_affiliation_code` outbox message, with its code already opened. */
export interface DomainAffiliationCodeData {
  /** The one-time code (opened from its sealed form by the dispatcher). */
  code: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The organization claiming the domain. */
  organizationName: string;
  /** The domain (`acme.com`). */
  domainName: string;
  /** The requesting admin's or instance's language: French for `fr*`, else English. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/**
 * Renders the mail that proves affiliation with a domain (Clerk's `prepareAffiliationVerification`):
 * a six-digit code to an address on the domain. As with the other codes, the code stays out of the subject.
 *
 * @example
 * const mail = renderDomainAffiliationCode({ code: '042137', expiresAt: Date.now() + 600_000, organizationName: 'Acme', domainName: 'acme.com' });
 * mail.subject; // 'Your domain verification code'
 */
export function renderDomainAffiliationCode(data: DomainAffiliationCodeData): RenderedMail {
  const w = wordsOf(mailLanguage(data.locale)).domainAffiliationCode;
  const values = { org: singleLine(data.organizationName), domain: singleLine(data.domainName, 253) };
  return codeMail({
    subject: w.subject,
    heading: fill(w.heading, values),
    lead: fill(w.lead, values),
    code: data.code,
    expiresAt: data.expiresAt,
    ignore: w.ignore,
    ...(data.locale && { locale: data.locale }),
    ...(data.brand && { brand: data.brand }),
  });
}
