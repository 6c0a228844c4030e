import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { createTestDatabase, type TestDatabase, testDialect } from './support/database.js';
import { PUBLIC_URL, SECRET_KEY } from './support/harness.js';
import { type RosterProcess, startRosterProcess } from './support/processes.js';
import { type Received, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/**
 * Webhook delivery across real processes on one PostgreSQL (decision 022): three instances share
 * the deliveries without sending any twice, and the deliveries an instance was sending when it was
 * SIGKILLed are sent by another after one lease; every webhook-id is answered exactly once.
 */
describe.skipIf(testDialect() !== 'postgres')('webhook delivery with several instances', () => {
  const LEASE_MS = 1_500;
  const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
  let db: TestDatabase;
  let handle: ReturnType<typeof openDatabase>;
  let receiver: WebhookReceiver;
  const started: RosterProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = openDatabase(db.url);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill('SIGKILL')));
    await handle?.close();
    await receiver?.close();
    await db?.drop();
  });

  const env = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    ROSTER_SECRET_KEY: SECRET_KEY,
    ROSTER_PUBLIC_URL: PUBLIC_URL,
    ROSTER_RATE_LIMITS: 'false',
    ROSTER_WEBHOOK_URL: receiver.url,
    ROSTER_WEBHOOK_SECRET: SECRET,
    ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true',
    ROSTER_WEBHOOK_LEASE_MS: String(LEASE_MS),
    ROSTER_WEBHOOK_POLL_MS: '100',
  });
  const createUser = async (on: RosterProcess, email: string) => {
    const res = await fetch(`${on.url}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email_address: [email], password: 'a long password' }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string };
  };
  const headersOf = (r: Received) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
  const answeredFor = (userId: string) =>
    receiver.received.filter((r) => JSON.parse(r.body).data.id === userId).map((r) => String(r.headers['webhook-id']));

  it('three instances deliver side by side; a SIGKILLed sender’s deliveries are sent by another; none answered twice', async () => {
    const instances: RosterProcess[] = [];
    for (let i = 0; i < 3; i++) {
      // One at a time: three compiling at once on a busy machine can outlast the health wait.
      instances.push(await startRosterProcess(env(), { timeoutMs: 60_000 }));
      started.push(instances[i]!);
    }

    // 1. Thirty changes spread over the three instances: each delivered once.
    const first = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createUser(instances[i % 3]!, `share-${i}@example.com`)),
    );
    await receiver.waitFor(() => first.every((u) => answeredFor(u.id).length > 0));
    expect(first.map((u) => answeredFor(u.id).length)).toEqual(first.map(() => 1));

    // 2. The receiver sits on the next ones; whichever instance holds their claims is killed.
    receiver.hold = true;
    const second = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createUser(instances[i % 3]!, `kill-${i}@example.com`)),
    );
    // Each claiming instance in the middle of a send (one endpoint's deliveries go one after
    // another, and an instance claims again only once its batch is done, so some may wait unclaimed).
    const claimOwners = async () => {
      const { rows } = await sql<{ locked_by: string | null }>`
        select locked_by from webhook_deliveries where status = 'pending'`.execute(handle.db);
      return rows;
    };
    let owners: string[] = [];
    await vi.waitFor(
      async () => {
        const rows = await claimOwners();
        expect(rows.length).toBeGreaterThanOrEqual(6);
        owners = [...new Set(rows.flatMap((r) => (r.locked_by ? [r.locked_by] : [])))];
        expect(owners.length).toBeGreaterThan(0);
        expect(receiver.held()).toBe(owners.length);
      },
      { timeout: 10_000, interval: 20 },
    );
    const sender = instances.find((p) => owners.some((o) => o.split(':')[1] === String(p.child.pid)));
    if (!sender) throw new Error(`no running instance holds a claim: ${JSON.stringify(owners)}`);
    const droppedBefore = receiver.dropped();
    expect(await sender.kill('SIGKILL')).toBe('SIGKILL');
    const killedAt = Date.now();
    // Its request dies with it: the receiver never answered it. (Counting hang-ups, not held
    // requests: another instance may already be sending the next one.)
    await vi.waitFor(() => expect(receiver.dropped()).toBe(droppedBefore + 1), { timeout: 10_000, interval: 10 });
    receiver.hold = false;
    receiver.release();
    await vi.waitFor(() => expect(second.filter((u) => answeredFor(u.id).length === 0)).toEqual([]), {
      timeout: 20_000,
      interval: 50,
    });
    console.log(
      `[webhooks] lease ${LEASE_MS} ms, ${owners.length} instances sending at once: the killed instance's deliveries were all answered ${Date.now() - killedAt} ms after SIGKILL`,
    );
    // Settled: nothing pending or claimed, and every change's webhook answered exactly once.
    await vi.waitFor(
      async () => {
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from webhook_deliveries where status <> 'delivered' or locked_by is not null`.execute(
          handle.db,
        );
        expect(Number(rows[0]!.n)).toBe(0);
      },
      { timeout: 20_000, interval: 50 },
    );
    for (const u of [...first, ...second]) expect(answeredFor(u.id)).toHaveLength(1);
    const wh = new Webhook(SECRET);
    for (const r of receiver.received) expect(() => wh.verify(r.body, headersOf(r))).not.toThrow();
  }, 120_000);
});
