import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrations.js';
import { createTestDatabase } from './support/database.js';
import {
  createUser,
  DAY_MS,
  freshRosterForEachTest,
  invitationsOf,
  invited,
  organizationNow,
  signIn,
} from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';

/**
 * An organization's invitation counts (list total_count, pending_invitations_count, the seat
 * check) come from counts kept by database triggers, not from counting rows. These tests hold
 * them to what counting the rows would say, through every transition, expiry before and after
 * the sweeper, concurrent creates, and the migration that introduces them.
 */

const t = freshRosterForEachTest();

async function totals(orgId: string) {
  const result: Record<string, number> = {};
  for (const status of ['pending', 'accepted', 'revoked', 'expired']) {
    result[status] = (await invitationsOf(t, orgId, `&status=${status}`)).total_count;
  }
  result.all = (await invitationsOf(t, orgId)).total_count;
  return result;
}

/** The same figures by listing every row (limit 500) and counting in the test. */
async function counted(orgId: string) {
  const rows: { status: string }[] = (await invitationsOf(t, orgId)).data;
  const result: Record<string, number> = { pending: 0, accepted: 0, revoked: 0, expired: 0, all: rows.length };
  for (const row of rows) result[row.status]! += 1;
  return result;
}

describe('invitation counts', () => {
  it('follow create, accept, decline, revoke and expiry, before and after the sweeper', async () => {
    const { org } = await seedOrganization(t);
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await invited(t, org.id, `person${i}@example.com`));
    const shortLived = await invited(t, org.id, 'brief@example.com', { expires_in_days: 1 });

    await createUser(t, 'person0@example.com');
    const invitee = await signIn(t, 'person0@example.com');
    expect((await invitee.post(`/fapi/v1/me/organization_invitations/${made[0]!.id}/accept`)).status).toBe(200);
    await createUser(t, 'person1@example.com');
    const decliner = await signIn(t, 'person1@example.com');
    expect((await decliner.post(`/fapi/v1/me/organization_invitations/${made[1]!.id}/decline`)).status).toBe(200);
    expect((await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${made[2]!.id}/revoke`)).status).toBe(200);

    const expected = { pending: 4, accepted: 1, revoked: 2, expired: 0, all: 7 };
    expect(await totals(org.id)).toEqual(expected);
    expect(await counted(org.id)).toEqual(expected);
    expect((await organizationNow(t, org.id)).pending_invitations_count).toBe(4);

    // Past its expiry, before any sweep: read as expired everywhere.
    t.clock.advance(DAY_MS + 1000);
    const afterExpiry = { pending: 3, accepted: 1, revoked: 2, expired: 1, all: 7 };
    expect(await totals(org.id)).toEqual(afterExpiry);
    expect(await counted(org.id)).toEqual(afterExpiry);
    expect((await organizationNow(t, org.id)).pending_invitations_count).toBe(3);

    // The sweeper stores what readers already derived; the counts do not move.
    expect(await t.roster.sweeper.sweep()).toBe(1);
    expect(await t.roster.sweeper.sweep()).toBe(0);
    expect(await totals(org.id)).toEqual(afterExpiry);
    const swept = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${shortLived.id}`));
    expect(swept.status).toBe('expired');

    // The expired address can be invited again.
    await invited(t, org.id, 'brief@example.com');
    expect(await totals(org.id)).toEqual({ ...afterExpiry, pending: 4, all: 8 });
    expect(await counted(org.id)).toEqual({ ...afterExpiry, pending: 4, all: 8 });
  });

  it('re-inviting an expired address the sweeper has not reached yet keeps the counts exact', async () => {
    const { org } = await seedOrganization(t);
    await invited(t, org.id, 'late@example.com', { expires_in_days: 1 });
    t.clock.advance(DAY_MS + 1000);
    await invited(t, org.id, 'late@example.com');
    const expected = { pending: 1, accepted: 0, revoked: 0, expired: 1, all: 2 };
    expect(await totals(org.id)).toEqual(expected);
    expect(await counted(org.id)).toEqual(expected);
    expect(await t.roster.sweeper.sweep()).toBe(0);
  });

  it('stay exact under concurrent creates in one organization, and are per organization', async () => {
    const { org } = await seedOrganization(t);
    const other = await seedOrganization(t, { name: 'Other' });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.bapi('POST', `/v1/organizations/${i % 3 === 0 ? other.org.id : org.id}/invitations`, {
          email_address: `crowd${i % 25}@example.com`,
          role: 'org:member',
        }),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 422)).toBe(true);
    expect(await totals(org.id)).toEqual(await counted(org.id));
    expect(await totals(other.org.id)).toEqual(await counted(other.org.id));
    expect((await totals(org.id)).pending! + (await totals(other.org.id)).pending!).toBe(
      results.filter((r) => r.status === 200).length,
    );
  });

  it('hold the seat limit with counts of pending invitations', async () => {
    const { org } = await seedOrganization(t, { max: 3 });
    await invited(t, org.id, 'seat1@example.com');
    await invited(t, org.id, 'seat2@example.com', { expires_in_days: 1 });
    const full = await t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: 'seat3@example.com',
      role: 'org:member',
    });
    expect(full.status).toBe(403);
    // An expired invitation frees its seat at once, swept or not.
    t.clock.advance(DAY_MS + 1000);
    await invited(t, org.id, 'seat3@example.com');
  });
});

