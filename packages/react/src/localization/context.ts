'use client';
import { createContext, useContext } from 'react';
import { createLocalizer, type Localizer } from './localizer.js';

const english = createLocalizer();

/** The provider's `localization`, merged over English once. */
export const LocalizationContext = createContext<Localizer>(english);

/** The strings of the components inside `<RosterProvider localization>` (English outside one). */
export function useLocalization(): Localizer {
  return useContext(LocalizationContext);
}
