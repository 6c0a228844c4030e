/**
 * The shape of a localization: Clerk's `LocalizationResource` for the strings Roster's components
 * show (same keys, so a Clerk `localization` object's overrides carry over), plus Roster's own
 * keys in Clerk's naming style where Clerk has none. Values may hold `{{name}}` placeholders;
 * a count is a `Plural`, one string per `Intl.PluralRules` category of the locale.
 */

/** Strings for a count, by plural category (`Intl.PluralRules`); `other` is required, the rest fall back to it. */
export type Plural = { other: string } & Partial<Record<'zero' | 'one' | 'two' | 'few' | 'many', string>>;

/** Marks a count's strings as such (an identity, for the type). */
export const plural = (forms: Plural): Plural => forms;

/** Every key optional, at every depth: what `localization` accepts (merged over English). */
export type DeepPartial<T> = T extends string
  ? T | undefined
  : T extends Plural
    ? Partial<T> | undefined
    : { [K in keyof T]?: DeepPartial<T[K]> };

/** The dotted paths of `T`'s string leaves: `"organizationSwitcher.action__createOrganization"`. */
export type TextKey<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : T[K] extends Plural ? never : TextKey<T[K], `${P}${K}.`>;
}[keyof T & string];

/** The dotted paths of `T`'s counts. */
export type PluralKey<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? never
    : T[K] extends Plural
      ? `${P}${K}`
      : PluralKey<T[K], `${P}${K}.`>;
}[keyof T & string];
