// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationProfile } from '../../src/index.js';
import { liveServerForFile, uniqueEmail } from '../support.js';
import { setRole } from './profile-support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

const items = (list: HTMLElement) =>
  within(list)
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('strong')?.textContent);

describe('<OrganizationProfile/> invitations', () => {
  it('invites several addresses at once; focus goes back to the address box, never to <body>', async () => {
    const admin = await live.admin('Acme');
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="invitations" />);
    const box = await screen.findByLabelText('Email addresses');
    fireEvent.change(box, { target: { value: 'ada@example.com, grace@example.com\nada@example.com' } });
    expect(screen.getByText(/\(2 addresses\)/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'org:admin' } });
    const send = screen.getByRole('button', { name: 'Send invitations' });
    send.focus();
    fireEvent.click(send);
    await screen.findByText('Invited 2 people.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email addresses')));
    expect((screen.getByLabelText('Email addresses') as HTMLTextAreaElement).value).toBe('');
    const pending = await screen.findByTestId('pending-invitations');
    await waitFor(() => expect(items(pending).sort()).toEqual(['ada@example.com', 'grace@example.com']));
    expect(pending.textContent).toContain('Admin');
    await waitFor(() => expect(within(pending).getAllByText('Email sent')).toHaveLength(2), { timeout: 10_000 });
    expect(screen.getByRole('heading', { name: /Pending invitations/ }).textContent).toBe('Pending invitations (2)');

    // Refused addresses stay in the box, with why; the others are invited.
    fireEvent.change(screen.getByLabelText('Email addresses'), {
      target: { value: 'ada@example.com linus@example.com' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Not invited — ada@example\.com: /);
    expect(screen.getByText('Invited 1 of 2.')).toBeTruthy();
    expect((screen.getByLabelText('Email addresses') as HTMLTextAreaElement).value).toBe('ada@example.com');
    expect(document.activeElement).toBe(screen.getByLabelText('Email addresses'));
  });

  it('Copy link copies a fresh link, or shows it selected when there is no clipboard; it says the rule', async () => {
    const admin = await live.admin('Linkers');
    const email = uniqueEmail('link');
    await admin.organization.inviteMember({ emailAddress: email, role: 'org:member' });
    const copied: string[] = [];
    const clipboard = { writeText: async (text: string) => void copied.push(text) };
    Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="invitations" />);
    const copy = await screen.findByRole('button', { name: `Copy link for ${email}` });
    fireEvent.click(copy);
    await screen.findByText(
      `Link copied. Whoever opens it must confirm ${email} with a code mailed there before joining.`,
    );
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatch(/\/accept-invitation\?ticket=/);

    // No clipboard: the link is shown, focused, to copy by hand.
    clipboard.writeText = async () => {
      throw new Error('denied');
    };
    fireEvent.click(copy);
    const shown = (await screen.findByLabelText(/^Copy this link for /)) as HTMLInputElement;
    expect(shown.value).toMatch(/\/accept-invitation\?ticket=/);
    expect(shown.value).not.toBe(copied[0]);
    await waitFor(() => expect(document.activeElement).toBe(shown));
  });

  it('after a revoke focus moves to the next Revoke, then to the heading when none is left', async () => {
    const admin = await live.admin('Revokers');
    const emails = [uniqueEmail('a'), uniqueEmail('b')];
    for (const emailAddress of emails) await admin.organization.inviteMember({ emailAddress, role: 'org:member' });
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="invitations" />);
    const pending = await screen.findByTestId('pending-invitations');
    await waitFor(() => expect(items(pending)).toHaveLength(2));
    const [first, second] = items(pending) as [string, string];

    const revokeFirst = screen.getByRole('button', { name: `Revoke invitation for ${first}` });
    revokeFirst.focus();
    fireEvent.click(revokeFirst);
    await waitFor(() => expect(items(screen.getByTestId('pending-invitations'))).toEqual([second]));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: `Revoke invitation for ${second}` })),
    );
    expect(screen.getByText(`Revoked the invitation for ${first}.`)).toBeTruthy();

    fireEvent.click(document.activeElement!);
    await screen.findByText('No pending invitations.');
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: /Pending invitations/ })),
    );
    const revoked = await admin.organization.getInvitations({ status: 'revoked' });
    expect(revoked.data.map((i) => i.emailAddress).sort()).toEqual([...emails].sort());
  });

  it('Resend mails the invitation again with a new link and keeps its role; focus stays on the button', async () => {
    const admin = await live.admin('Resenders');
    const email = uniqueEmail('again');
    const first = await admin.organization.inviteMember({ emailAddress: email, role: 'org:admin' });
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="invitations" />);
    const pending = await screen.findByTestId('pending-invitations');
    await waitFor(() => expect(items(pending)).toEqual([email]));
    const button = screen.getByRole('button', { name: `Resend invitation to ${email}` });
    button.focus();
    fireEvent.click(button);
    await screen.findByText(`Sent a new invitation to ${email}. The earlier link no longer works.`);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: `Resend invitation to ${email}` }));
    const [now] = (await admin.organization.getInvitations({ status: 'pending' })).data;
    expect(now?.id).toBe(first.id);
    expect(now?.role).toBe('org:admin');
    // The first mail's link was replaced: the server's own tests follow both links; here, one mail each.
    await live.waitForMail(email);
  });

  it('a failed invitations request shows one error, no count and no empty list; Try again recovers', async () => {
    const admin = await live.admin('Flaky');
    const owner = await live.signedIn();
    await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: owner.userId,
      role: 'org:admin',
    });
    await admin.organization.inviteMember({ emailAddress: uniqueEmail('x'), role: 'org:member' });
    renderWithRoster(admin.client, <OrganizationProfile />);
    const tab = await screen.findByRole('tab', { name: 'Invitations' });
    // Demoted behind the page's back: the page still offers the tab, the server now refuses the list.
    await setRole(live, admin.organization.id, admin.userId, 'org:member');
    fireEvent.click(tab);

    const error = await screen.findByTestId('load-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/^Could not load the pending invitations\./);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('heading', { name: /Pending invitations/ }).textContent).toBe('Pending invitations');
    expect(screen.queryByText('No pending invitations.')).toBeNull();
    expect(screen.queryByTestId('pending-invitations')).toBeNull();
    expect(document.body.textContent).not.toMatch(/Invitations \(\d+\)/);

    await setRole(live, admin.organization.id, admin.userId, 'org:admin');
    fireEvent.click(within(error).getByRole('button', { name: 'Try again' }));
    const pending = await screen.findByTestId('pending-invitations');
    expect(items(pending)).toHaveLength(1);
    expect(screen.queryByTestId('load-error')).toBeNull();
  });
});