describe('migration 0004 (invitation counts)', () => {
  it('counts the invitations that existed before it, and rows written by hand after it', async () => {
    const database = await createTestDatabase();
    const handle = openDatabase(database.url);
    try {
      const db = handle.db;
      await migrate(db as never, handle.dialect, { to: '0003_invitations_pending_count_index' });
      const now = Date.now();
      await sql`insert into organizations (id, name, slug, max_allowed_memberships, admin_delete_enabled, created_by, public_metadata, private_metadata, created_at, updated_at)
        values ('org_a', 'A', 'a', 0, 1, null, '{}', '{}', ${now}, ${now}), ('org_b', 'B', 'b', 0, 1, null, '{}', '{}', ${now}, ${now})`.execute(
        db,
      );
      const row = (id: string, org: string, status: string) =>
        sql`(${id}, ${org}, ${`${id}@x.test`}, ${`${id}@x.test`}, 'org:member', ${status}, null, ${`hash_${id}`}, '{}', '{}', null, 1, ${now + DAY_MS}, ${now}, ${now}, null)`;
      const insert = (rows: ReturnType<typeof row>[]) =>
        sql`insert into invitations (id, organization_id, email_address, email_normalized, role, status, inviter_id, token_hash, public_metadata, private_metadata, redirect_url, notify, expires_at, created_at, updated_at, accepted_user_id)
          values ${sql.join(rows)}`.execute(db);
      await insert([
        row('i1', 'org_a', 'pending'),
        row('i2', 'org_a', 'pending'),
        row('i3', 'org_a', 'revoked'),
        row('i4', 'org_b', 'accepted'),
      ]);

      await migrate(db as never, handle.dialect);
      await insert([row('i5', 'org_a', 'pending'), row('i6', 'org_b', 'pending')]);
      await sql`update invitations set status = 'revoked' where id = 'i1'`.execute(db);

      const { rows } = await sql<{ organization_id: string; status: string; n: number }>`
        select organization_id, status, sum(n) as n from invitation_counts
        group by organization_id, status having sum(n) <> 0 order by organization_id, status`.execute(db);
      expect(rows.map((r) => [r.organization_id, r.status, Number(r.n)])).toEqual([
        ['org_a', 'pending', 2],
        ['org_a', 'revoked', 2],
        ['org_b', 'accepted', 1],
        ['org_b', 'pending', 1],
      ]);

      // Deleting an organization takes its counts with it.
      await sql`delete from organizations where id = 'org_a'`.execute(db);
      const left = await sql<{
        n: number;
      }>`select count(*) as n from invitation_counts where organization_id = 'org_a'`.execute(db);
      expect(Number(left.rows[0]!.n)).toBe(0);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
