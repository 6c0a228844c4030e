import { formatDateTime } from '../../i18n/dates.js';
import { fill, mailLanguage, wordsOf } from './words.js';

/**
 * What every template shares: the rendered shape, escaping, one-line cleaning of names, dates
 * (i18n/dates.ts, the hosted pages' formatter too) and the HTML frame (inline styles and
 * presentation tables, which is what mail clients render consistently; no external images,
 * fonts or scripts).
 */

/** A rendered email: a one-line subject, a plain-text body and an HTML body saying the same. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * Makes user-chosen text (organization and person names) safe for one line: control characters
 * (CR/LF included), Unicode line separators and bidirectional overrides become spaces, runs of
 * whitespace collapse, and the result is cut to `max` characters.
 */
export function singleLine(value: string, max = 100): string {
  const cleaned = value
    .replace(/[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(cleaned);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : cleaned;
}

/** Returns `url` if it is an absolute http(s) URL; anything else (`javascript:`, relative) throws. */
export function requireHttpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('email link is not an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError('email link must use http or https');
  }
  return url;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const MUTED = 'color:#52525b;font-size:14px;line-height:20px;';

/** A paragraph of already-escaped HTML. */
export function paragraph(innerHtml: string, style = ''): string {
  return `<p style="margin:0 0 16px;${style}">${innerHtml}</p>`;
}

/**
 * The instance's brand as a mail shows it (decision 050): its name and logo above the content, and
 * its colour on buttons and links. Without one, mail looks as it always has.
 */
export interface MailBrand {
  name: string | null;
  /** The logo's absolute URL (served by this Roster), or null. */
  logoUrl: string | null;
  /** Buttons' background; null: the built-in near-black. */
  accent: string | null;
  /** Text on `accent`. */
  accentText: string;
  /** Links; null: the built-in blue. */
  link: string | null;
}

const BUTTON_BACKGROUND = '#18181b';
const LINK_COLOR = '#1d4ed8';

/** A bulletproof button (a styled link inside a table cell), with an escaped href and label, in the brand's colour. */
export function button(url: string, label: string, brand?: MailBrand): string {
  const href = escapeHtml(requireHttpUrl(url));
  const background = brand?.accent ?? BUTTON_BACKGROUND;
  const color = brand?.accent ? brand.accentText : '#ffffff';
  return (
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;">' +
    `<tr><td style="border-radius:6px;background-color:${background};">` +
    `<a href="${href}" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;` +
    `font-weight:600;line-height:24px;color:${color};text-decoration:none;border-radius:6px;">${escapeHtml(label)}</a>` +
    '</td></tr></table>'
  );
}

/** A link written out in full (for clients that hide buttons), escaped, in the brand's link colour. */
export function plainLink(url: string, brand?: MailBrand): string {
  const href = escapeHtml(requireHttpUrl(url));
  return `<a href="${href}" style="color:${brand?.link ?? LINK_COLOR};word-break:break-all;">${href}</a>`;
}

/** The brand's logo (or, without one, its name) above the content; nothing when neither is set. */
function brandHeader(brand: MailBrand | undefined): string {
  if (!brand || (!brand.logoUrl && !brand.name)) return '';
  const name = brand.name ? escapeHtml(singleLine(brand.name, 60)) : '';
  const inner = brand.logoUrl
    ? `<img src="${escapeHtml(requireHttpUrl(brand.logoUrl))}" alt="${name}" height="40" style="display:block;height:40px;width:auto;max-width:160px;border:0;">`
    : `<span style="font-family:${FONT};font-size:18px;line-height:24px;font-weight:700;color:#18181b;">${name}</span>`;
  return `<tr><td style="padding:28px 32px 0;">${inner}</td></tr>`;
}

/**
 * The HTML document around a template's content. `title` and `preheader` are plain text
 * (escaped here); `bodyHtml` is HTML the template built from escaped values.
 */
export function emailDocument(options: {
  title: string;
  preheader: string;
  bodyHtml: string;
  lang?: string;
  brand?: MailBrand;
}): string {
  return [
    '<!doctype html>',
    `<html lang="${options.lang ?? 'en'}" dir="ltr">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(options.title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f4f4f5;">',
    `<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(options.preheader)}</div>`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">',
    '<tr><td align="center" style="padding:32px 16px;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" ' +
      'style="max-width:560px;background-color:#ffffff;border:1px solid #e4e4e7;border-radius:8px;">',
    brandHeader(options.brand),
    `<tr><td style="padding:32px;font-family:${FONT};font-size:16px;line-height:24px;color:#18181b;">`,
    options.bodyHtml,
    '</td></tr>',
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
  ].join('\n');
}

/**
 * A one-time-code email (sign-up, added address, password reset): a heading, what the code is for,
 * the code set large, its expiry, and what to do if it was not you. The code stays out of the
 * subject, which lock screens and notification previews show.
 */
export function codeMail(options: {
  subject: string;
  heading: string;
  lead: string;
  code: string;
  expiresAt: number;
  ignore: string;
  /** The language of the words given; the expiry sentence and date follow it. */
  locale?: string;
  brand?: MailBrand;
}): RenderedMail {
  const code = options.code.replace(/\s+/g, '');
  const language = mailLanguage(options.locale);
  const expires = formatDateTime(options.expiresAt, { locale: language === 'en' ? null : (options.locale ?? null) });
  const expiry = fill(wordsOf(language).codeExpiry, { expires });
  const text = [options.lead, '', code, '', expiry, '', options.ignore, ''].join('\n');
  const html = emailDocument({
    title: options.subject,
    preheader: expiry,
    lang: language,
    ...(options.brand && { brand: options.brand }),
    bodyHtml: [
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">${escapeHtml(options.heading)}</h1>`,
      paragraph(escapeHtml(options.lead)),
      '<p style="margin:0 0 24px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:32px;' +
        `line-height:40px;font-weight:700;letter-spacing:6px;color:#18181b;">${escapeHtml(code)}</p>`,
      paragraph(escapeHtml(expiry), MUTED),
      '<hr style="border:none;border-top:1px solid #e4e4e7;margin:24px 0;">',
      paragraph(escapeHtml(options.ignore), `${MUTED}margin:0;`),
    ].join('\n'),
  });
  return { subject: options.subject, text, html };
}

/**
 * A notice without a link or code (the primary-address change, a request to join): the subject as
 * heading, the lead (plain and, where it bolds names, as HTML built from escaped values), further
 * paragraphs, and a closing line set apart. Text and HTML say the same.
 */
export function noticeMail(options: {
  subject: string;
  lead: string;
  /** The lead as HTML; default: `lead` escaped. */
  leadHtml?: string;
  paragraphs?: string[];
  closing: string;
  lang: string;
  brand?: MailBrand | undefined;
}): RenderedMail {
  const paragraphs = options.paragraphs ?? [];
  const text = [options.lead, '', ...paragraphs.flatMap((p) => [p, '']), options.closing, ''].join('\n');
  const html = emailDocument({
    title: options.subject,
    preheader: options.lead,
    lang: options.lang,
    ...(options.brand && { brand: options.brand }),
    bodyHtml: [
      `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:600;">${escapeHtml(options.subject)}</h1>`,
      paragraph(options.leadHtml ?? escapeHtml(options.lead)),
      ...paragraphs.map((p) => paragraph(escapeHtml(p))),
      ...(paragraphs.length > 0 ? ['<hr style="border:none;border-top:1px solid #e4e4e7;margin:24px 0;">'] : []),
      paragraph(escapeHtml(options.closing), `${MUTED}margin:0;`),
    ].join('\n'),
  });
  return { subject: options.subject, text, html };
}
