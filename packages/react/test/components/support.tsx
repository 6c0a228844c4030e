import { render } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { type RosterClient, RosterProvider } from '../../src/index.js';

/** Renders `ui` in StrictMode under a provider for `client`; `navigations` records where components went. */
export function renderWithRoster(client: RosterClient, ui: ReactNode) {
  const navigations: string[] = [];
  const result = render(
    <StrictMode>
      <RosterProvider client={client} navigate={(to) => void navigations.push(to)}>
        {ui}
      </RosterProvider>
    </StrictMode>,
  );
  return { ...result, navigations };
}

/** The ticket in an invitation's accept link. */
export const ticketOf = (url: string | null) => new URLSearchParams(url!.split('?')[1]).get('ticket')!;
