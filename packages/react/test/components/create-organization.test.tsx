// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateOrganization, OrganizationSwitcher, useOrganization } from '../../src/index.js';
import { liveServerForFile, uniqueEmail } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

function Active() {
  const { organization, isLoaded } = useOrganization();
  return <span data-testid="active">{isLoaded ? (organization?.name ?? 'personal') : 'loading'}</span>;
}
const active = () => screen.getByTestId('active').textContent;

async function create(name: string) {
  const form = await screen.findByRole('form', { name: 'Create organization' });
  fireEvent.change(within(form).getByLabelText('Organization name'), { target: { value: name } });
  fireEvent.click(within(form).getByRole('button', { name: 'Create organization' }));
}

describe('<CreateOrganization/> invite step', () => {
  it('creates, then invites several people with a chosen role; a refused address stays with its reason; Finish goes on', async () => {
    const me = await live.signedIn();
    const created: string[] = [];
    const { navigations } = renderWithRoster(
      me.client,
      <>
        <Active />
        <CreateOrganization afterCreateOrganizationUrl="/organization" onCreated={(o) => created.push(o.name)} />
      </>,
    );
    await create('Helios');
    const heading = await screen.findByRole('heading', { name: 'Invite new members' });
    expect(created).toEqual(['Helios']);
    await waitFor(() => expect(active()).toBe('Helios'));
    expect(navigations).toEqual([]);
    const step = screen.getByRole('region', { name: 'Invite new members' });
    expect(heading.nextElementSibling?.textContent).toContain('Helios');
    const box = within(step).getByLabelText('Email addresses');
    await waitFor(() => expect(document.activeElement).toBe(box));

    // One address already invited: the other is invited, the refused one stays with its reason.
    const taken = uniqueEmail('taken');
    const org = (await me.client.getOrganizationMemberships()).data.find((m) => m.organization.name === 'Helios')!;
    await org.organization.inviteMember({ emailAddress: taken, role: 'org:member' });
    const fresh = [uniqueEmail('ada'), uniqueEmail('bo')];
    fireEvent.change(box, { target: { value: `${fresh[0]}, ${taken}` } });
    fireEvent.click(within(step).getByRole('button', { name: 'Send invitations' }));
    expect((await within(step).findByRole('alert')).textContent).toContain(taken);
    expect(within(step).getByRole('status').textContent).toBe('Invited 1 of 2.');
    expect((box as HTMLTextAreaElement).value).toBe(taken);
    expect(screen.getByRole('heading', { name: 'Invite new members' })).toBeTruthy();

    fireEvent.change(box, { target: { value: fresh[1] } });
    fireEvent.change(within(step).getByLabelText('Role'), { target: { value: 'org:admin' } });
    fireEvent.click(within(step).getByRole('button', { name: 'Send invitations' }));
    await screen.findByRole('heading', { name: 'Invitations sent' });
    const finish = screen.getByRole('button', { name: 'Finish' });
    await waitFor(() => expect(document.activeElement).toBe(finish));
    const pending = await org.organization.getInvitations({ status: 'pending' });
    expect(
      pending.data
        .filter((i) => fresh.includes(i.emailAddress))
        .map((i) => i.role)
        .sort(),
    ).toEqual(['org:admin', 'org:member']);
    expect(navigations).toEqual([]);
    fireEvent.click(finish);
    await waitFor(() => expect(navigations).toEqual(['/organization']));
    await screen.findByRole('form', { name: 'Create organization' });
  });

  it('skips the step when asked, and by itself for an organization of one seat; hideSlug leaves the slug out', async () => {
    const me = await live.signedIn();
    const { navigations } = renderWithRoster(
      me.client,
      <CreateOrganization afterCreateOrganizationUrl="/next" skipInvitationScreen hideSlug />,
    );
    expect((await screen.findByRole('form', { name: 'Create organization' })).querySelector('[name=slug]')).toBeNull();
    await create('Skipped');
    await waitFor(() => expect(navigations).toEqual(['/next']));
    expect(screen.queryByRole('heading', { name: 'Invite new members' })).toBeNull();
    cleanup();

    const settings = await live.bapi('GET', '/v1/instance/organization_settings');
    expect(
      (await live.bapi('PATCH', '/v1/instance/organization_settings', { max_allowed_memberships: 1 })).status,
    ).toBe(200);
    try {
      const solo = renderWithRoster(me.client, <CreateOrganization afterCreateOrganizationUrl="/solo" />);
      await create('Solo');
      await waitFor(() => expect(solo.navigations).toEqual(['/solo']));
      expect(screen.queryByRole('heading', { name: 'Invite new members' })).toBeNull();
    } finally {
      await live.bapi('PATCH', '/v1/instance/organization_settings', {
        max_allowed_memberships: settings.body.max_allowed_memberships,
      });
    }
  });

  it('in the switcher, the panel stays open through the invite step and closes on Skip', async () => {
    const me = await live.signedIn();
    renderWithRoster(me.client, <OrganizationSwitcher />);
    fireEvent.click(await screen.findByRole('button', { name: /Personal account/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create organization' }));
    await create('Switched');
    await screen.findByRole('heading', { name: 'Invite new members' });
    fireEvent.click(screen.getByRole('button', { name: 'Skip' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Invite new members' })).toBeNull());
    expect(screen.queryByRole('form', { name: 'Create organization' })).toBeNull();
  });
});
