import { codeMail, type MailBrand, type RenderedMail } from './layout.js';
import { mailLanguage, wordsOf } from './words.js';

/** The data of a `verification_code` outbox message, with its code already opened. */
export interface VerificationCodeData {
  /** The one-time code (opened from its sealed form by the dispatcher). */
  code: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** What the code is for: finishing a sign-up (the default) or adding an address to an account. */
  purpose?: 'sign_up' | 'add_email_address';
  /** The recipient's or instance's language: French for `fr*`, else English. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/**
 * Renders the sign-up verification email. The code stays out of the subject, so it does not
 * show on lock screens and in notification previews.
 *
 * @example
 * const mail = renderVerificationCode({ code: '042137', expiresAt: Date.now() + 600_000 });
 * mail.subject; // 'Your verification code'
 */
export function renderVerificationCode(data: VerificationCodeData): RenderedMail {
  const adding = data.purpose === 'add_email_address';
  const w = wordsOf(mailLanguage(data.locale)).verificationCode;
  return codeMail({
    subject: w.subject,
    heading: w.heading,
    lead: adding ? w.leadAddAddress : w.leadSignUp,
    code: data.code,
    expiresAt: data.expiresAt,
    ignore: adding ? w.ignoreAddAddress : w.ignoreSignUp,
    ...(data.locale && { locale: data.locale }),
    ...(data.brand && { brand: data.brand }),
  });
}
