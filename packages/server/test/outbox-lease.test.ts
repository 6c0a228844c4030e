import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { createTestDatabase, type TestDatabase, testDialect } from './support/database.js';
import { PUBLIC_URL, SECRET_KEY } from './support/harness.js';
import { waitForSettledOutbox } from './support/outbox.js';
import { type RosterProcess, startRosterProcess } from './support/processes.js';
import { startSmtp } from './support/smtp.js';

/**
 * The outbox lease across real processes (decision 018): a short lease, renewed while a batch is
 * sending, so a slow SMTP server never makes a second instance send the same messages, and an
 * instance killed with SIGKILL mid-send leaves its mail to another after one short lease. Every
 * message arrives; a message recorded as sent is never sent again.
 */
describe.skipIf(testDialect() !== 'postgres')('the outbox lease with several instances', () => {
  // Renewed every third of it: long enough that a loaded 2-core CI machine (event loops stalled for
  // a second or more) does not let the lease lapse under a live sender.
  const LEASE_MS = 3_000;
  let db: TestDatabase;
  let hold = true;
  // One SMTP server per instance in the first test, so that what a killed instance had in flight
  // is told apart from what the survivor is sending (both may hold claims: a bulk create commits
  // address by address, and the other instance's poll can claim part of it meanwhile).
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let smtpB: Awaited<ReturnType<typeof startSmtp>>;
  const started: RosterProcess[] = [];

  let handle: ReturnType<typeof openDatabase>;

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = openDatabase(db.url);
    smtp = await startSmtp(0, { holdWhile: () => hold });
    smtpB = await startSmtp(0, { holdWhile: () => hold });
  });
  afterAll(async () => {
    await handle?.close();
    await Promise.all(started.map((p) => p.kill('SIGKILL')));
    await smtp?.close();
    await smtpB?.close();
    await db?.drop();
  });

  const env = (server = smtp) => ({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    ROSTER_SECRET_KEY: SECRET_KEY,
    ROSTER_PUBLIC_URL: PUBLIC_URL,
    SMTP_URL: server.url,
    ROSTER_RATE_LIMITS: 'false',
    ROSTER_OUTBOX_LEASE_MS: String(LEASE_MS),
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
  const copies = (id: string) =>
    [...smtp.messages, ...smtpB.messages].filter((m) => m.messageId === `<${id}@roster>`).length;
  const bothServers = { openConnections: () => smtp.openConnections() + smtpB.openConnections() };
  const heldOnBoth = () => smtp.held() + smtpB.held();

  it('a send slower than the lease is not sent twice, and a killed sender’s mail goes out after one lease', async () => {
    const a = await startRosterProcess(env(smtp));
    const b = await startRosterProcess(env(smtpB));
    started.push(a, b);
    const serverOf = (p: RosterProcess) => (p === a ? smtp : smtpB);
    const admin = await bapi(a, 'POST', '/v1/users', {
      email_address: ['lease@example.com'],
      password: 'a long password',
    });
    const org = await bapi(a, 'POST', '/v1/organizations', { name: 'Leases', created_by: admin.body.id });
    // One bulk create per step: its six messages are queued together and claimed in one batch.
    const invite = async (prefix: string) => {
      const bulk = await bapi(
        a,
        'POST',
        `/v1/organizations/${org.body.id}/invitations/bulk`,
        Array.from({ length: 6 }, (_, i) => ({ email_address: `${prefix}-${i}@example.com`, role: 'org:member' })),
      );
      expect(bulk.status).toBe(200);
      const created: { id: string }[] = Array.isArray(bulk.body) ? bulk.body : bulk.body.data;
      return created.map((inv) => inv.id);
    };

    // 1. The SMTP server sits on the sends for three leases. The claims are renewed meanwhile, so
    // the other instance, polling every 100 ms, never takes them (without renewal it claimed and
    // sent them again: two copies each once the server answers).
    const slow = await invite('slow');
    await vi.waitFor(() => expect(heldOnBoth()).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
    hold = false;
    await waitForSettledOutbox(env(), bothServers);
    expect(slow.map(copies)).toEqual(slow.map(() => 1));

    // 2. Six more are held mid-send, and instance A is killed (whatever it was sending is lost).
    hold = true;
    const crashed = await invite('crash');
    await vi.waitFor(() => expect(heldOnBoth()).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    // Kill whichever instance holds the claim (its pid is in the claim's owner), not a fixed one.
    const owners = await sql<{
      locked_by: string;
    }>`select distinct locked_by from outbox where locked_by is not null and status = 'queued'`.execute(handle.db);
    const sender = [a, b].find((p) => owners.rows.some((r) => r.locked_by.split(':')[1] === String(p.child.pid)));
    if (!sender) throw new Error(`no running instance holds the claim: ${JSON.stringify(owners.rows)}`);
    const survivor = sender === a ? b : a;
    expect(await sender.kill('SIGKILL')).toBe('SIGKILL');
    const killedAt = Date.now();
    // The killed instance's server notices the dead connections and drops what it was sending
    // (held messages are let go only when their sender's connection closes). The survivor's sends,
    // if it holds claims too, stay held on its own server until the hold ends.
    await vi.waitFor(() => expect(serverOf(sender).held()).toBe(0), { timeout: 10_000, interval: 10 });
    hold = false;
    await vi.waitFor(() => expect(crashed.filter((id) => copies(id) === 0)).toEqual([]), {
      timeout: 20_000,
      interval: 50,
    });
    console.log(
      `[outbox lease] lease ${LEASE_MS} ms: the killed instance's mail was all delivered ${Date.now() - killedAt} ms after SIGKILL`,
    );
    await waitForSettledOutbox(env(), bothServers);
    expect(crashed.map(copies)).toEqual(crashed.map(() => 1)); // the killed sends were never accepted
    expect(slow.map(copies)).toEqual(slow.map(() => 1)); // recorded as sent: never sent again
    for (const id of [...slow, ...crashed]) {
      const fresh = await bapi(survivor, 'GET', `/v1/organizations/${org.body.id}/invitations/${id}`);
      expect(fresh.body.email_delivery.status).toBe('sent');
    }
  }, 90_000);

  it('a SIGKILLed sender’s messages are sent by an instance started after the crash; none lost, none twice', async () => {
    // Only this test's instances run: the first test's survivor would otherwise claim (and hold) some.
    await Promise.all(started.splice(0).map((p) => p.kill('SIGTERM')));
    hold = true;
    const a = await startRosterProcess(env());
    started.push(a);
    const admin = await bapi(a, 'POST', '/v1/users', {
      email_address: ['crash@example.com'],
      password: 'a long password',
    });
    const org = await bapi(a, 'POST', '/v1/organizations', { name: 'Crashy', created_by: admin.body.id });
    const bulk = await bapi(
      a,
      'POST',
      `/v1/organizations/${org.body.id}/invitations/bulk`,
      Array.from({ length: 6 }, (_, i) => ({ email_address: `after-${i}@example.com`, role: 'org:member' })),
    );
    expect(bulk.status).toBe(200);
    const ids = (bulk.body.data as { id: string }[]).map((inv) => inv.id);
    expect(ids).toHaveLength(6);
    // A has claimed messages and is stuck mid-send when it dies; the server drops those sends.
    await vi.waitFor(() => expect(smtp.held()).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    expect(await a.kill('SIGKILL')).toBe('SIGKILL');
    await vi.waitFor(() => expect(smtp.held()).toBe(0), { timeout: 10_000, interval: 20 });
    hold = false;
    expect(ids.map(copies)).toEqual(ids.map(() => 0));

    // B starts after the crash; once A's lease runs out it sends what A had claimed, once each.
    const b = await startRosterProcess(env());
    started.push(b);
    await vi.waitFor(() => expect(ids.filter((id) => copies(id) === 0)).toEqual([]), { timeout: 20_000, interval: 50 });
    await waitForSettledOutbox(env(), smtp);
    expect(ids.map(copies)).toEqual(ids.map(() => 1));
    for (const id of ids) {
      const fresh = await bapi(b, 'GET', `/v1/organizations/${org.body.id}/invitations/${id}`);
      expect(fresh.body.email_delivery.status).toBe('sent');
    }
  }, 60_000);
});
