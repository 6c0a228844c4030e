import { emailDocument, escapeHtml, formatUtc, MUTED, paragraph, type RenderedMail } from './layout.js';

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
  const code = data.code.replace(/\s+/g, '');
  const expires = formatUtc(data.expiresAt);
  const subject = 'Your verification code';
  const adding = data.purpose === 'add_email_address';
  const lead = adding
    ? 'Enter this code to add this email address to your account:'
    : 'Enter this code to finish creating your account:';
  const expiry = `The code expires on ${expires}.`;
  const ignore = `If you didn't try to ${adding ? 'add this address' : 'sign up'}, you can ignore this email. Don't share this code with anyone.`;

  const text = [lead, '', code, '', expiry, '', ignore, ''].join('\n');

  const html = emailDocument({
    title: subject,
    preheader: expiry,
    bodyHtml: [
      '<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">Verify your email address</h1>',
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
