// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { UserProfile } from '../../src/index.js';
import { liveServerForFile, PASSWORD, uniqueEmail } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile();
afterEach(() => {
  cleanup();
});

describe('<UserProfile/>', () => {
  it('renames, adds an address proved by the mailed code, makes it primary and removes the old one', async () => {
    const me = await live.signedIn();
    renderWithRoster(me.client, <UserProfile />);
    const first = (await screen.findByLabelText('First name')) as HTMLInputElement;
    expect(first.value).toBe('Test');
    fireEvent.change(first, { target: { value: 'Grace' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect((await live.bapi('GET', `/v1/users/${me.userId}`)).body.first_name).toBe('Grace');

    const second = uniqueEmail('second');
    fireEvent.click(screen.getByRole('button', { name: 'Add email address' }));
    fireEvent.change(screen.getByLabelText('New email address'), { target: { value: second } });
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    const codeField = await screen.findByLabelText(`Code sent to ${second}`);
    const mail = await live.waitForMail(second);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    fireEvent.change(codeField, { target: { value: '000000' === code ? '111111' : '000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/incorrect/i);
    fireEvent.change(codeField, { target: { value: code } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText(`${second} is verified.`);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add email address' })));

    fireEvent.click(await screen.findByRole('button', { name: `Make ${second} primary` }));
    await screen.findByText(`${second} is now your primary address.`);
    fireEvent.click(await screen.findByRole('button', { name: `Remove ${me.email}` }));
    const dialog = screen.getByRole('alertdialog', { name: `Remove ${me.email}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove address' }));
    await screen.findByText(`${me.email} was removed.`);
    const stored = await live.bapi('GET', `/v1/users/${me.userId}`);
    expect(stored.body.email_addresses.map((e: { email_address: string }) => e.email_address)).toEqual([second]);
  });

  it('changes the password and lists devices; signs out of another device', async () => {
    const me = await live.signedIn();
    const other = live.client();
    await other.signIn.create({ identifier: me.email, password: PASSWORD });
    renderWithRoster(me.client, <UserProfile />);
    await screen.findByText('This device');
    const signOut = await screen.findByRole('button', { name: /^Sign out of / });
    fireEvent.click(signOut);
    await screen.findByText(/^Signed out of /);
    await expect(other.getMe()).rejects.toMatchObject({ status: 401 });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Active devices'));

    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'wrong password here' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a brand new long password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(screen.getByLabelText('Current password').getAttribute('aria-invalid')).toBe('true'));
    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('Password changed. Your other devices were signed out.');
    const fresh = live.client();
    await fresh.signIn.create({ identifier: me.email, password: 'a brand new long password' });
    expect((await fresh.getMe()).user.id).toBe(me.userId);
  });
});
