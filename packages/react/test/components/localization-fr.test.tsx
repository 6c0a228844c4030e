// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateOrganization,
  OrganizationList,
  OrganizationProfile,
  OrganizationSwitcher,
  RosterProvider,
  SignIn,
  SignUp,
  UserButton,
  UserProfile,
} from '../../src/index.js';
import { enUS, frFR } from '../../src/localizations.js';
import { liveServerForFile } from '../support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

/** Words of Roster's English that French text never contains. */
const ENGLISH =
  /\b(the|and|your|you|organization|members?|sign in|sign out|create|loading|pending|email address|password|account|switch|manage|remove|revoke|send|search|save|cancel|close|try again|next|previous|joined|invited)\b/i;

/** Every string leaf of a resource with its dotted key. */
function leaves(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('frFR', () => {
  it('has every key of enUS, and no value left in English', () => {
    const en = new Map(leaves(enUS));
    const fr = new Map(leaves(frFR));
    const missing = [...en.keys()].filter((k) => !fr.has(k));
    expect(missing).toEqual([]);
    const english = [...fr].filter(
      ([k, v]) => k !== 'locale' && (ENGLISH.test(v) || (v === en.get(k) && /[a-z]{4}/.test(v))),
    );
    // Words the same in both languages (Invitations, Organisations…) are allowed when they are French too.
    expect(
      english.filter(([, v]) => !/^(Invitations|Page \{\{page\}\} sur \{\{pageCount\}\}|Email|JPEG.*)$/.test(v)),
    ).toEqual([]);
  });

  it('renders every component in French with no English words left on screen', async () => {
    const admin = await live.admin('Acme');
    await admin.organization.inviteMember({ emailAddress: 'grace@example.com', role: 'org:member' });
    const { container } = render(
      <RosterProvider client={admin.client} localization={frFR}>
        <OrganizationSwitcher defaultOpen />
        <UserButton defaultOpen />
        <OrganizationProfile defaultTab="invitations" />
        <OrganizationProfile defaultTab="members" />
        <OrganizationProfile defaultTab="general" />
        <OrganizationList />
        <CreateOrganization />
        <UserProfile />
        <SignIn />
        <SignUp />
      </RosterProvider>,
    );
    await screen.findByText('Inviter des membres', {}, { timeout: 5000 });
    await screen.findAllByText(/1 membre/, {}, { timeout: 5000 });
    await screen.findByText('Appareils actifs', {}, { timeout: 5000 });
    await screen.findAllByText(/grace@example\.com/, {}, { timeout: 5000 });
    const texts: string[] = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('style')) continue;
      texts.push(n.textContent ?? '');
    }
    for (const el of container.querySelectorAll('[aria-label],[placeholder],[title]')) {
      for (const a of ['aria-label', 'placeholder', 'title']) texts.push(el.getAttribute(a) ?? '');
    }
    const names = new Set(['Acme', 'grace@example.com', admin.email]);
    const english = texts.map((t) => t.trim()).filter((t) => t && !names.has(t) && !t.includes('@') && ENGLISH.test(t));
    expect(english).toEqual([]);
    expect(container.textContent).toContain('Créer une organisation');
    expect(container.textContent).toContain('Compte personnel');
  });
});
