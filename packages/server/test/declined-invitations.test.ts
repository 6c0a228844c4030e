import { organizationInvitationJSON, userOrganizationInvitationJSON } from '@roster/protocol';
import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest, invitationNow, invitationsOf, invited, signedInUser } from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';

/**
 * A decline keeps Clerk's `revoked` status on the wire but is told apart from an admin's revoke by
 * `declined: true`, in the Backend and Frontend API alike, and the per-status counts still add up.
 */
const t = freshRosterForEachTest();

describe('a declined invitation says so', () => {
  it('declined (API and account page) vs revoked (Backend and Frontend API): status revoked, declined true only for the first two', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const byApi = await invited(t, org.id, 'api-decliner@example.com');
    const byPage = await invited(t, org.id, 'page-decliner@example.com');
    const byKey = await invited(t, org.id, 'key-revoked@example.com');
    const byAdmin = await invited(t, org.id, 'admin-revoked@example.com');
    const stillPending = await invited(t, org.id, 'pending@example.com');
    expect(byApi.declined).toBe(false);

    const { browser: apiUser } = await signedInUser(t, 'api-decliner@example.com');
    const declinedRes = await apiUser.post(`/fapi/v1/me/organization_invitations/${byApi.id}/decline`);
    expect(declinedRes.status).toBe(200);
    expect(userOrganizationInvitationJSON.parse(await json(declinedRes))).toMatchObject({
      status: 'revoked',
      declined: true,
    });
    const { browser: pageUser } = await signedInUser(t, 'page-decliner@example.com');
    const page = await pageUser.fetch('POST', `/account/invitations/${byPage.id}/decline`, { form: {} });
    expect(page.status).toBe(200);
    expect((await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${byKey.id}/revoke`, {})).status).toBe(200);
    const revoked = await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${byAdmin.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).declined).toBe(false);

    // The Backend API, one by one and listed.
    for (const [inv, status, declined] of [
      [byApi, 'revoked', true],
      [byPage, 'revoked', true],
      [byKey, 'revoked', false],
      [byAdmin, 'revoked', false],
      [stillPending, 'pending', false],
    ] as const) {
      const now = organizationInvitationJSON.parse(await invitationNow(t, org.id, inv.id));
      expect({ email: now.email_address, status: now.status, declined: now.declined }).toEqual({
        email: inv.email_address,
        status,
        declined,
      });
    }
    const list = await invitationsOf(t, org.id, '&status=revoked');
    expect(list.total_count).toBe(4);
    expect(
      Object.fromEntries(
        list.data.map((i: { email_address: string; declined: boolean }) => [i.email_address, i.declined]),
      ),
    ).toEqual({
      'api-decliner@example.com': true,
      'page-decliner@example.com': true,
      'key-revoked@example.com': false,
      'admin-revoked@example.com': false,
    });
    // The Frontend API list an admin's app reads.
    const fapi = await json(await admin.get(`/fapi/v1/organizations/${org.id}/invitations?status=revoked`));
    expect(
      fapi.data
        .filter((i: { declined: boolean }) => i.declined)
        .map((i: { id: string }) => i.id)
        .sort(),
    ).toEqual([byApi.id, byPage.id].sort());
    // The invitee's own list (all statuses).
    const mine = await json(await apiUser.get('/fapi/v1/me/organization_invitations?status=revoked'));
    expect(mine.data.map((i: { id: string; declined: boolean }) => [i.id, i.declined])).toEqual([[byApi.id, true]]);

    // The 0004 counts still follow status changes: 1 pending, 4 revoked.
    expect((await invitationsOf(t, org.id, '&status=pending')).total_count).toBe(1);
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}`))).pending_invitations_count).toBe(1);
  });

  it('an accepted or expired invitation is never declined', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'joiner@example.com');
    const { browser } = await signedInUser(t, 'joiner@example.com');
    expect((await browser.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`)).status).toBe(200);
    expect(await invitationNow(t, org.id, inv.id)).toMatchObject({ status: 'accepted', declined: false });
    const late = await invited(t, org.id, 'late@example.com', { expires_in_days: 1 });
    t.clock.advance(2 * 86_400_000);
    expect(await invitationNow(t, org.id, late.id)).toMatchObject({ status: 'expired', declined: false });
  });
});
