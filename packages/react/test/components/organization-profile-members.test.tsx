// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationProfile } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { addMember } from './profile-support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

const rows = () => within(screen.getByTestId('members')).queryAllByRole('listitem');
const names = () => rows().map((li) => li.querySelector('strong')?.textContent);
const roleOf = async (orgId: string, userId: string) => {
  const res = await live.bapi('GET', `/v1/organizations/${orgId}/memberships?user_id=${userId}`);
  return res.body.data[0]?.role as string | undefined;
};

describe('<OrganizationProfile/> members', () => {
  it('shows a loading state, never "0 members", and the count is not also the tab label', async () => {
    const admin = await live.admin('Counted');
    await addMember(live, admin.organization.id);
    const captions: string[] = [];
    const observer = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="members-caption"]')?.textContent;
      if (text && captions.at(-1) !== text) captions.push(text);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    renderWithRoster(admin.client, <OrganizationProfile />);
    expect(screen.getByText('Loading organization…')).toBeTruthy();
    await waitFor(() => expect(captions.at(-1)).toBe('2 members'));
    observer.disconnect();
    expect(captions).toEqual(['Loading members…', '2 members']);

    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'General',
      'Members',
      'Invitations',
      'Requests',
    ]);
    expect(screen.queryByRole('heading', { name: /Members/ })).toBeNull();
    expect(names()).toHaveLength(2);
  });

  it('a role change asks first, can be cancelled, then applies and says so in a live region', async () => {
    const admin = await live.admin('Roles Inc');
    const member = await addMember(live, admin.organization.id, { first: 'Grace', last: 'Hopper' });
    renderWithRoster(admin.client, <OrganizationProfile />);
    await waitFor(() => expect(names()).toHaveLength(2));
    const select = () => screen.getByLabelText('Role of Grace Hopper') as HTMLSelectElement;

    fireEvent.change(select(), { target: { value: 'org:admin' } });
    const confirm = screen.getByRole('alertdialog', { name: /Change the role of Grace Hopper from Member to Admin/ });
    // Nothing was sent yet: the server still has a member.
    expect(await roleOf(admin.organization.id, member.userId)).toBe('org:member');
    await waitFor(() => expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' })));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(select().value).toBe('org:member');
    expect(document.activeElement).toBe(select());

    fireEvent.change(select(), { target: { value: 'org:admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change role' }));
    await waitFor(() =>
      expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain(
        'The role of Grace Hopper is now Admin.',
      ),
    );
    expect(await roleOf(admin.organization.id, member.userId)).toBe('org:admin');
    await waitFor(() => expect(select().value).toBe('org:admin'));
    await waitFor(() => expect(document.activeElement).toBe(select()));
  });

  it('a refused role change (the last admin demoting themselves) shows the error and keeps the role', async () => {
    const admin = await live.admin('Last Admin');
    renderWithRoster(admin.client, <OrganizationProfile />);
    await waitFor(() => expect(names()).toHaveLength(1));
    const select = screen.getByRole('combobox', { name: /^Role of / }) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'org:member' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change role' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/admin/i);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect((screen.getByRole('combobox', { name: /^Role of / }) as HTMLSelectElement).value).toBe('org:admin');
    expect(await roleOf(admin.organization.id, admin.userId)).toBe('org:admin');
  });

  it('removing asks first (Escape cancels back to the button); confirmed, the row goes and focus lands on the count', async () => {
    const admin = await live.admin('Removals');
    const member = await addMember(live, admin.organization.id, { first: 'Linus', last: 'Torvalds' });
    renderWithRoster(admin.client, <OrganizationProfile />);
    await waitFor(() => expect(names()).toHaveLength(2));
    const remove = screen.getByRole('button', { name: 'Remove Linus Torvalds' });
    // No way to remove yourself here: leaving is on the General tab.
    expect(screen.getAllByRole('button', { name: /^Remove / })).toHaveLength(1);

    fireEvent.click(remove);
    const dialog = screen.getByRole('alertdialog', { name: /Remove Linus Torvalds from Removals/ });
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' })));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(remove);
    expect(await roleOf(admin.organization.id, member.userId)).toBe('org:member');

    fireEvent.click(remove);
    fireEvent.click(screen.getByRole('button', { name: 'Remove member' }));
    await waitFor(() => expect(names()).toHaveLength(1));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('members-caption')));
    expect(screen.getByTestId('members-caption').textContent).toBe('1 member');
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Removed Linus Torvalds from Removals.');
    expect(await roleOf(admin.organization.id, member.userId)).toBeUndefined();
  });

  it('searches by name or address on the server, and pages through the members', async () => {
    const admin = await live.admin('Search Co');
    await addMember(live, admin.organization.id, {
      first: 'Grace',
      last: 'Hopper',
      email: `grace-${Date.now()}@navy.test`,
    });
    for (let i = 0; i < 10; i++) await addMember(live, admin.organization.id, { first: 'Crew', last: `Number${i}` });
    renderWithRoster(admin.client, <OrganizationProfile />);
    const caption = () => screen.getByTestId('members-caption').textContent;
    await waitFor(() => expect(caption()).toBe('12 members'));
    expect(names()).toHaveLength(10);
    const pages = screen.getByRole('navigation', { name: 'Members pages' });
    expect(pages.textContent).toContain('Page 1 of 2');
    fireEvent.click(within(pages).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(names()).toHaveLength(2));

    const search = screen.getByRole('searchbox', { name: 'Search members' });
    fireEvent.change(search, { target: { value: 'HOPPER' } });
    await waitFor(() => expect(caption()).toBe('1 member matching “HOPPER”'));
    expect(names()).toEqual(['Grace Hopper']);
    expect(screen.queryByRole('navigation', { name: 'Members pages' })).toBeNull();

    fireEvent.change(search, { target: { value: 'navy.test' } });
    await waitFor(() => expect(caption()).toBe('1 member matching “navy.test”'));
    fireEvent.change(search, { target: { value: 'nobody-here' } });
    await waitFor(() => expect(screen.getByText('No members match “nobody-here”.')).toBeTruthy());
    expect(screen.queryByTestId('members')).toBeNull();
    fireEvent.change(search, { target: { value: '' } });
    await waitFor(() => expect(caption()).toBe('12 members'));
  });

  it('a plain member reads the list: no role selects, no Remove, no Invitations tab', async () => {
    const admin = await live.admin('Readers');
    const member = await live.signedIn();
    await addMember(live, admin.organization.id);
    await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'org:member',
    });
    // Added behind the session's back: it is still in the personal account until it switches.
    await member.client.setActive({ organization: admin.organization.id });
    renderWithRoster(member.client, <OrganizationProfile />);
    await waitFor(() => expect(names()).toHaveLength(3));
    // Members see the members, not who asked to join nor who is invited: no Requests, no Invitations.
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['General', 'Members']);
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
  });
});
