import { describe, expect, it } from 'vitest';
import { createUser, errorOf, freshRosterForEachTest, invite, invited, signedInUser } from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';

/**
 * One seat rule, one refusal: inviting, adding and accepting are refused with the same code and
 * the same meta (the limit and both counts), whichever path hits the limit.
 */

const t = freshRosterForEachTest({ env: { ROSTER_RATE_LIMITS: 'false' } });

describe('the seat rule', () => {
  it('invite, add and accept refuse with one shape; an accept needs only a member seat', async () => {
    const { org, browser: admin } = await seedOrganization(t, { max: 3 });
    const first = await invited(t, org.id, 'first@example.com');
    const second = await invited(t, org.id, 'second@example.com');
    const full = { members_count: 1, pending_invitations_count: 2, max_allowed_memberships: 3 };
    const shape = (meta: Record<string, unknown>) => ({
      status: 403,
      code: 'organization_membership_quota_exceeded',
      meta,
    });

    expect(await errorOf(await invite(t, org.id, 'third@example.com'))).toMatchObject(shape(full));
    expect(
      await errorOf(
        await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
          email_address: 'third@example.com',
          role: 'org:member',
        }),
      ),
    ).toMatchObject(shape(full));
    const outsider = await createUser(t, 'outsider@example.com');
    expect(
      await errorOf(
        await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: outsider.id, role: 'org:member' }),
      ),
    ).toMatchObject(shape(full));

    // The limit lowered below what was promised: an accept uses its invitation's seat, so it is
    // refused only once the members alone fill the organization.
    const lowered = await t.bapi('PATCH', `/v1/organizations/${org.id}`, { max_allowed_memberships: 2 });
    expect(lowered.status).toBe(200);
    await lowered.body?.cancel();
    const { browser: one } = await signedInUser(t, 'first@example.com');
    expect((await one.post(`/fapi/v1/me/organization_invitations/${first.id}/accept`)).status).toBe(200);
    const { browser: two } = await signedInUser(t, 'second@example.com');
    const refused = await two.post(`/fapi/v1/me/organization_invitations/${second.id}/accept`);
    expect(await errorOf(refused)).toMatchObject(
      shape({ members_count: 2, pending_invitations_count: 1, max_allowed_memberships: 2 }),
    );
    const now = await json(await t.bapi('GET', `/v1/organizations/${org.id}`));
    expect(now).toMatchObject({ members_count: 2, pending_invitations_count: 1 });
  });
});
