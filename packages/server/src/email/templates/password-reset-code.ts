import { codeMail, type MailBrand, type RenderedMail } from './layout.js';
import { mailLanguage, wordsOf } from './words.js';

/** The data of a `password_reset_code` outbox message, with its code already opened. */
export interface PasswordResetCodeData {
  /** The one-time code (opened from its sealed form by the dispatcher). */
  code: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The account's or instance's language: French for `fr*`, else English. */
  locale?: string;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand;
}

/**
 * Renders the password reset email. As with the sign-up code, the code stays out of the subject
 * (lock screens and notification previews show subjects).
 *
 * @example
 * const mail = renderPasswordResetCode({ code: '042137', expiresAt: Date.now() + 600_000 });
 * mail.subject; // 'Your password reset code'
 */
export function renderPasswordResetCode(data: PasswordResetCodeData): RenderedMail {
  const w = wordsOf(mailLanguage(data.locale)).passwordResetCode;
  return codeMail({
    subject: w.subject,
    heading: w.heading,
    lead: w.lead,
    code: data.code,
    expiresAt: data.expiresAt,
    ignore: w.ignore,
    ...(data.locale && { locale: data.locale }),
    ...(data.brand && { brand: data.brand }),
  });
}
