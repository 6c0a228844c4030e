import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialect } from './support/database.js';
import { PUBLIC_URL, SECRET_KEY } from './support/harness.js';
import { waitForSettledOutbox } from './support/outbox.js';
import { type RosterProcess, startRosterProcess } from './support/processes.js';
import { startSmtp } from './support/smtp.js';

/**
 * The outbox across instances: an instance killed (SIGKILL) while it is sending leaves its claimed
 * messages to another instance once the lease runs out. Every message arrives at least once;
 * duplicates could only come from that crash window, and each carries a stable Message-ID.
 */
describe.skipIf(testDialect() !== 'postgres')('the outbox when an instance dies mid-send', () => {
  let db: TestDatabase;
  let hold = true;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const started: RosterProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtp(0, { holdWhile: () => hold });
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill('SIGKILL')));
    await smtp?.close();
    await db?.drop();
  });

  const env = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    ROSTER_SECRET_KEY: SECRET_KEY,
    ROSTER_PUBLIC_URL: PUBLIC_URL,
    SMTP_URL: smtp.url,
    ROSTER_RATE_LIMITS: 'false',
    ROSTER_OUTBOX_LEASE_MS: '4000',
    ROSTER_OUTBOX_POLL_MS: '100',
  });
  const bapi = async (on: RosterProcess, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${on.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };

  it('a SIGKILLed sender’s messages are sent by another instance after the lease; none lost', async () => {
    const a = await startRosterProcess(env());
    started.push(a);
    const admin = await bapi(a, 'POST', '/v1/users', {
      email_address: ['admin@example.com'],
      password: 'a long password',
    });
    const org = await bapi(a, 'POST', '/v1/organizations', { name: 'Crashy', created_by: admin.body.id });
    const bulk = await bapi(
      a,
      'POST',
      `/v1/organizations/${org.body.id}/invitations/bulk`,
      Array.from({ length: 6 }, (_, i) => ({ email_address: `crash-${i}@example.com`, role: 'org:member' })),
    );
    expect(bulk.status).toBe(200);
    const invitations: { id: string }[] = Array.isArray(bulk.body) ? bulk.body : bulk.body.data;
    expect(invitations).toHaveLength(6);
    // Instance A has claimed messages and is stuck in the middle of sending them (its first batch:
    // the rest wait, queued, while that batch is in flight).
    await vi.waitFor(() => expect(smtp.held()).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    const inFlight = smtp.held();
    expect(await a.kill('SIGKILL')).toBe('SIGKILL');
    // The server notices the dead connections and drops the unfinished messages (a server that
    // had already said OK before the crash would hold a copy: the crash window for duplicates).
    await vi.waitFor(() => expect(smtp.held()).toBe(0), { timeout: 10_000, interval: 20 });
    hold = false;
    expect(smtp.messages).toHaveLength(0);

    // Instance B starts after the crash; once A's lease runs out it sends what A had claimed.
    const b = await startRosterProcess(env());
    started.push(b);
    await vi.waitFor(
      () => {
        for (const inv of invitations)
          expect(smtp.messages.some((m) => m.messageId === `<${inv.id}@roster>`)).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
    await waitForSettledOutbox(env(), smtp);
    const counts = invitations.map((inv) => smtp.messages.filter((m) => m.messageId === `<${inv.id}@roster>`).length);
    console.log(
      `[outbox crash] in flight at SIGKILL: ${inFlight}; delivered by another instance: ${counts.filter((c) => c >= 1).length}; copies per message: ${counts.join(',')}`,
    );
    expect(counts.every((c) => c >= 1)).toBe(true);
    expect(counts.every((c) => c === 1)).toBe(true); // A's sends were never accepted, so no duplicates
    for (const inv of invitations) {
      const fresh = await bapi(b, 'GET', `/v1/organizations/${org.body.id}/invitations/${inv.id}`);
      expect(fresh.body.email_delivery.status).toBe('sent');
    }
  });
});
