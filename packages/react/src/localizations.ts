/**
 * `@roster/react/localizations`: the shipped locales for `<RosterProvider localization>`.
 *
 * @example
 * ```tsx
 * import { frFR } from '@roster/react/localizations';
 * <RosterProvider baseUrl="https://roster.example.com" localization={frFR}>…</RosterProvider>
 * ```
 */
export { enUS, type LocalizationResource } from './localization/en-US.js';
export { frFR } from './localization/fr-FR.js';
