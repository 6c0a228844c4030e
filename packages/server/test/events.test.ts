import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../src/domain/events/events.js';
import { all, DAY_MS, invite } from './support/flows.js';
import { json, seedOrganization, startTestRoster } from './support/harness.js';

/**
 * Domain events (decision 022) are written with their change: a change that commits has its event,
 * one that fails or rolls back has none.
 */

function eventsOf(t: Awaited<ReturnType<typeof startTestRoster>>, type?: string) {
  let q = t.roster.database.db.selectFrom('events').selectAll();
  if (type) q = q.where('type', '=', type);
  return q.orderBy('seq').execute();
}

describe('events', () => {
  it('concurrent invitations of one address: one created, one event; refused creates write none', async () => {
    const t = await startTestRoster();
    try {
      const { org } = await seedOrganization(t);
      const results = await all(6, () => invite(t, org.id, 'race@example.com'));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const created = await eventsOf(t, 'organizationInvitation.created');
      expect(created).toHaveLength(1);
      const invitation = await json(results.find((r) => r.status === 200)!);
      expect(JSON.parse(created[0]!.payload)).toMatchObject({ id: invitation.id, status: 'pending', url: null });
      expect(created[0]).toMatchObject({ organization_id: org.id, actor: 'secret_key' });

      // Refused: a taken slug, an unknown creator, a duplicate member.
      const before = (await eventsOf(t)).length;
      expect((await t.bapi('POST', '/v1/organizations', { name: 'X', slug: org.slug })).status).toBe(422);
      expect((await t.bapi('POST', '/v1/organizations', { name: 'Y', created_by: 'user_nope' })).status).toBe(404);
      expect((await eventsOf(t)).length).toBe(before);
    } finally {
      await t.close();
    }
  });

  it('an event appended in a transaction that rolls back is gone with it; one that commits stays', async () => {
    const t = await startTestRoster();
    try {
      const store = t.roster.store;
      const event = (id: string): DomainEvent => ({
        id,
        type: 'user.updated',
        organizationId: null,
        actor: 'system',
        ip: null,
        userAgent: null,
        requestId: null,
        payload: '{}',
        createdAt: t.clock.now(),
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.appendEvents([event('evt_rolled_back')]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await store.transaction((tx) => tx.appendEvents([event('evt_committed')]));
      expect((await eventsOf(t)).map((e) => e.id)).toEqual(['evt_committed']);
    } finally {
      await t.close();
    }
  });

  it('the expiry sweeper records organizationInvitation.expired for each row it expires, as system', async () => {
    const t = await startTestRoster({ overrides: { sweep: false } });
    try {
      const { org } = await seedOrganization(t);
      for (const email of ['a@example.com', 'b@example.com']) {
        expect((await invite(t, org.id, email, { expires_in_days: 1 })).status).toBe(200);
      }
      t.clock.advance(2 * DAY_MS);
      expect(await t.roster.sweeper.sweep()).toBe(2);
      const expired = await eventsOf(t, 'organizationInvitation.expired');
      expect(expired).toHaveLength(2);
      for (const e of expired) {
        expect(e).toMatchObject({ actor: 'system', ip: null, request_id: null, organization_id: org.id });
        expect(JSON.parse(e.payload).status).toBe('expired');
      }
      expect(await t.roster.sweeper.sweep()).toBe(0);
      expect(await eventsOf(t, 'organizationInvitation.expired')).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it('records who and from where: user agent and request of a signed-in change', async () => {
    const t = await startTestRoster();
    try {
      const { org, browser, user } = await seedOrganization(t);
      const res = await browser.fetch('PATCH', `/fapi/v1/organizations/${org.id}`, {
        json: { name: 'Renamed' },
        headers: { 'user-agent': 'TestAgent/1.0' },
      });
      expect(res.status).toBe(200);
      const [updated] = await eventsOf(t, 'organization.updated');
      expect(updated).toMatchObject({ actor: user.id, user_agent: 'TestAgent/1.0', organization_id: org.id });
      expect(updated!.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(updated!.payload)).toMatchObject({ object: 'organization', id: org.id, name: 'Renamed' });

      // A user's own profile change, through the Frontend API.
      expect((await browser.patch('/fapi/v1/me', { first_name: 'Grace' })).status).toBe(200);
      const [self] = await eventsOf(t, 'user.updated');
      expect(self).toMatchObject({ actor: user.id, organization_id: null });
      expect(JSON.parse(self!.payload)).toMatchObject({ object: 'user', id: user.id, first_name: 'Grace' });
    } finally {
      await t.close();
    }
  });
});
