/**
 * `@roster/nextjs/localizations`: the locales of `@roster/react/localizations`, for
 * `<RosterProvider localization={frFR}>` in a server layout.
 *
 * @example
 * ```tsx
 * import { frFR } from '@roster/nextjs/localizations';
 * ```
 */
export { enUS, frFR, type LocalizationResource } from '@roster/react/localizations';
