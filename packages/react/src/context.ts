'use client';
import type { RosterClient } from '@roster/client';
import { createContext, useContext } from 'react';
import type { AuthStore } from './auth-store.js';

export interface RosterContextValue {
  client: RosterClient;
  auth: AuthStore;
  /** Moves to another page of the app after sign-in, sign-up or joining (see `RosterProvider`'s `navigate`). */
  navigate: (to: string) => void | Promise<void>;
}

/** Without a router: a full page load. */
export function defaultNavigate(to: string): void {
  window.location.assign(to);
}

export const RosterContext = createContext<RosterContextValue | null>(null);

export function useRosterContext(hook: string): RosterContextValue {
  const value = useContext(RosterContext);
  if (!value) throw new Error(`${hook}() must be used inside <RosterProvider>.`);
  return value;
}
