'use client';
import type { ReactNode } from 'react';
import { useLocalization } from '../localization/context.js';

/**
 * How the components write dates: one `Intl.DateTimeFormat` per (locale, time zone, with time)
 * and nothing else (no `toLocaleDateString`, no `toUTCString`). Without a locale or time zone
 * the browser's own are used, so a person sees dates as their system writes them.
 */
export interface DateFormatOptions {
  /** A BCP 47 tag such as `de-DE`; default: the user's. */
  locale?: string;
  /** An IANA zone such as `Europe/Berlin`; default: the user's. */
  timeZone?: string;
  /** Add the time of day. Default: the date alone. */
  time?: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(options: DateFormatOptions): Intl.DateTimeFormat {
  const key = `${options.locale ?? ''}|${options.timeZone ?? ''}|${options.time ? 1 : 0}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(options.locale, {
      dateStyle: 'medium',
      ...(options.time && { timeStyle: 'short' }),
      ...(options.timeZone && { timeZone: options.timeZone }),
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** `date` as the user's locale writes it ("Dec 31, 2026", "31.12.2026"); an invalid date gives "". */
export function formatDate(date: Date, options: DateFormatOptions = {}): string {
  return Number.isNaN(date.getTime()) ? '' : formatterFor(options).format(date);
}

/**
 * A `<time>` with the machine-readable instant, the date as text, and the date and time on hover;
 * in the provider's `localization.locale` when it has one.
 */
export function FormattedDate(props: { date: Date } & DateFormatOptions): ReactNode {
  const { locale } = useLocalization();
  const { date, ...given } = props;
  const options = { ...(locale && { locale }), ...given };
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={date.toISOString()} title={formatDate(date, { ...options, time: true })}>
      {formatDate(date, options)}
    </time>
  );
}
