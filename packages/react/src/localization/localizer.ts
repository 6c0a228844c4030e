import { createElement, Fragment, type ReactNode } from 'react';
import { enUS, type LocalizationResource } from './en-US.js';
import type { DeepPartial, Plural, PluralKey, TextKey } from './resource.js';

/** What `<RosterProvider localization>` takes: any part of a `LocalizationResource` (Clerk's shape), merged over English. */
export type Localization = DeepPartial<LocalizationResource>;

export type LocalizationKey = TextKey<LocalizationResource>;
export type LocalizationCountKey = PluralKey<LocalizationResource>;
type Values = Record<string, string | number>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

/** `base` with `over` on top at every depth; `undefined` in `over` keeps the base's string. */
export function mergeLocalization<T extends object>(base: T, over: DeepPartial<NoInfer<T>> | undefined): T {
  if (!over) return base;
  return mergeDeep(base as Record<string, unknown>, over as Record<string, unknown>) as T;
}

function lookup(resource: LocalizationResource, key: string): unknown {
  let node: unknown = resource;
  for (const part of key.split('.')) node = isObject(node) ? node[part] : undefined;
  return node;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * The strings of the components in one language: `t` for a text, `count` for a plural-aware
 * count ("1 pending invitation", "2 pending invitations"), `rich` when a placeholder is an element.
 */
export interface Localizer {
  /** The locale's BCP 47 tag when one was given (dates then use it); else the browser's is used. */
  locale: string | undefined;
  resource: LocalizationResource;
  t: (key: LocalizationKey, values?: Values) => string;
  count: (key: LocalizationCountKey, count: number, values?: Values) => string;
  rich: (key: LocalizationKey, values: Record<string, ReactNode>) => ReactNode;
}

export function createLocalizer(localization?: Localization): Localizer {
  const resource = mergeLocalization(enUS, localization);
  const locale = localization?.locale;
  const rules = new Intl.PluralRules(locale ?? resource.locale);
  const numbers = new Intl.NumberFormat(locale ?? resource.locale);
  const text = (key: string): string => {
    const found = lookup(resource, key);
    if (typeof found === 'string') return found;
    const fallback = lookup(enUS, key);
    return typeof fallback === 'string' ? fallback : key;
  };
  const fill = (template: string, values: Values | undefined) =>
    values
      ? template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? String(values[name]) : whole))
      : template;
  return {
    locale,
    resource,
    t: (key, values) => fill(text(key), values),
    count: (key, n, values) => {
      const forms = (lookup(resource, key) ?? lookup(enUS, key)) as Plural;
      const template = forms[rules.select(n)] ?? forms.other;
      return fill(template, { count: numbers.format(n), ...values });
    },
    rich: (key, values) => {
      const parts = text(key).split(PLACEHOLDER);
      // split with one capture group: even indexes are text, odd ones are placeholder names.
      return createElement(
        Fragment,
        null,
        ...parts.map((part, i) => (i % 2 === 0 ? part : (values[part] ?? `{{${part}}}`))),
      );
    },
  };
}
