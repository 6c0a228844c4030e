'use client';
import type { RosterClient } from '@roster/client';
import { createContext, useContext } from 'react';
import type { AuthStore } from './auth-store.js';

export interface RosterContextValue {
  client: RosterClient;
  auth: AuthStore;
}

export const RosterContext = createContext<RosterContextValue | null>(null);

export function useRosterContext(hook: string): RosterContextValue {
  const value = useContext(RosterContext);
  if (!value) throw new Error(`${hook}() must be used inside <RosterProvider>.`);
  return value;
}
