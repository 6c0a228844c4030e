import type { Appearance, Localization } from '@roster/react';
import type { ReactNode } from 'react';
import { RosterClientProvider } from './client-provider.js';

/**
 * Props of `<RosterProvider>` from `@roster/nextjs`.
 *
 * @example
 * ```tsx
 * const props: RosterProviderProps = { baseUrl: 'http://localhost:3000' };
 * ```
 */
export interface RosterProviderProps {
  /** Roster's URL. Default: `ROSTER_URL` read on the server at render time, else `NEXT_PUBLIC_ROSTER_URL`. */
  baseUrl?: string;
  /**
   * The look of every prebuilt component (see `@roster/react`'s `appearance`). Plain data, so a
   * server layout can pass it; `dark` comes from `@roster/nextjs` as from `@roster/react`.
   */
  appearance?: Appearance;
  /**
   * The words of every prebuilt component (see `@roster/react`'s `localization`), e.g. `frFR`
   * from `@roster/nextjs/localizations`. Plain data, so a server layout can pass it.
   */
  localization?: Localization;
  children?: ReactNode;
}

function serverEnv(): string | undefined {
  try {
    return typeof process === 'undefined' ? undefined : process.env.ROSTER_URL?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Put it in the root layout. It provides the hooks and prebuilt components, and keeps a
 * short-lived session token in the `__session` cookie so that `auth()` from
 * `@roster/nextjs/server` knows who is asking. Rendered by a server component, it reads
 * `ROSTER_URL` at request time (so one build serves any Roster); inside client components it
 * falls back to `NEXT_PUBLIC_ROSTER_URL`, inlined at build time.
 *
 * @example
 * ```tsx
 * // app/layout.tsx
 * import { RosterProvider } from '@roster/nextjs';
 * export default function RootLayout({ children }: { children: React.ReactNode }) {
 *   return (
 *     <html lang="en">
 *       <body><RosterProvider>{children}</RosterProvider></body>
 *     </html>
 *   );
 * }
 * ```
 */
export function RosterProvider(props: RosterProviderProps): ReactNode {
  const baseUrl = props.baseUrl ?? serverEnv() ?? process.env.NEXT_PUBLIC_ROSTER_URL;
  if (!baseUrl) {
    throw new Error(
      '@roster/nextjs: set ROSTER_URL (or NEXT_PUBLIC_ROSTER_URL) to your Roster server, e.g. http://localhost:3000',
    );
  }
  return (
    <RosterClientProvider
      baseUrl={baseUrl.replace(/\/+$/, '')}
      appearance={props.appearance}
      localization={props.localization}
    >
      {props.children}
    </RosterClientProvider>
  );
}
