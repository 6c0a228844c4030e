import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { testDialect } from './support/database.js';
import { json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * A full disk: a write refused for lack of space answers 503 `storage_full` (never 500), the log
 * names the real cause (SQLITE_FULL, not the failed rollback that used to hide it), `/healthz`
 * answers 503 with the reason while it lasts, and everything works again once there is room.
 */
describe('storage full', () => {
  let t: TestRoster | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  const createInvitations = async (orgId: string, prefix: string, count: number) => {
    const statuses: Response[] = [];
    for (let i = 0; i < count; i++) {
      const res = await t!.bapi('POST', `/v1/organizations/${orgId}/invitations`, {
        email_address: `${prefix}-${i}@example.com`,
        role: 'org:member',
        notify: false,
      });
      statuses.push(res);
      if (res.status !== 200) break;
    }
    return statuses;
  };

  it.skipIf(testDialect() !== 'sqlite')(
    'SQLite: 503 storage_full with SQLITE_FULL in the log, /healthz says so, and both recover',
    async () => {
      t = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' }, overrides: { dispatch: false } });
      // A seat limit: each create runs in a transaction (the one whose failed rollback hid the cause).
      const { org } = await seedOrganization(t, { max: 10_000 });
      const db = t.roster.database.db;
      // The database may not grow past the pages it has now: SQLite answers SQLITE_FULL, as on a full disk.
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);

      const tried = await createInvitations(org.id, 'full', 300);
      const refused = tried.at(-1)!;
      expect(refused.status).toBe(503);
      const body = await json(refused);
      expect(body.errors[0].code).toBe('storage_full');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const logged = t.logs.join('\n');
      expect(logged).toContain('SQLITE_FULL');
      expect(logged).not.toContain('cannot rollback');
      expect(logged).not.toContain('unhandled error');

      const health = await t.bapi('GET', '/healthz');
      expect(health.status).toBe(503);
      const reason = (await json(health)).errors[0];
      expect(reason.code).toBe('storage_full');
      expect(reason.meta.reason).toMatch(/full/i);
      // Still full: /healthz asks again and still says so.
      expect((await t.bapi('GET', '/healthz')).status).toBe(503);

      // Room again: /healthz recovers by itself (no request had to succeed first), creates work.
      await sql.raw('pragma max_page_count = 1073741823').execute(db);
      expect((await t.bapi('GET', '/healthz')).status).toBe(200);
      const after = await createInvitations(org.id, 'after', 3);
      expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
      // Nothing half-written: the refused invitation does not exist.
      const list = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations?limit=500`));
      const emails = (list.data as { email_address: string }[]).map((i) => i.email_address);
      expect(emails).not.toContain(`full-${tried.length - 1}@example.com`);
      expect(emails.filter((e) => e.startsWith('full-'))).toHaveLength(tried.length - 1);
    },
    30_000,
  );

  it('PostgreSQL’s disk_full (53100) answers the same storage_full, never 500', async () => {
    t = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' }, overrides: { dispatch: false } });
    const { org } = await seedOrganization(t);
    // The error as node-postgres reports it when PostgreSQL cannot extend a file.
    const diskFull = Object.assign(new Error('could not extend file "base/16384/16385": No space left on device'), {
      code: '53100',
      severity: 'ERROR',
    });
    const store = t.roster.store;
    const original = store.createInvitation.bind(store);
    store.createInvitation = () => Promise.reject(diskFull);
    try {
      const [res] = await createInvitations(org.id, 'pg', 1);
      expect(res!.status).toBe(503);
      expect((await json(res!)).errors[0].code).toBe('storage_full');
      expect(t.logs.join('\n')).toContain('No space left on device');
    } finally {
      store.createInvitation = original;
    }
  });

  it.skipIf(testDialect() !== 'sqlite')(
    'SQLite: a transaction SQLite already rolled back (a COMMIT refused for a full disk) keeps its own error',
    async () => {
      const handle = openDatabase(':memory:');
      try {
        // What SQLite does when a COMMIT fails with SQLITE_FULL: the transaction is over when the
        // error reaches Kysely, whose rollback then used to fail and replace it.
        const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        const outcome = await handle.db
          .transaction()
          .execute(async (trx) => {
            await sql`rollback`.execute(trx);
            throw full;
          })
          .catch((error: unknown) => error);
        expect(outcome).toBe(full);
        // The connection is usable afterwards.
        expect((await sql<{ one: number }>`select 1 as one`.execute(handle.db)).rows).toEqual([{ one: 1 }]);
      } finally {
        await handle.close();
      }
    },
  );
});
