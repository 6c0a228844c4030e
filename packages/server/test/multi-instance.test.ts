import { verifyToken } from '@clerk/backend';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialect } from './support/database.js';
import { PUBLIC_URL, SECRET_KEY } from './support/harness.js';
import { waitForSettledOutbox } from './support/outbox.js';
import { type RosterProcess, startRosterProcess } from './support/processes.js';
import { linkIn, startSmtp, type TestSmtp } from './support/smtp.js';

/**
 * Three Roster processes on one PostgreSQL, as behind a load balancer: concurrent requests spread
 * over them end in exactly one outcome each time, and counts match rows.
 */
describe.skipIf(testDialect() !== 'postgres')('several instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  /** The environment every instance starts with. */
  let env: Record<string, string>;
  let instances: RosterProcess[] = [];
  let n = 0;
  /** Round-robin over the instances, like a load balancer. */
  const next = () => instances[n++ % instances.length]!;

  const call = async (
    method: string,
    path: string,
    options: { body?: unknown; token?: string; on?: RosterProcess } = {},
  ) => {
    const target = options.on ?? next();
    const res = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? SECRET_KEY}`,
        'content-type': 'application/json',
        origin: PUBLIC_URL,
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const bapi = (method: string, path: string, body?: unknown) => call(method, path, { body });
  const statuses = (results: { status: number }[]) =>
    results.reduce<Record<number, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtp();
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '5',
      ROSTER_SECRET_KEY: SECRET_KEY,
      ROSTER_PUBLIC_URL: PUBLIC_URL,
      SMTP_URL: smtp.url,
      ROSTER_RATE_LIMITS: 'false',
    };
    // Started together: the migrations race too, and must run once.
    instances = await Promise.all([startRosterProcess(env), startRosterProcess(env), startRosterProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill('SIGKILL')));
    await smtp?.close();
    await db?.drop();
  });

  async function seed(max?: number) {
    const admin = await bapi('POST', '/v1/users', {
      email_address: [`admin-${n}-${Date.now()}@example.com`],
      password: 'a long password',
    });
    const org = await bapi('POST', '/v1/organizations', {
      name: `Org ${n}`,
      created_by: admin.body.id,
      ...(max !== undefined && { max_allowed_memberships: max }),
    });
    expect(org.status).toBe(200);
    return { admin: admin.body, org: org.body };
  }

  it('30 concurrent sign-ups from one link across instances: exactly one joins', async () => {
    const { org } = await seed();
    const inv = await bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: 'race@example.com',
      role: 'org:member',
    });
    // The mailed link: only it signs up and joins in one step (decision 021).
    const mail = await smtp.waitFor('race@example.com', { match: (m) => m.messageId === `<${inv.body.id}@roster>` });
    const ticket = new URL(linkIn(mail)).searchParams.get('ticket');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call('POST', '/fapi/v1/tickets/sign_up', { body: { ticket, password: `password number ${i}` }, token: 'none' }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => r.status < 500)).toBe(true);
    const members = await bapi('GET', `/v1/organizations/${org.id}/memberships`);
    expect(members.body.total_count).toBe(2);
    const users = await bapi('GET', '/v1/users/count?email_address=race@example.com');
    expect(users.body.total_count).toBe(1);
    expect((await bapi('GET', `/v1/organizations/${org.id}/invitations/${inv.body.id}`)).body.status).toBe('accepted');
  });

  it('accept racing revoke on different instances: exactly one outcome, 15 rounds', async () => {
    const { org } = await seed();
    const outcomes: string[] = [];
    for (let round = 0; round < 15; round++) {
      const email = `racer-${round}@example.com`;
      const user = await bapi('POST', '/v1/users', { email_address: [email], password: 'a long password' });
      const signIn = await fetch(`${next().url}/fapi/v1/client/sign_ins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
        body: JSON.stringify({ identifier: email, password: 'a long password' }),
      });
      const token = signIn.headers.get('x-roster-session-token')!;
      const inv = await bapi('POST', `/v1/organizations/${org.id}/invitations`, {
        email_address: email,
        role: 'org:member',
        notify: false,
      });
      const ticket = new URL(inv.body.url).searchParams.get('ticket');
      const [accept, revoke] = await Promise.all([
        call('POST', '/fapi/v1/tickets/accept', { body: { ticket }, token, on: instances[round % 3] }),
        call('POST', `/v1/organizations/${org.id}/invitations/${inv.body.id}/revoke`, {
          on: instances[(round + 1) % 3],
        }),
      ]);
      expect([accept.status, revoke.status].filter((s) => s === 200)).toHaveLength(1);
      const final = (await bapi('GET', `/v1/organizations/${org.id}/invitations/${inv.body.id}`)).body.status;
      const memberships = await bapi('GET', `/v1/users/${user.body.id}/organization_memberships`);
      if (accept.status === 200) {
        expect(final).toBe('accepted');
        expect(memberships.body.total_count).toBe(1);
      } else {
        expect(final).toBe('revoked');
        expect(memberships.body.total_count).toBe(0);
      }
      outcomes.push(final);
    }
    const members = await bapi('GET', `/v1/organizations/${org.id}/memberships?limit=100`);
    expect(members.body.total_count).toBe(1 + outcomes.filter((o) => o === 'accepted').length);
  });

  it('30 concurrent creates for one address across instances: one invitation, one mail', async () => {
    const { org } = await seed();
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        bapi('POST', `/v1/organizations/${org.id}/invitations`, {
          email_address: 'Same@Example.com',
          role: 'org:member',
        }),
      ),
    );
    expect(statuses(results)).toEqual({ 200: 1, 422: 29 });
    expect(results.filter((r) => r.status === 422).every((r) => r.body.errors[0].code === 'duplicate_record')).toBe(
      true,
    );
    const list = await bapi('GET', `/v1/organizations/${org.id}/invitations?status=pending`);
    expect(list.body.total_count).toBe(1);
    await smtp.waitFor('same@example.com');
    await waitForSettledOutbox(env, smtp);
    expect(smtp.messages.filter((m) => m.messageId === `<${list.body.data[0].id}@roster>`)).toHaveLength(1);
  });

  it('12 concurrent invitations at a limit of 5 (1 member): exactly 4 created, counts match rows', async () => {
    const { org } = await seed(5);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        bapi('POST', `/v1/organizations/${org.id}/invitations`, {
          email_address: `seat-${i}@example.com`,
          role: 'org:member',
          notify: false,
        }),
      ),
    );
    expect(statuses(results)).toEqual({ 200: 4, 403: 8 });
    expect(
      results
        .filter((r) => r.status === 403)
        .every((r) => r.body.errors[0].code === 'organization_membership_quota_exceeded'),
    ).toBe(true);
    const fresh = await bapi('GET', `/v1/organizations/${org.id}`);
    expect(fresh.body).toMatchObject({ members_count: 1, pending_invitations_count: 4 });
    const list = await bapi('GET', `/v1/organizations/${org.id}/invitations?status=pending&limit=100`);
    expect(list.body.total_count).toBe(4);
  });

  it('mail for 20 invitations made on different instances arrives once each', async () => {
    const { org } = await seed();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bapi('POST', `/v1/organizations/${org.id}/invitations`, {
          email_address: `mail-${i}@example.com`,
          role: 'org:member',
        }),
      ),
    );
    expect(created.every((r) => r.status === 200)).toBe(true);
    await Promise.all(created.map((_, i) => smtp.waitFor(`mail-${i}@example.com`)));
    await waitForSettledOutbox(env, smtp);
    for (const inv of created) {
      expect(smtp.messages.filter((m) => m.messageId === `<${inv.body.id}@roster>`)).toHaveLength(1);
    }
  });

  it('a session made on one instance is valid on every instance', async () => {
    await bapi('POST', '/v1/users', { email_address: ['roamer@example.com'], password: 'a long password' });
    const signIn = await fetch(`${instances[0]!.url}/fapi/v1/client/sign_ins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
      body: JSON.stringify({ identifier: 'roamer@example.com', password: 'a long password' }),
    });
    const token = signIn.headers.get('x-roster-session-token')!;
    for (const instance of instances) {
      const me = await call('GET', '/fapi/v1/me', { token, on: instance });
      expect(me.status).toBe(200);
      expect(me.body.user.email_addresses[0].email_address).toBe('roamer@example.com');
    }
  });

  it("session tokens: the instances' first tokens at once share one signing key, and each verifies with another's /v1/jwks", async () => {
    await bapi('POST', '/v1/users', { email_address: ['signer@example.com'], password: 'a long password' });
    const signIn = await fetch(`${instances[0]!.url}/fapi/v1/client/sign_ins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
      body: JSON.stringify({ identifier: 'signer@example.com', password: 'a long password' }),
    });
    const token = signIn.headers.get('x-roster-session-token')!;
    const me = await call('GET', '/fapi/v1/me', { token, on: instances[0]! });
    // No instance has signed yet: each creates a key pair, one insert wins, all sign with it.
    const minted = await Promise.all(
      instances.map((on) => call('POST', `/fapi/v1/client/sessions/${me.body.session.id}/tokens`, { token, on })),
    );
    const jwts = minted.map((r) => r.body.jwt as string);
    expect(new Set(jwts.map((jwt) => decodeProtectedHeader(jwt).kid)).size).toBe(1);
    for (const [i, jwt] of jwts.entries()) {
      const verifier = instances[(i + 1) % instances.length]!;
      const claims = await verifyToken(jwt, { secretKey: SECRET_KEY, apiUrl: verifier.url, skipJwksCache: true });
      expect(claims.sub).toBe(me.body.user.id);
    }
  });
});
