import { codeMail, type RenderedMail } from './layout.js';

/** The data of a `verification_code` outbox message, with its code already opened. */
export interface VerificationCodeData {
  /** The one-time code (opened from its sealed form by the dispatcher). */
  code: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** What the code is for: finishing a sign-up (the default) or adding an address to an account. */
  purpose?: 'sign_up' | 'add_email_address';
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
  return codeMail({
    subject: 'Your verification code',
    heading: 'Verify your email address',
    lead: adding
      ? 'Enter this code to add this email address to your account:'
      : 'Enter this code to finish creating your account:',
    code: data.code,
    expiresAt: data.expiresAt,
    ignore: `If you didn't try to ${adding ? 'add this address' : 'sign up'}, you can ignore this email. Don't share this code with anyone.`,
  });
}
