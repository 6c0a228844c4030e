import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialect } from './support/database.js';
import { PUBLIC_URL, SECRET_KEY } from './support/harness.js';
import { type RosterProcess, startRosterProcess } from './support/processes.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

/** Rate limits hold across instances when their counters live in PostgreSQL or Redis. */
describe.skipIf(testDialect() !== 'postgres')('rate limits shared by several instances', () => {
  let db: TestDatabase | null = null;
  let smtp: TestSmtp | null = null;
  let instances: RosterProcess[] = [];

  afterEach(async () => {
    await Promise.all(instances.map((i) => i.kill('SIGKILL')));
    instances = [];
    await smtp?.close();
    await db?.drop();
  });

  async function invitationsAcrossInstances(store: string) {
    db = await createTestDatabase();
    smtp = await startSmtp();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      ROSTER_SECRET_KEY: SECRET_KEY,
      ROSTER_PUBLIC_URL: PUBLIC_URL,
      SMTP_URL: smtp.url,
      ROSTER_RATE_LIMIT_STORE: store,
      ROSTER_INVITATIONS_PER_HOUR: '5',
    };
    instances = await Promise.all([startRosterProcess(env), startRosterProcess(env), startRosterProcess(env)]);
    const call = async (i: number, method: string, path: string, body: unknown) => {
      const res = await fetch(`${instances[i % 3]!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
    };
    const admin = await call(0, 'POST', '/v1/users', {
      email_address: ['admin@example.com'],
      password: 'a long password',
    });
    const org = await call(1, 'POST', '/v1/organizations', { name: 'Limited', created_by: admin.body.id });
    return Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i, 'POST', `/v1/organizations/${org.body.id}/invitations`, {
          email_address: `limited-${i}@example.com`,
          role: 'org:member',
          notify: false,
        }),
      ),
    );
  }

  it('in PostgreSQL: 12 invitations at 5 an hour over 3 instances → 5 created, 7 refused with Retry-After', async () => {
    const results = await invitationsAcrossInstances('database');
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(7);
    expect(
      refused.every((r) => r.body.errors[0].code === 'too_many_requests' && /^\d+$/.test(r.retryAfter ?? '')),
    ).toBe(true);
  });

  it.skipIf(!process.env.ROSTER_TEST_REDIS_URL)('in Redis: the same, with counters in Redis', async () => {
    const url = new URL(process.env.ROSTER_TEST_REDIS_URL!);
    url.pathname = `/${1 + Math.floor(Math.random() * 14)}`; // a database of its own, away from anything else on this Redis
    const results = await invitationsAcrossInstances(url.toString());
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });
});
