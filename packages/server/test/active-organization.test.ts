import { describe, expect, it } from 'vitest';
import { createUser, freshRosterForEachTest, invited, signIn } from './support/flows.js';
import { json } from './support/harness.js';

const t = freshRosterForEachTest();

/** Decision 027: a session's active organization is null only for the personal account. */
describe('the active organization of a session', () => {
  const activeOf = async (browser: Awaited<ReturnType<typeof signIn>>) =>
    (await json(await browser.get('/fapi/v1/me'))).session.last_active_organization_id as string | null;
  const orgFor = async (name: string) => json(await t.bapi('POST', '/v1/organizations', { name }));
  const join = (orgId: string, userId: string) =>
    t.bapi('POST', `/v1/organizations/${orgId}/memberships`, { user_id: userId, role: 'org:member' });

  it('a new session starts in the newest membership; without one, in the personal account', async () => {
    const user = await createUser(t, 'ada@example.com');
    expect(await activeOf(await signIn(t, 'ada@example.com'))).toBeNull();

    const [older, newer] = [await orgFor('Older'), await orgFor('Newer')];
    await join(older.id, user.id);
    t.clock.advance(1_000);
    await join(newer.id, user.id);
    const browser = await signIn(t, 'ada@example.com');
    expect(await activeOf(browser)).toBe(newer.id);

    // The personal account, once chosen, stays chosen.
    const personal = await browser.fetch('POST', '/fapi/v1/me/active_organization', {
      json: { organization_id: null },
    });
    expect(personal.status).toBe(200);
    expect(await activeOf(browser)).toBeNull();
  });

  it('joining from the personal account makes the organization active; joining from another keeps that one', async () => {
    await createUser(t, 'grace@example.com');
    const browser = await signIn(t, 'grace@example.com');
    const [first, second] = [await orgFor('First'), await orgFor('Second')];
    const one = await invited(t, first.id, 'grace@example.com');
    const two = await invited(t, second.id, 'grace@example.com');

    const accepted = await browser.post(`/fapi/v1/me/organization_invitations/${one.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(await activeOf(browser)).toBe(first.id);

    expect((await browser.post(`/fapi/v1/me/organization_invitations/${two.id}/accept`)).status).toBe(200);
    expect(await activeOf(browser)).toBe(first.id);
  });
});
