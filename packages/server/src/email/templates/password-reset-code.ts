import { codeMail, type RenderedMail } from './layout.js';

/** The data of a `password_reset_code` outbox message, with its code already opened. */
export interface PasswordResetCodeData {
  /** The one-time code (opened from its sealed form by the dispatcher). */
  code: string;
  /** Unix milliseconds. */
  expiresAt: number;
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
  return codeMail({
    subject: 'Your password reset code',
    heading: 'Reset your password',
    lead: 'Someone asked to reset the password of your account. Enter this code to choose a new one:',
    code: data.code,
    expiresAt: data.expiresAt,
    ignore:
      "If you didn't ask for this, ignore this email: your password stays as it is. Don't share this code with anyone.",
  });
}
