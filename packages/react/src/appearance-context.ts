'use client';
import { createContext, useContext } from 'react';
import type { Appearance } from './components/appearance.js';

/** The provider's `appearance`, under every component's own. */
export const AppearanceContext = createContext<Appearance | undefined>(undefined);

/**
 * A component's look: the provider's `appearance` with the component's own on top (its base
 * theme, variables and `unstyled` win; element class names from both are kept).
 */
export function mergeAppearance(outer: Appearance | undefined, own: Appearance | undefined): Appearance | undefined {
  if (!outer) return own;
  if (!own) return outer;
  const elements: Record<string, string> = { ...outer.elements };
  for (const [key, value] of Object.entries(own.elements ?? {})) {
    elements[key] = [...new Set(`${elements[key] ?? ''} ${value}`.split(/\s+/).filter(Boolean))].join(' ');
  }
  const baseTheme = own.baseTheme ?? outer.baseTheme;
  const unstyled = own.unstyled ?? outer.unstyled;
  return {
    ...(baseTheme && { baseTheme }),
    variables: { ...outer.variables, ...own.variables },
    elements,
    ...(unstyled !== undefined && { unstyled }),
  };
}

/** `mergeAppearance` of the provider's and `own`. */
export function useAppearance(own: Appearance | undefined): Appearance | undefined {
  return mergeAppearance(useContext(AppearanceContext), own);
}
