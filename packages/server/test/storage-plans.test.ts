import SqliteDatabase from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { KyselyStore } from '../src/storage/kysely-store.js';
import { migrate } from '../src/storage/migrations.js';
import type { Database } from '../src/storage/schema.js';
import { testDialect } from './support/database.js';

/**
 * The queries whose cost must not grow with an organization use the index meant for them,
 * checked on the SQL the store really sends. SQLite has no statistics until ANALYZE runs (Roster
 * never runs it). A partial index (`… WHERE status = 'pending'`) is usable for a bound `status = ?`
 * only by re-preparing the statement on every run (~8× the cost of the lookup), so those queries
 * must carry the literal. (PostgreSQL plans by statistics and bound values.)
 */
describe.skipIf(testDialect() !== 'sqlite')('SQLite query plans', () => {
  async function planOf(
    run: (store: KyselyStore) => Promise<unknown>,
    match: RegExp,
  ): Promise<{ plan: string; sql: string }> {
    const sqlite = new SqliteDatabase(':memory:');
    const sent: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query') sent.push(event.query);
      },
    });
    try {
      await migrate(db as never, 'sqlite');
      sent.length = 0;
      await run(new KyselyStore(db, 'sqlite'));
      const query = sent.find((q) => match.test(q.sql));
      if (!query) throw new Error(`no query matched ${match}: ${sent.map((q) => q.sql).join('\n')}`);
      const rows = sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[]));
      return { plan: (rows as { detail: string }[]).map((r) => r.detail).join('; '), sql: query.sql };
    } finally {
      await db.destroy();
    }
  }

  it('finds the pending invitation for an address through the one-pending-per-address index', async () => {
    const { plan, sql } = await planOf(
      (s) => s.findInvitationBlockers('org_1', 'a@example.com'),
      /left join invitations/,
    );
    expect(plan).toContain('invitations_one_pending');
    expect(sql).toContain(`status = 'pending'`);
  });

  it('pages the console’s instance-wide invitation list by keyset through the created_at index, without sorting', async () => {
    const after = { createdAt: Date.now(), id: 'orginv_x' };
    const all = await planOf(
      (s) => s.listInvitationsAfter({ after, limit: 51, now: Date.now() }),
      /from "invitations"/,
    );
    expect(all.plan).toContain('invitations_created_id');
    expect(all.plan).not.toContain('TEMP B-TREE');
    const byAddress = await planOf(
      (s) => s.listInvitationsAfter({ emailNormalized: 'a@example.com', after, limit: 51, now: Date.now() }),
      /from "invitations"/,
    );
    expect(byAddress.plan).toContain('invitations_email_created_id');
    expect(byAddress.plan).not.toContain('TEMP B-TREE');
  });

  it('lists members and organizations in their default orders through their indexes, without sorting', async () => {
    for (const [run, match, index] of [
      [
        (s: KyselyStore) => s.listMemberships({ orgId: 'org_1', limit: 10, offset: 0 }),
        /^select "memberships"\.\*/,
        'memberships_org_created_id',
      ],
      [
        (s: KyselyStore) => s.listMemberships({ limit: 10, offset: 0 }),
        /^select "memberships"\.\*/,
        'memberships_created_id',
      ],
      [
        (s: KyselyStore) => s.listOrganizations({ limit: 10, offset: 0 }),
        /^select "organizations"\.\*/,
        'organizations_created_id',
      ],
      [
        (s: KyselyStore) => s.listOrganizations({ order: { field: 'name', direction: 'asc' }, limit: 10, offset: 0 }),
        /^select "organizations"\.\*/,
        'organizations_name_id',
      ],
    ] as const) {
      const { plan } = await planOf(run, match);
      expect(plan, index).toContain(index);
      expect(plan, index).not.toContain('TEMP B-TREE');
    }
  });

  it('counts pending invitations past their expiry through the expiry index', async () => {
    const { plan, sql } = await planOf((s) => s.countsOf(['org_1'], Date.now()), /expires_at <=/);
    expect(plan).toContain('invitations_pending_expiry');
    expect(sql).toContain(`status = 'pending'`);
  });

  it('sweeps expired invitations through the expiry index', async () => {
    const { plan, sql } = await planOf(
      (s) => s.expireInvitations({ now: Date.now(), limit: 100 }),
      /^update "invitations"/,
    );
    expect(plan).toContain('invitations_pending_expiry');
    expect(sql).toContain(`"status" = 'pending'`);
  });

  it('sweeps expired sign-in and sign-up attempts through their expiry indexes', async () => {
    for (const [table, index] of [
      ['sign_in_attempts', 'sign_in_attempts_expires'],
      ['sign_up_attempts', 'sign_up_attempts_expires'],
    ] as const) {
      const { plan } = await planOf(
        (s) => s.deleteExpiredAttempts({ before: Date.now(), limit: 100 }),
        new RegExp(`^delete from "${table}"`),
      );
      expect(plan).toContain(index);
    }
  });

  it('reads an organization’s counts from the kept counts, not from its invitations', async () => {
    const { plan } = await planOf((s) => s.countsOf(['org_1'], Date.now()), /from "invitation_counts"/);
    expect(plan).toMatch(/invitation_counts/);
    expect(plan).not.toMatch(/SCAN invitations\b/);
  });
});
