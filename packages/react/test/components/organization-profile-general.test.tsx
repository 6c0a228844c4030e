// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationProfile } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

describe('<OrganizationProfile/> General', () => {
  it('an admin renames the organization and changes its slug; a taken slug is refused on the slug field', async () => {
    const admin = await live.admin('Old Name');
    const other = await live.admin('Taken');
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="general" />);
    const name = (await screen.findByLabelText('Name')) as HTMLInputElement;
    expect(name.value).toBe('Old Name');
    fireEvent.change(name, { target: { value: 'New Name' } });
    fireEvent.change(screen.getByLabelText('Slug'), { target: { value: 'new-name-co' } });
    const save = screen.getByRole('button', { name: 'Save' });
    save.focus();
    fireEvent.click(save);
    await waitFor(() => expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('New Name'));
    await screen.findByText('Saved.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save' }));
    const stored = await live.bapi('GET', `/v1/organizations/${admin.organization.id}`);
    expect(stored.body).toMatchObject({ name: 'New Name', slug: 'new-name-co' });

    fireEvent.change(screen.getByLabelText('Slug'), { target: { value: other.organization.slug } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('alert');
    expect(screen.getByLabelText('Slug').getAttribute('aria-invalid')).toBe('true');
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}`)).body.slug).toBe('new-name-co');
  });

  it('an admin uploads a logo with the file input, sees it, and removes it', async () => {
    const admin = await live.admin('Logo Ltd');
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="general" />);
    const input = (await screen.findByLabelText('Upload logo')) as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('image/jpeg,image/png,image/gif,image/webp');
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0a7' } })
      .png()
      .toBuffer();
    fireEvent.change(input, {
      target: { files: [new File([new Uint8Array(png)], 'logo.png', { type: 'image/png' })] },
    });
    await screen.findByText('New logo saved.');
    const stored = await live.bapi('GET', `/v1/organizations/${admin.organization.id}`);
    expect(stored.body.has_image).toBe(true);
    const shown = document.querySelectorAll(`img[src="${stored.body.image_url}"]`);
    expect(shown.length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Replace logo')).toBe(input);

    fireEvent.click(screen.getByRole('button', { name: 'Remove logo' }));
    await screen.findByText('The logo was removed.');
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}`)).body.has_image).toBe(false);
    // The header's avatar follows once the provider has reloaded the organization.
    await waitFor(() => expect([...document.querySelectorAll('img')].map((i) => i.outerHTML)).toEqual([]));
  });

  it('refuses a file over 10 MB before uploading it', async () => {
    const admin = await live.admin('Big Files');
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="general" />);
    const input = (await screen.findByLabelText('Upload logo')) as HTMLInputElement;
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [big] } });
    expect((await screen.findByRole('alert')).textContent).toBe('The logo must be at most 10 MB.');
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}`)).body.has_image).toBe(false);
  });

  it('deleting needs the name typed exactly, then deletes and goes to afterLeaveOrganizationUrl', async () => {
    const admin = await live.admin('Doomed Ltd');
    const { navigations } = renderWithRoster(
      admin.client,
      <OrganizationProfile defaultTab="general" afterLeaveOrganizationUrl="/goodbye" />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Delete organization' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete Doomed Ltd?' });
    const typed = within(dialog).getByLabelText('Type “Doomed Ltd” to confirm');
    await waitFor(() => expect(document.activeElement).toBe(typed));
    const confirm = within(dialog).getByRole('button', { name: 'Delete organization' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(typed, { target: { value: 'doomed ltd' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.click(confirm);
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}`)).status).toBe(200);

    fireEvent.change(typed, { target: { value: 'Doomed Ltd' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(navigations).toEqual(['/goodbye']));
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}`)).status).toBe(404);
  });

  it('a member sees the profile read-only, leaves after confirming, and the component says so', async () => {
    const admin = await live.admin('Leavers');
    const member = await live.signedIn();
    await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'org:member',
    });
    // Added behind the session's back: it is still in the personal account until it switches.
    await member.client.setActive({ organization: admin.organization.id });
    renderWithRoster(member.client, <OrganizationProfile defaultTab="general" />);
    await screen.findByRole('button', { name: 'Leave organization' });
    expect(screen.queryByLabelText('Name')).toBeNull();
    expect(screen.getByText('Leavers', { selector: 'dd' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete organization' })).toBeNull();

    const leave = screen.getByRole('button', { name: 'Leave organization' });
    fireEvent.click(leave);
    const dialog = screen.getByRole('alertdialog', { name: 'Leave Leavers?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(leave);
    const still = await live.bapi(
      'GET',
      `/v1/organizations/${admin.organization.id}/memberships?user_id=${member.userId}`,
    );
    expect(still.body.total_count).toBe(1);

    fireEvent.click(leave);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Leave organization' }));
    await screen.findByRole('heading', { name: 'No organization' });
    expect(screen.getByRole('status').textContent).toBe('You left Leavers.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'No organization' })));
    const gone = await live.bapi(
      'GET',
      `/v1/organizations/${admin.organization.id}/memberships?user_id=${member.userId}`,
    );
    expect(gone.body.total_count).toBe(0);
  });
});
