// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationProfile } from '../../src/index.js';
import { type LiveServer, liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

const domainName = () => `acme-${Math.random().toString(36).slice(2, 8)}.test`;
const codeMailedTo = async (l: LiveServer, to: string) => {
  const code = /\b(\d{6})\b/.exec((await l.waitForMail(to)).text)?.[1];
  if (!code) throw new Error(`no code in the mail to ${to}`);
  return code;
};

describe('Verified domains in <OrganizationProfile/> General', () => {
  it('an admin adds a domain, verifies it by the mailed code, sets automatic suggestions and removes it, focus kept throughout', async () => {
    const admin = await live.admin('Domains Inc');
    const name = domainName();
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="general" />);
    const section = await screen.findByTestId('domains-section');
    await within(section).findByText('No domains yet.');

    fireEvent.click(within(section).getByRole('button', { name: 'Add domain' }));
    const field = within(section).getByLabelText('Domain');
    await waitFor(() => expect(document.activeElement).toBe(field));
    fireEvent.change(field, { target: { value: name } });
    fireEvent.click(within(section).getByRole('button', { name: 'Add domain' }));

    const verify = await within(section).findByTestId('verify-domain');
    await within(section).findByText(`${name} was added. Verify it with a code sent to an address on it.`);
    const address = within(verify).getByLabelText('Verification email address');
    await waitFor(() => expect(document.activeElement).toBe(address));
    const row = () => section.querySelector(`li[data-domain="${name}"]`) as HTMLElement;
    expect(within(row()).getByTestId('domain-status').textContent).toBe('Unverified');

    fireEvent.change(address, { target: { value: 'it@example.com' } });
    fireEvent.click(within(verify).getByRole('button', { name: 'Send code' }));
    expect(within(verify).getByRole('alert').textContent).toBe(`The address must be on ${name}.`);

    fireEvent.change(address, { target: { value: `it@${name}` } });
    fireEvent.click(within(verify).getByRole('button', { name: 'Send code' }));
    await within(verify).findByText(`A verification code was sent to it@${name}. Enter the code to continue.`);
    const codeField = within(verify).getByLabelText('Verification code');
    await waitFor(() => expect(document.activeElement).toBe(codeField));
    fireEvent.change(codeField, { target: { value: await codeMailedTo(live, `it@${name}`) } });
    fireEvent.click(within(verify).getByRole('button', { name: 'Verify' }));

    const enrollment = await within(section).findByTestId('domain-enrollment');
    await within(section).findByText(`${name} is verified. Choose how people from it join.`);
    const manual = within(enrollment).getByRole('radio', { name: /No automatic enrollment/ }) as HTMLInputElement;
    expect(manual.checked).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(manual));
    fireEvent.click(within(enrollment).getByRole('radio', { name: /Automatic suggestions/ }));
    const deletePending = within(enrollment).getByRole('checkbox', {
      name: 'Delete pending invitations and suggestions',
    }) as HTMLInputElement;
    fireEvent.click(deletePending);
    expect(deletePending.checked).toBe(true);
    fireEvent.click(within(enrollment).getByRole('button', { name: 'Save' }));
    await within(section).findByText(`${name}: Automatic suggestions.`);
    await waitFor(() => expect(row().dataset.mode).toBe('automatic_suggestion'));
    expect(within(row()).getByTestId('domain-status').textContent).toBe('Verified');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(row()).getByRole('button', { name: `Manage ${name}` })),
    );
    const stored = await live.bapi('GET', `/v1/organizations/${admin.organization.id}/domains`);
    expect(stored.body.data).toMatchObject([
      { name, enrollment_mode: 'automatic_suggestion', verification: { status: 'verified' } },
    ]);

    // Removing asks first; Cancel goes back to the button, Remove domain removes it.
    const remove = within(row()).getByRole('button', { name: `Remove ${name}` });
    fireEvent.click(remove);
    let dialog = within(section).getByRole('alertdialog', { name: `Remove ${name}?` });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(remove));
    fireEvent.click(remove);
    dialog = within(section).getByRole('alertdialog', { name: `Remove ${name}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove domain' }));
    await within(section).findByText(`${name} has been removed.`);
    await within(section).findByText('No domains yet.');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(section).getByRole('heading', { name: 'Verified domains' })),
    );
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}/domains`)).body.data).toEqual([]);
  });
});
