'use client';
import { createRosterClient, type RosterClient } from '@roster/client';
import { type ReactNode, useEffect, useMemo, useRef } from 'react';
import { AppearanceContext } from './appearance-context.js';
import { AuthStore } from './auth-store.js';
import type { Appearance } from './components/appearance.js';
import { defaultNavigate, RosterContext, type RosterContextValue } from './context.js';
import { LocalizationContext } from './localization/context.js';
import { createLocalizer, type Localization } from './localization/localizer.js';

/**
 * Props of `<RosterProvider>`: either a `client` you created, or the server's `baseUrl`
 * (a cookie-mode client is created for it).
 *
 * @example
 * ```tsx
 * const props: RosterProviderProps = { baseUrl: 'https://roster.example.com', children: <App /> };
 * ```
 */
export type RosterProviderProps = {
  children?: ReactNode;
  /**
   * How the prebuilt components move to another page (after sign-in, sign-up, joining).
   * Default: a full page load (`window.location.assign`). Routers pass their own push.
   */
  navigate?: (to: string) => void | Promise<void>;
  /** The look of every prebuilt component inside (each one's own `appearance` goes on top), e.g. `{ baseTheme: dark }`. */
  appearance?: Appearance;
  /**
   * The words of every prebuilt component, in Clerk's `localization` shape: a full locale such as
   * `frFR` from `@roster/react/localizations`, or any part of one (merged over English, at every
   * depth), e.g. `{ organizationSwitcher: { action__createOrganization: 'New team' } }`. Its
   * `locale` also sets how dates are written (default: the browser's).
   */
  localization?: Localization;
} & ({ client: RosterClient; baseUrl?: undefined } | { baseUrl: string; client?: undefined });

/**
 * Makes a Roster client available to the hooks and keeps the signed-in state: it loads the
 * current user, memberships and active organization, and reloads them after every change made
 * through the client.
 *
 * @example
 * ```tsx
 * <RosterProvider baseUrl="https://roster.example.com">
 *   <App />
 * </RosterProvider>
 * ```
 */
export function RosterProvider(props: RosterProviderProps): ReactNode {
  const { client: given, baseUrl, children } = props;
  const client = useMemo(() => given ?? createRosterClient({ baseUrl: baseUrl ?? '' }), [given, baseUrl]);
  const navigateRef = useRef(props.navigate);
  navigateRef.current = props.navigate;
  const value = useMemo<RosterContextValue>(
    () => ({
      client,
      auth: new AuthStore(client),
      navigate: (to) => (navigateRef.current ?? defaultNavigate)(to),
    }),
    [client],
  );
  const localizer = useMemo(() => createLocalizer(props.localization), [props.localization]);
  useEffect(() => {
    value.auth.start();
    return () => value.auth.stop();
  }, [value]);
  return (
    <RosterContext.Provider value={value}>
      <LocalizationContext.Provider value={localizer}>
        <AppearanceContext.Provider value={props.appearance}>{children}</AppearanceContext.Provider>
      </LocalizationContext.Provider>
    </RosterContext.Provider>
  );
}
