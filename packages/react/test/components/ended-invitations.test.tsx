// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationProfile } from '../../src/index.js';
import { liveServerForFile, uniqueEmail } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile();
afterEach(() => {
  cleanup();
});

describe('<OrganizationProfile/> ended invitations', () => {
  it("tells an invitee's decline from an admin's revoke (both `revoked` on the wire)", async () => {
    const admin = await live.admin('Declines Inc');
    const declinerEmail = uniqueEmail('decliner');
    const revokedEmail = uniqueEmail('revoked');
    await admin.organization.inviteMember({ emailAddress: declinerEmail, role: 'org:member' });
    const toRevoke = await admin.organization.inviteMember({ emailAddress: revokedEmail, role: 'org:member' });
    await admin.organization.inviteMember({ emailAddress: uniqueEmail('pending'), role: 'org:member' });
    const decliner = await live.signedIn(declinerEmail);
    const [mine] = (await decliner.client.getUserInvitations()).data;
    await mine!.decline();
    expect(mine).toMatchObject({ status: 'revoked', declined: true });
    await toRevoke.revoke();
    expect(toRevoke).toMatchObject({ status: 'revoked', declined: false });

    renderWithRoster(admin.client, <OrganizationProfile />);
    fireEvent.click(await screen.findByRole('tab', { name: /Invitations/ }));
    const pending = await screen.findByTestId('pending-invitations');
    await waitFor(() => expect(within(pending).getAllByRole('listitem')).toHaveLength(1));

    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'ended' } });
    const ended = await screen.findByTestId('ended-invitations');
    await waitFor(() => expect(within(ended).getAllByRole('listitem')).toHaveLength(2));
    const label = (email: string) =>
      within(ended)
        .getAllByRole('listitem')
        .find((li) => li.textContent?.includes(email))
        ?.querySelector('[data-ended]')?.textContent;
    expect(label(declinerEmail)).toBe('Declined');
    expect(label(revokedEmail)).toBe('Revoked');
    expect(screen.getByRole('heading', { name: /Ended invitations/ }).textContent).toContain('(2)');
    expect(within(ended).queryByRole('button', { name: /Revoke/ })).toBeNull();
  });
});
