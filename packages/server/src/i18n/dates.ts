/**
 * The one date formatter of Roster's own pages and emails (hosted pages, the dev mailbox, the
 * invitation and code emails), through `Intl`: the reader's locale where it is known (a page's
 * `Accept-Language`), else `DEFAULT_LOCALE`; always with its time zone named, UTC unless one is given
 * (a server does not know the reader's zone). English gives "December 31, 2026 at 9:32 PM UTC",
 * German "31. Dezember 2026 um 21:32 UTC".
 */

export const DEFAULT_LOCALE = 'en-US';

export interface DateFormatOptions {
  /** A BCP 47 tag; unsupported or malformed tags fall back to `DEFAULT_LOCALE`. */
  locale?: string | null;
  /** An IANA zone (default UTC); an unknown zone falls back to UTC. */
  timeZone?: string | null;
}

const FIELDS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}\0${timeZone}`;
  let found = cache.get(key);
  if (!found) {
    try {
      found = new Intl.DateTimeFormat(locale, { ...FIELDS, timeZone });
    } catch {
      // A zone Intl does not know (a RangeError): the locale is already checked, the zone is not.
      found = new Intl.DateTimeFormat(locale, { ...FIELDS, timeZone: 'UTC' });
    }
    // Bounded: keys come from request headers.
    if (cache.size > 200) cache.clear();
    cache.set(key, found);
  }
  return found;
}

export function supported(tag: string): string | null {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(tag)[0] ?? null;
  } catch {
    return null; // not a well-formed tag
  }
}

/**
 * A moment as people read it, e.g. "December 31, 2026 at 9:32 PM UTC".
 *
 * @example
 * formatDateTime(Date.UTC(2026, 11, 31, 21, 32), { locale: 'de-DE' }); // "31. Dezember 2026 um 21:32 UTC"
 */
export function formatDateTime(ms: number, options: DateFormatOptions = {}): string {
  if (!Number.isFinite(ms)) throw new TypeError('formatDateTime: not a valid timestamp');
  const locale = (options.locale && supported(options.locale)) || DEFAULT_LOCALE;
  return formatter(locale, options.timeZone || 'UTC').format(new Date(ms));
}

/**
 * The best locale `Intl` supports from an `Accept-Language` header (by q-value, then order), or
 * `null` when it names none (absent, `*`, malformed).
 *
 * @example
 * localeFromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8'); // "fr-CH"
 */
export function localeFromAcceptLanguage(header: string | null | undefined): string | null {
  if (!header) return null;
  const ranked = header
    .slice(0, 256)
    .split(',')
    .slice(0, 16)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return null;
}
