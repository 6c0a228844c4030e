import { configure, render } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import type { LiveRoster } from '../../../server/test/support/live-roster.js';
import { type RosterClient, RosterProvider } from '../../src/index.js';

// Every component here talks to a live Roster over HTTP; on a loaded 2-core CI machine a round
// trip can pass the library's 1 s default, which is a slow machine, not a failure.
configure({ asyncUtilTimeout: 5000 });

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

/**
 * The ticket mailed to `email` (waits for the invitation mail). A browser's invitation shows no
 * link: only the invited mailbox gets one (decision 021).
 */
export async function ticketMailedTo(live: LiveRoster, email: string): Promise<string> {
  const mail = await live.waitForMail(email, 'join');
  const link = /(https?:\/\/\S+\/accept-invitation\?ticket=[\w%-]+)/.exec(mail.text)?.[1];
  if (!link) throw new Error(`no invitation link in the mail to ${email}`);
  return ticketOf(link);
}
