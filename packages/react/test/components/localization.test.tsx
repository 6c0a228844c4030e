// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateOrganization, OrganizationProfile, RosterProvider } from '../../src/index.js';
import { enUS } from '../../src/localization/en-US.js';
import { createLocalizer, mergeLocalization } from '../../src/localization/localizer.js';
import { liveServerForFile } from '../support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

describe('localization (Clerk-shaped keys, merged over English)', () => {
  it('merges a partial override at every depth and keeps English for the rest; undefined keeps the default', () => {
    const merged = mergeLocalization(enUS, {
      organizationSwitcher: { action__createOrganization: 'New team', personalWorkspace: undefined },
    });
    expect(merged.organizationSwitcher.action__createOrganization).toBe('New team');
    expect(merged.organizationSwitcher.personalWorkspace).toBe('Personal account');
    expect(merged.organizationSwitcher.action__invitationAccept).toBe('Join');
    expect(merged.createOrganization.title).toBe('Create an organization');
    expect(enUS.organizationSwitcher.action__createOrganization).toBe('Create organization'); // untouched
  });

  it('counts with the locale’s plural rules and fills placeholders', () => {
    const en = createLocalizer();
    expect(en.count('organizationSwitcher.invitationCount', 1)).toBe('1 pending invitation');
    expect(en.count('organizationSwitcher.invitationCount', 2)).toBe('2 pending invitations');
    expect(en.count('organizationSwitcher.invitationCount', 0)).toBe('0 pending invitations');
    expect(en.count('organizationProfile.membersPage.memberCount__matching', 3, { query: 'ada' })).toBe(
      '3 members matching “ada”',
    );
    expect(en.t('paginationRowText__page', { page: 2, pageCount: 5 })).toBe('Page 2 of 5');
    // French puts 0 and 1 in "one"; numbers are written the locale's way.
    const fr = createLocalizer({
      locale: 'fr-FR',
      organizationSwitcher: { invitationCount: { one: '{{count}} invitation', other: '{{count}} invitations' } },
    });
    expect(fr.count('organizationSwitcher.invitationCount', 0)).toBe('0 invitation');
    expect(fr.count('organizationSwitcher.invitationCount', 1)).toBe('1 invitation');
    expect(fr.count('organizationSwitcher.invitationCount', 1500)).toBe('1\u202f500 invitations');
  });

  it("the provider's localization reaches the components; keys not given stay English", async () => {
    const admin = await live.admin('Acme');
    render(
      <RosterProvider
        client={admin.client}
        localization={{
          createOrganization: { title: 'Start a team', formButtonSubmit: 'Create team' },
          organizationProfile: {
            membersPage: { memberCount: { one: 'Just {{count}} person', other: '{{count}} people' } },
          },
        }}
      >
        <CreateOrganization />
        <OrganizationProfile />
      </RosterProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Start a team' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create team' })).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Create team' })).toBeTruthy();
    expect(screen.getByLabelText('Organization name')).toBeTruthy(); // not overridden: English
    expect((await screen.findByTestId('members-caption', {}, { timeout: 5000 })).textContent).toMatch(/./);
    await screen.findByText('Just 1 person', {}, { timeout: 5000 });
  });
});
