import { ERROR_CODES, type ErrorCode } from '@roster/protocol';
import type { Brand } from '../brand.js';
import { localeFromAcceptLanguage, supported } from './dates.js';
import {
  PAGE_ERROR_CODES,
  PAGE_LANGUAGES,
  type PageErrorCode,
  type PageLanguage,
  type PageMessages,
  type Plural,
} from './pages.js';

type Values = Record<string, string | number>;

/** The hosted pages' words in one language, with the locale their dates are written in. */
export interface PageText {
  /** The page's language, for `<html lang>`. */
  lang: PageLanguage;
  /** The instance's name, logo and colour above and on the page (decision 050); absent: none. */
  brand?: Brand;
  /**
   * The reader's own tag that chose the language (`fr-FR`), or null when the instance's was used:
   * what a sign-up from the page records as its `locale`, so its mail speaks the same language.
   */
  readerLocale: string | null;
  /** The locale dates are formatted in: the reader's own (`de-CH`, say) when they named one, else the instance's. */
  dateLocale: string | null;
  m: PageMessages;
  /** `template` with each `{{name}}` filled from `values`. */
  fill: (template: string, values?: Values) => string;
  /** The form of `plural` for `count` in this language, `{{count}}` written as a number of the locale. */
  count: (plural: Plural, count: number, values?: Values) => string;
  /** `template` split into text and the values given for its placeholders (elements, say), in order. */
  rich: <T>(template: string, values: Record<string, T>) => (string | T)[];
  /** The sentence a page shows for a refused request with this code (and the field it names, if any). */
  error: (code: ErrorCode, meta?: Record<string, unknown>) => string;
  /** A role's name: built-in roles in this language, custom ones as stored ("Admin"; lower-case it inside a sentence). */
  role: (key: string, storedName: string) => string;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const PAGE_CODES = new Set<string>(PAGE_ERROR_CODES);
/** The names the built-in roles are created with; renamed ones are shown as stored. */
const BUILT_IN_NAMES: Record<string, string> = { 'org:admin': 'Admin', 'org:member': 'Member' };

const languageOf = (tag: string): PageLanguage | null => {
  const primary = tag.trim().split('-')[0]?.toLowerCase() ?? '';
  return Object.hasOwn(PAGE_LANGUAGES, primary) ? (primary as PageLanguage) : null;
};

/**
 * The language of a hosted page: the best of the reader's `Accept-Language` that the pages speak
 * (by q-value, then order), else the instance's `ROSTER_LOCALE`, else English.
 *
 * @example
 * pageLanguage('de-DE, fr;q=0.5', 'en'); // 'fr'
 * pageLanguage(undefined, 'fr-CA'); // 'fr'
 */
export function pageLanguage(acceptLanguage: string | null | undefined, instanceLocale: string): PageLanguage {
  return readerChoice(acceptLanguage)?.language ?? languageOf(instanceLocale) ?? 'en';
}

/** The best entry of an `Accept-Language` header in a language the pages speak, with its tag. */
function readerChoice(acceptLanguage: string | null | undefined): { language: PageLanguage; tag: string } | null {
  const ranked = (acceptLanguage ?? '')
    .slice(0, 256)
    .split(',')
    .slice(0, 16)
    .map((part, index) => {
      const [raw = '', ...params] = part.split(';');
      const tag = raw.trim();
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: languageOf(tag), tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.language && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const best = ranked[0];
  return best?.language ? { language: best.language, tag: supported(best.tag) ?? best.language } : null;
}

/** The hosted pages' words for a reader (`Accept-Language`) on an instance (`ROSTER_LOCALE`). */
export function pageText(acceptLanguage: string | null | undefined, instanceLocale: string): PageText {
  const chosen = readerChoice(acceptLanguage);
  const lang = chosen?.language ?? languageOf(instanceLocale) ?? 'en';
  const m = PAGE_LANGUAGES[lang];
  const numberLocale = supported(lang) ?? 'en';
  const rules = new Intl.PluralRules(numberLocale);
  const numbers = new Intl.NumberFormat(numberLocale);
  const fill = (template: string, values?: Values) =>
    values
      ? template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? String(values[name]) : whole))
      : template;
  return {
    lang,
    readerLocale: chosen?.tag ?? null,
    dateLocale: localeFromAcceptLanguage(acceptLanguage) ?? supported(instanceLocale),
    m,
    fill,
    count: (plural, n, values) =>
      fill(plural[rules.select(n)] ?? plural.other, { count: numbers.format(n), ...values }),
    rich: <T>(template: string, values: Record<string, T>) =>
      // split with one capture group: even indexes are text, odd ones are placeholder names.
      template
        .split(PLACEHOLDER)
        .map((part, i) => (i % 2 === 0 ? part : (values[part] ?? `{{${part}}}`)))
        .filter((part) => part !== ''),
    error: (code, meta) => {
      const param = meta?.param_name;
      if (typeof param === 'string' && (code === 'form_param_missing' || code === 'form_param_format_invalid')) {
        const field = m.fields[param] ?? param;
        return fill(code === 'form_param_missing' ? m.fieldErrors.missing : m.fieldErrors.invalid, { field });
      }
      if (PAGE_CODES.has(code)) return m.errors[code as PageErrorCode];
      return lang === 'en' ? ERROR_CODES[code].long : fill(m.otherError, { code });
    },
    role: (key, storedName) =>
      Object.hasOwn(m.roles, key) && BUILT_IN_NAMES[key] === storedName
        ? m.roles[key as keyof PageMessages['roles']]
        : storedName,
  };
}
