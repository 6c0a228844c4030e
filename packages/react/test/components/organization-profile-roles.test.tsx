// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { createRosterClient } from '@roster/client';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrganizationProfile } from '../../src/index.js';
import { liveServerForFile, PASSWORD, uniqueEmail } from '../support.js';
import { addMember } from './profile-support.js';
import { renderWithRoster } from './support.js';

/**
 * The role selects of <OrganizationProfile/> list the organization's stored roles (through
 * `organization.getRoles()`), a custom one included, against a live Roster: the invite form and
 * each member's row offer it, and an invitation with it is accepted into a membership holding it.
 */
const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

beforeAll(async () => {
  const res = await live.bapi('POST', '/v1/organization_roles', {
    name: 'Billing',
    key: 'org:billing',
    description: 'Sees and pays the invoices.',
    permissions: ['org:sys_memberships:read'],
  });
  if (res.status !== 200) throw new Error(`create role: ${JSON.stringify(res.body)}`);
});

const optionsOf = (select: HTMLElement) =>
  [...(select as HTMLSelectElement).options].map((o) => [o.value, o.textContent] as const);
const ALL_ROLES = [
  ['org:admin', 'Admin'],
  ['org:member', 'Member'],
  ['org:billing', 'Billing'],
];
const BUILT_IN = ALL_ROLES.slice(0, 2);
const roleOf = async (orgId: string, userId: string) =>
  (await live.bapi('GET', `/v1/organizations/${orgId}/memberships?user_id=${userId}`)).body.data[0]?.role as
    | string
    | undefined;

describe('<OrganizationProfile/> role selects', () => {
  it('the invite form offers the stored roles (loading first); inviting as Billing joins the invitee as Billing', async () => {
    const admin = await live.admin('Billing Co');
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const text = document.body.textContent ?? '';
      if (text.includes('Loading the organization’s roles…')) seen.push('loading');
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="invitations" />);
    const select = await screen.findByRole('combobox', { name: 'Role' });
    await waitFor(() => expect(optionsOf(select)).toEqual(ALL_ROLES));
    observer.disconnect();
    expect(seen).toContain('loading');
    expect(screen.queryByText('Loading the organization’s roles…')).toBeNull();
    expect(select.getAttribute('aria-busy')).toBeNull();
    expect((select as HTMLSelectElement).value).toBe('org:member');

    const email = uniqueEmail('billing');
    fireEvent.change(screen.getByLabelText('Email addresses'), { target: { value: email } });
    fireEvent.change(select, { target: { value: 'org:billing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    await screen.findByText(`Invited ${email}.`);
    const pending = await screen.findByTestId('pending-invitations');
    await waitFor(() => expect(pending.textContent).toContain('Billing'));
    const listed = await live.bapi('GET', `/v1/organizations/${admin.organization.id}/invitations`);
    expect(listed.body.data.map((i: { role: string }) => i.role)).toEqual(['org:billing']);

    // The invitee signs up with that address and accepts: they are a member as Billing.
    const invitee = await live.signedIn(email);
    const [invitation] = (await invitee.client.getUserInvitations()).data;
    expect(invitation?.role).toBe('org:billing');
    await invitation!.accept();
    expect(await roleOf(admin.organization.id, invitee.userId)).toBe('org:billing');

    // Their row on the Members tab shows the role, and the select offers every role.
    fireEvent.click(screen.getByRole('tab', { name: 'Members' }));
    const theirs = await screen.findByRole('combobox', { name: `Role of Test ${email.split('@')[0]}` });
    await waitFor(() => expect(optionsOf(theirs)).toEqual(ALL_ROLES));
    expect((theirs as HTMLSelectElement).value).toBe('org:billing');
  });

  it("a member's row gives a custom role: the confirmation names it and says what it means", async () => {
    const admin = await live.admin('Promotions');
    const member = await addMember(live, admin.organization.id, { first: 'Grace', last: 'Hopper' });
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="members" />);
    const select = await screen.findByRole('combobox', { name: 'Role of Grace Hopper' });
    await waitFor(() => expect(optionsOf(select)).toEqual(ALL_ROLES));

    fireEvent.change(select, { target: { value: 'org:billing' } });
    const confirm = screen.getByRole('alertdialog', { name: /Change the role of Grace Hopper from Member to Billing/ });
    expect(confirm.textContent).toContain('Sees and pays the invoices.');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Change role' }));
    await waitFor(() =>
      expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain(
        'The role of Grace Hopper is now Billing.',
      ),
    );
    expect(await roleOf(admin.organization.id, member.userId)).toBe('org:billing');
    await waitFor(() =>
      expect((screen.getByLabelText('Role of Grace Hopper') as HTMLSelectElement).value).toBe('org:billing'),
    );
  });

  it('roles that cannot be read: the built-in ones are offered, an alert says why, Try again loads them', async () => {
    const admin = await live.admin('Flaky Roles');
    await addMember(live, admin.organization.id, { first: 'Linus', last: 'Torvalds', role: 'org:billing' });
    let failing = true;
    const flaky: typeof fetch = (input, init) =>
      failing && String(input instanceof Request ? input.url : input).includes('/roles')
        ? Promise.reject(new TypeError('Failed to fetch'))
        : fetch(input, init);
    const client = createRosterClient({ baseUrl: live.baseUrl, sessionToken: null, fetch: flaky });
    await client.signIn.create({ identifier: admin.email, password: PASSWORD });

    renderWithRoster(client, <OrganizationProfile defaultTab="invitations" />);
    const select = await screen.findByRole('combobox', { name: 'Role' });
    const error = await screen.findByTestId('load-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(
      /^Could not load the organization’s roles, so only Admin and Member are listed\./,
    );
    // The select says so too, to whoever reaches it.
    expect(document.getElementById(select.getAttribute('aria-describedby')!)?.textContent).toContain(
      'Could not load the organization’s roles',
    );
    expect(optionsOf(select)).toEqual(BUILT_IN);
    expect((select as HTMLSelectElement).value).toBe('org:member');

    failing = false;
    fireEvent.click(within(error).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(optionsOf(screen.getByRole('combobox', { name: 'Role' }))).toEqual(ALL_ROLES));
    expect(screen.queryByTestId('load-error')).toBeNull();
    expect(screen.getByRole('combobox', { name: 'Role' }).getAttribute('aria-describedby')).toBeNull();

    // On the Members tab a failure is said once, above the list; a member's own role stays listed.
    cleanup();
    failing = true;
    renderWithRoster(client, <OrganizationProfile defaultTab="members" />);
    const row = await screen.findByRole('combobox', { name: 'Role of Linus Torvalds' });
    expect((await screen.findAllByTestId('load-error')).length).toBe(1);
    expect(optionsOf(row)).toEqual([...BUILT_IN, ['org:billing', 'Billing']]);
    expect((row as HTMLSelectElement).value).toBe('org:billing');
  });
});
