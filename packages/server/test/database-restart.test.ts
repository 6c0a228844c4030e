import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialect } from './support/database.js';
import { json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { canRunCluster, type PostgresCluster, startCluster } from './support/postgres-cluster.js';

/**
 * The database restarting under load: while it is down requests fail cleanly (503 with a code,
 * never a 500 or a hang), and afterwards they succeed again without restarting Roster.
 */
describe.skipIf(testDialect() !== 'postgres' || !canRunCluster())('PostgreSQL restarting under load', () => {
  let cluster: PostgresCluster;
  let t: TestRoster;

  beforeAll(async () => {
    cluster = await startCluster();
    t = await startTestRoster({
      env: { DATABASE_URL: cluster.url, ROSTER_RATE_LIMITS: 'false' },
      overrides: { dispatch: false },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    cluster?.destroy();
  });

  it('answers 503 database_unavailable while it is down, and works again once it is back', async () => {
    const { org } = await seedOrganization(t);
    let i = 0;
    const invite = () =>
      t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
        email_address: `load-${i++}@example.com`,
        role: 'org:member',
        notify: false,
      });

    // Load before: all succeed.
    const before = await Promise.all(Array.from({ length: 10 }, invite));
    expect(before.map((r) => r.status)).toEqual(Array(10).fill(200));

    cluster.stop();
    const during = await Promise.all(Array.from({ length: 10 }, invite));
    for (const res of during) {
      expect(res.status).toBe(503);
      expect((await json(res)).errors[0].code).toBe('database_unavailable');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect((await t.bapi('GET', '/healthz')).status).toBe(503);

    cluster.start();
    // The pool reconnects on its own; the first request after the restart may still see a dead connection.
    let created = 10;
    let after: Response[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      after = await Promise.all(Array.from({ length: 10 }, invite));
      created += after.filter((r) => r.status === 200).length;
      if (after.every((r) => r.status === 200)) break;
      expect(after.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await t.bapi('GET', '/healthz')).status).toBe(200);

    // Nothing half-written: exactly the creates that answered 200 exist.
    const list = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations?status=pending&limit=100`));
    expect(list.total_count).toBe(created);
  });
});
