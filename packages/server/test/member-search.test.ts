import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest, signIn } from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';

const t = freshRosterForEachTest();

/** Adds a user with a name and address to the organization as a member. */
async function member(orgId: string, email: string, first: string, last: string) {
  const user = await json(
    await t.bapi('POST', '/v1/users', {
      email_address: [email],
      password: 'a long enough password',
      first_name: first,
      last_name: last,
    }),
  );
  await t.bapi('POST', `/v1/organizations/${orgId}/memberships`, { user_id: user.id, role: 'org:member' });
  return user;
}

describe('GET /fapi/v1/organizations/:id/memberships?query=', () => {
  it('keeps members whose name, address or id contains the query, ignoring case, and counts only them', async () => {
    const { org, browser } = await seedOrganization(t, { email: 'ada@acme.test' });
    const grace = await member(org.id, 'grace@navy.test', 'Grace', 'Hopper');
    await member(org.id, 'linus@kernel.test', 'Linus', 'Torvalds');
    await member(org.id, 'percent@odd.test', '100%', 'Sure');
    const search = async (q: string) => {
      const res = await browser.get(
        `/fapi/v1/organizations/${org.id}/memberships?query=${encodeURIComponent(q)}&limit=2`,
      );
      expect(res.status).toBe(200);
      const body = await json(res);
      return { ids: body.data.map((m: any) => m.public_user_data.identifier).sort(), total: body.total_count };
    };

    expect(await search('HOPPER')).toEqual({ ids: ['grace@navy.test'], total: 1 });
    expect(await search('grace h')).toEqual({ ids: ['grace@navy.test'], total: 1 }); // "first last"
    expect(await search('KERNEL.test')).toEqual({ ids: ['linus@kernel.test'], total: 1 });
    expect(await search(grace.id)).toEqual({ ids: ['grace@navy.test'], total: 1 });
    // LIKE's wildcards are literal characters in a query.
    expect(await search('%')).toEqual({ ids: ['percent@odd.test'], total: 1 });
    expect(await search('gr_ce')).toEqual({ ids: [], total: 0 }); // "_" would match the "a" of grace
    expect((await search('.test')).total).toBe(4); // everyone, two to a page
    expect(await search('nobody')).toEqual({ ids: [], total: 0 });
  });

  it('only searches the organization asked about, and a plain member may search too', async () => {
    const { org } = await seedOrganization(t, { email: 'owner@one.test', name: 'One' });
    const other = await seedOrganization(t, { email: 'owner@two.test', name: 'Two' });
    await member(other.org.id, 'elsewhere@two.test', 'Else', 'Where');
    await member(org.id, 'reader@one.test', 'Rea', 'Der');
    const reader = await signIn(t, 'reader@one.test');
    const res = await reader.get(`/fapi/v1/organizations/${org.id}/memberships?query=two.test`);
    expect(await json(res)).toMatchObject({ data: [], total_count: 0 });
    const mine = await json(await reader.get(`/fapi/v1/organizations/${org.id}/memberships?query=owner`));
    expect(mine.data.map((m: any) => m.public_user_data.identifier)).toEqual(['owner@one.test']);
  });
});
