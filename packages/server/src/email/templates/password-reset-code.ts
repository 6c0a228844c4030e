import { emailDocument, escapeHtml, formatUtc, MUTED, paragraph, type RenderedMail } from './layout.js';

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
  const code = data.code.replace(/\s+/g, '');
  const expires = formatUtc(data.expiresAt);
  const subject = 'Your password reset code';
  const lead = 'Someone asked to reset the password of your account. Enter this code to choose a new one:';
  const expiry = `The code expires on ${expires}.`;
  const ignore =
    "If you didn't ask for this, ignore this email: your password stays as it is. Don't share this code with anyone.";

  const text = [lead, '', code, '', expiry, '', ignore, ''].join('\n');

  const html = emailDocument({
    title: subject,
    preheader: expiry,
    bodyHtml: [
      '<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">Reset your password</h1>',
      paragraph(escapeHtml(lead)),
      '<p style="margin:0 0 24px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:32px;' +
        `line-height:40px;font-weight:700;letter-spacing:6px;color:#18181b;">${escapeHtml(code)}</p>`,
      paragraph(escapeHtml(expiry), MUTED),
      '<hr style="border:none;border-top:1px solid #e4e4e7;margin:24px 0;">',
      paragraph(escapeHtml(ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });

  return { subject, text, html };
}
