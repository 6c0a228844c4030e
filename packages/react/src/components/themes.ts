import type { Theme } from './appearance.js';

/**
 * The dark theme, as Clerk's `dark` from `@clerk/themes`: light text on dark surfaces, lighter
 * accents, every pairing at 4.5:1 or more (checked by axe-core in the e2e screens).
 *
 * @example
 * ```tsx
 * import { dark, OrganizationProfile } from '@roster/react';
 * <OrganizationProfile appearance={{ baseTheme: dark }} />;
 * ```
 */
export const dark: Theme = {
  colorScheme: 'dark',
  variables: {
    colorPrimary: '#93c5fd',
    colorPrimaryText: '#0b1220',
    colorText: '#f3f4f6',
    colorTextSecondary: '#cbd5e1',
    colorBackground: '#1f2937',
    colorInputBackground: '#111827',
    colorBorder: '#4b5563',
    colorDanger: '#fca5a5',
    colorSuccess: '#86efac',
  },
};
