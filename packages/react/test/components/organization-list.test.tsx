// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationList, useOrganization } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

/** The active organization's name, as the provider sees it ("personal" when none). */
function Active() {
  const { organization, isLoaded } = useOrganization();
  return <span data-testid="active">{isLoaded ? (organization?.name ?? 'personal') : 'loading'}</span>;
}
const active = () => screen.getByTestId('active').textContent;

describe('<OrganizationList/>', () => {
  it('lists the personal account and each organization with its avatar; choosing one makes it active and goes where asked', async () => {
    const admin = await live.admin('Orbit');
    await admin.client.createOrganization({ name: 'Nebula Labs' });
    const { navigations } = renderWithRoster(
      admin.client,
      <>
        <Active />
        <OrganizationList afterSelectOrganizationUrl={(org) => `/orgs/${org.slug}`} afterSelectPersonalUrl="/me" />
      </>,
    );
    expect(screen.getByRole('status').textContent).toBe('Loading your organizations…');
    const list = await screen.findByRole('list', { name: 'Your accounts' });
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(3));
    expect(within(list).getAllByRole('button')).toEqual(
      ['Switch to Personal account', 'Switch to Nebula Labs', 'Switch to Orbit'].map((name) =>
        within(list).getByRole('button', { name }),
      ),
    );
    expect(screen.getByRole('heading', { name: 'Choose an account' })).toBeTruthy();
    // Initials stand in for a logo; the role is the second line.
    const orbit = within(list).getByRole('button', { name: 'Switch to Orbit' });
    expect(orbit.querySelector('[data-initials]')?.textContent).toBe('O');
    expect(within(list).getAllByRole('button', { description: 'Admin' })).toHaveLength(2);

    await waitFor(() => expect(active()).toBe('Nebula Labs'));
    fireEvent.click(orbit);
    await waitFor(() => expect(active()).toBe('Orbit'));
    await waitFor(() => expect(navigations).toEqual([`/orgs/${admin.organization.slug}`]));

    fireEvent.click(within(list).getByRole('button', { name: 'Switch to Personal account' }));
    await waitFor(() => expect(active()).toBe('personal'));
    await waitFor(() => expect(navigations).toEqual([`/orgs/${admin.organization.slug}`, '/me']));
  });

  it('hidePersonal: organizations only; with none it says so. Join accepts an invitation and chooses it', async () => {
    const other = await live.admin('Quasar');
    const me = await live.signedIn();
    await other.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });
    const { navigations } = renderWithRoster(
      me.client,
      <>
        <Active />
        <OrganizationList hidePersonal afterSelectOrganizationUrl="/organization" />
      </>,
    );
    await screen.findByText('You are not in any organization yet.');
    expect(screen.getByRole('heading', { name: 'Choose an organization' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /personal account/ })).toBeNull();
    const invitations = await screen.findByRole('list', { name: /^Invitations/ });
    expect(screen.getByRole('heading', { name: /^Invitations/ }).textContent).toContain('1 pending invitation');

    fireEvent.click(within(invitations).getByRole('button', { name: 'Join Quasar' }));
    await waitFor(() => expect(active()).toBe('Quasar'));
    await waitFor(() => expect(navigations).toEqual(['/organization']));
    await waitFor(() => expect(screen.queryByRole('list', { name: /^Invitations/ })).toBeNull());
    const list = await screen.findByRole('list', { name: 'Your accounts' });
    expect(within(list).getByRole('button', { name: 'Switch to Quasar', description: 'Member' })).toBeTruthy();
  });

  it('creates an organization from its form and goes to afterCreateOrganizationUrl with it; a refused name is shown, Cancel returns focus', async () => {
    const me = await live.signedIn();
    const { navigations } = renderWithRoster(
      me.client,
      <>
        <Active />
        <OrganizationList afterCreateOrganizationUrl={(org) => `/orgs/${org.id}`} />
      </>,
    );
    const create = await screen.findByRole('button', { name: 'Create organization' });
    fireEvent.click(create);
    const form = screen.getByRole('form', { name: 'Create organization' });
    fireEvent.change(within(form).getByLabelText('Organization name'), { target: { value: 'Pulsar' } });
    fireEvent.change(within(form).getByLabelText('Slug (optional)'), { target: { value: 'Not A Slug!' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create organization' }));
    expect((await within(form).findByRole('alert')).textContent).toBeTruthy();
    expect(navigations).toEqual([]);

    fireEvent.change(within(form).getByLabelText('Slug (optional)'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create organization' }));
    await waitFor(() => expect(active()).toBe('Pulsar'));
    // Then the invite step (with no Cancel: the organization exists); Skip ends the flow.
    await screen.findByRole('heading', { name: 'Invite new members' });
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(navigations).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Skip' }));
    await waitFor(() => expect(navigations).toHaveLength(1));
    expect(navigations[0]).toMatch(/^\/orgs\/org_/);
    expect(screen.queryByRole('form', { name: 'Create organization' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Create organization' })),
    );
  });

  it('shows a failed list with Try again, and renders nothing when signed out', async () => {
    const me = await live.signedIn();
    const original = me.client.getOrganizationMemberships.bind(me.client);
    let fail = true;
    me.client.getOrganizationMemberships = (params) => (fail ? Promise.reject(new Error('offline')) : original(params));
    renderWithRoster(me.client, <OrganizationList />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load your organizations.');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('list', { name: 'Your accounts' });
    cleanup();

    await me.client.signOut();
    const { container } = renderWithRoster(me.client, <OrganizationList />);
    await waitFor(() => expect(container.querySelector('[data-roster-component]')).toBeNull());
  });
});
