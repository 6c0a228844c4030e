// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/accept-invitation"}
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AcceptInvitation } from '../../src/index.js';
import { liveServerForFile, PASSWORD, uniqueEmail } from '../support.js';
import { renderWithRoster, ticketMailedTo, ticketOf } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/accept-invitation');
});

describe('<AcceptInvitation/>', () => {
  it('reads ?ticket=, shows who invited whom, signs up with the address locked, and joins', async () => {
    const admin = await live.admin('Acme');
    const email = uniqueEmail('newcomer');
    await admin.organization.inviteMember({ emailAddress: email, role: 'basic_member' });
    window.history.replaceState(null, '', `/accept-invitation?ticket=${await ticketMailedTo(live, email)}`);
    const visitor = live.client();
    const { navigations } = renderWithRoster(visitor, <AcceptInvitation afterAcceptUrl="/organization" />);

    await screen.findByRole('heading', { name: 'Join Acme' });
    expect(screen.getByText(new RegExp(`invited ${email.replace('.', '\\.')} to join Acme as member`))).toBeTruthy();
    const locked = screen.getByLabelText('Email address') as HTMLInputElement;
    expect([locked.value, locked.readOnly]).toEqual([email, true]);
    fireEvent.change(screen.getByLabelText('First name'), { target: { value: 'Nia' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account and join' }));

    await waitFor(() => expect(navigations).toEqual(['/organization']));
    const me = await visitor.getMe();
    expect(me.user.firstName).toBe('Nia');
    expect(me.memberships.map((m) => [m.organization.name, m.role])).toEqual([['Acme', 'org:member']]);
  });

  it('from a link the app server was shown, confirms the address with the mailed code before the account exists', async () => {
    const admin = await live.admin('Acme');
    const email = uniqueEmail('shown');
    const created = await live.bapi('POST', `/v1/organizations/${admin.organization.id}/invitations`, {
      email_address: email,
      role: 'org:member',
      notify: false,
    });
    const visitor = live.client();
    const { navigations } = renderWithRoster(
      visitor,
      <AcceptInvitation ticket={ticketOf(created.body.url)} afterAcceptUrl="/org" />,
    );
    await screen.findByText(/We will email a code to this address/);
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    await screen.findByRole('heading', { name: 'Check your email' });
    expect((await live.bapi('GET', `/v1/users?email_address=${encodeURIComponent(email)}`)).body).toEqual([]);
    const code = /\b(\d{6})\b/.exec((await live.waitForMail(email, 'verification code')).text)?.[1];
    fireEvent.change(screen.getByLabelText('Verification code'), { target: { value: code } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify, create account and join' }));
    await waitFor(() => expect(navigations).toEqual(['/org']));
    expect((await visitor.getMe()).memberships.map((m) => m.organization.name)).toEqual(['Acme']);
  });

  it('lets an existing user sign in from the link and join with the invited role', async () => {
    const admin = await live.admin('Acme');
    const existing = await live.signedIn();
    await existing.client.signOut();
    await admin.organization.inviteMember({ emailAddress: existing.email, role: 'admin' });
    const visitor = live.client();
    const ticket = await ticketMailedTo(live, existing.email);
    const { navigations } = renderWithRoster(visitor, <AcceptInvitation ticket={ticket} />);

    await screen.findByText('You already have an account. Sign in to join.');
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in and join' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/password/i);
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in and join' }));
    await waitFor(() => expect(navigations).toHaveLength(1));
    expect((await visitor.getMe()).memberships.map((m) => m.role)).toEqual(['org:admin']);
  });

  it('tells someone signed in as another user, joins nothing, and lets them switch', async () => {
    const admin = await live.admin('Acme');
    const invitee = uniqueEmail('invitee');
    await admin.organization.inviteMember({ emailAddress: invitee, role: 'basic_member' });
    const someoneElse = await live.signedIn();
    renderWithRoster(someoneElse.client, <AcceptInvitation ticket={await ticketMailedTo(live, invitee)} />);

    const note = await screen.findByTestId('wrong-account');
    expect(note.textContent).toContain(
      `You are signed in as ${someoneElse.email}, but this invitation is for ${invitee}`,
    );
    expect(note.textContent).toContain('Nothing has been joined.');
    expect((await admin.organization.getInvitations()).data.map((i) => i.status)).toEqual(['pending']);
    expect((await someoneElse.client.getMe()).memberships).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: `Sign out and continue as ${invitee}` }));
    await screen.findByRole('button', { name: 'Create account and join' });
    expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe(invitee);
  });

  it('as the invitee, joins with one click', async () => {
    const admin = await live.admin('Acme');
    const invitee = await live.signedIn();
    await admin.organization.inviteMember({ emailAddress: invitee.email, role: 'basic_member' });
    const ticket = await ticketMailedTo(live, invitee.email);
    const { navigations } = renderWithRoster(invitee.client, <AcceptInvitation ticket={ticket} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Join Acme' }));
    await waitFor(() => expect(navigations).toEqual(['/']));
    const me = await invitee.client.getMe();
    expect(me.session.lastActiveOrganizationId).toBe(admin.organization.id);
  });

  it('says a revoked, used or unknown link is closed, and offers no way to join', async () => {
    const admin = await live.admin('Acme');
    const email = uniqueEmail();
    const invitation = await admin.organization.inviteMember({ emailAddress: email, role: 'basic_member' });
    const ticket = await ticketMailedTo(live, email);
    await invitation.revoke();
    renderWithRoster(live.client(), <AcceptInvitation ticket={ticket} />);
    expect((await screen.findByRole('heading', { name: 'This invitation was revoked' })).dataset.status).toBe(
      'revoked',
    );
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();

    renderWithRoster(live.client(), <AcceptInvitation ticket="not-a-real-ticket" />);
    await screen.findByRole('heading', { name: 'This invitation link is not valid' });
    expect(screen.queryByRole('button')).toBeNull();
  });
});
