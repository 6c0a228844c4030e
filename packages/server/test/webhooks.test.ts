import { verifyWebhook } from '@clerk/backend/webhooks';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../protocol/src/index.js';
import { loadConfig } from '../src/config.js';
import { DAY_MS, errorOf, mailedUrl, signIn, ticketOf } from './support/flows.js';
import { json, startTestRoster, type TestRoster } from './support/harness.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';
import { type Received, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/**
 * Webhooks end to end: changes made through the APIs arrive at a real HTTP receiver, signed so
 * that the `standardwebhooks` package and Clerk's `verifyWebhook` both accept them (decision 022).
 */

const PASSWORD = 'a long enough password';
const env = { ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' };

let t: TestRoster;
let receiver: WebhookReceiver;
let smtp: TestSmtp;
/** The mail server refuses this recipient for good (550): its invitation mail fails (email.failed). */
const BOUNCING = 'bounce@example.com';

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  smtp = await startSmtp(0, {
    refuseRecipient: (a) => (a === BOUNCING ? { code: 550, message: '5.1.1 no such user' } : null),
  });
  t = await startTestRoster({ env, smtp, overrides: { webhookOptions: { pollMs: 20 } } });
});
afterEach(async () => {
  await t.close();
  await smtp.close();
  await receiver.close();
});

async function endpoint(body: Record<string, unknown> = {}) {
  const res = await t.bapi('POST', '/v1/webhook_endpoints', { url: receiver.url, ...body });
  expect(res.status).toBe(200);
  return json(res);
}

/** Waits until the endpoint's delivery log satisfies `check` (outcomes are recorded after the receiver answers). */
async function deliveriesOf(id: string, check: (data: Record<string, any>[]) => boolean) {
  let data: Record<string, any>[] = [];
  await vi.waitFor(
    async () => {
      data = (await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}/deliveries?limit=100`))).data;
      if (!check(data))
        throw new Error(`deliveries not there yet: ${JSON.stringify(data.map((d) => [d.status, d.attempts]))}`);
    },
    { timeout: 10_000, interval: 20 },
  );
  return data;
}

async function ok(res: Promise<Response>) {
  const r = await res;
  const body = await json(r);
  if (r.status !== 200) throw new Error(`${r.status}: ${JSON.stringify(body)}`);
  return body;
}

const typeOf = (r: Received) => JSON.parse(r.body).type as string;
const idOf = (r: Received) => String(r.headers['webhook-id']);
const headersOf = (r: Received) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));

function clerkVerify(r: Received, secret: string) {
  return verifyWebhook(new Request(receiver.url, { method: 'POST', headers: headersOf(r), body: r.body }), {
    signingSecret: secret,
  });
}

/** Makes one change of every kind through the public APIs; returns what must never show up in an event. */
async function everyKindOfChange() {
  const admin = await ok(t.bapi('POST', '/v1/users', { email_address: ['admin@example.com'], password: PASSWORD }));
  const org = await ok(t.bapi('POST', '/v1/organizations', { name: 'Acme', created_by: admin.id }));
  await ok(t.bapi('PATCH', `/v1/organizations/${org.id}`, { name: 'Acme Inc' }));
  const member = await ok(t.bapi('POST', '/v1/users', { email_address: ['member@example.com'], password: PASSWORD }));
  await ok(t.bapi('PATCH', `/v1/users/${member.id}`, { first_name: 'Mem' }));
  await ok(t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' }));
  await ok(t.bapi('PATCH', `/v1/organizations/${org.id}/memberships/${member.id}`, { role: 'org:admin' }));
  await ok(t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${member.id}`));
  const domain = await ok(t.bapi('POST', `/v1/organizations/${org.id}/domains`, { name: 'acme.test' }));
  await ok(
    t.bapi('PATCH', `/v1/organizations/${org.id}/domains/${domain.id}`, { enrollment_mode: 'automatic_invitation' }),
  );
  await ok(t.bapi('DELETE', `/v1/organizations/${org.id}/domains/${domain.id}`));
  // A suggesting domain: two users on it get suggestions, ask to join; one is accepted, one rejected.
  await ok(
    t.bapi('POST', `/v1/organizations/${org.id}/domains`, {
      name: 'suggest.test',
      enrollment_mode: 'automatic_suggestion',
    }),
  );
  for (const [local, decision] of [
    ['joins', 'accept'],
    ['refused', 'reject'],
  ] as const) {
    await ok(t.bapi('POST', '/v1/users', { email_address: [`${local}@suggest.test`], password: PASSWORD }));
    const asking = await signIn(t, `${local}@suggest.test`, PASSWORD);
    const [suggestion] = (await ok(asking.get('/fapi/v1/me/organization_suggestions'))).data;
    await ok(asking.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`));
    const [request] = (await ok(t.bapi('GET', `/v1/organizations/${org.id}/membership_requests`))).data;
    await ok(t.bapi('POST', `/v1/organizations/${org.id}/membership_requests/${request.id}/${decision}`));
  }

  // Accepted and declined from inside the app, by signed-in invitees (session.created, then ended).
  const invitee = await ok(t.bapi('POST', '/v1/users', { email_address: ['inv@example.com'], password: PASSWORD }));
  const accepted = await ok(
    t.bapi('POST', `/v1/organizations/${org.id}/invitations`, { email_address: 'inv@example.com', role: 'org:member' }),
  );
  const browser = await signIn(t, 'inv@example.com', PASSWORD);
  expect((await browser.post(`/fapi/v1/me/organization_invitations/${accepted.id}/accept`)).status).toBe(200);
  const decliner = await ok(t.bapi('POST', '/v1/users', { email_address: ['dec@example.com'], password: PASSWORD }));
  const declined = await ok(
    t.bapi('POST', `/v1/organizations/${org.id}/invitations`, { email_address: 'dec@example.com', role: 'org:member' }),
  );
  const other = await signIn(t, 'dec@example.com', PASSWORD);
  expect((await other.post(`/fapi/v1/me/organization_invitations/${declined.id}/decline`)).status).toBe(200);
  expect((await other.post('/fapi/v1/client/sign_out')).status).toBeLessThan(300);

  // Revoked; and one shown with its ticket (`url`), which no event may carry.
  const revoked = await ok(
    t.bapi('POST', `/v1/organizations/${org.id}/invitations`, { email_address: 'rev@example.com', role: 'org:member' }),
  );
  await ok(t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`, {}));
  // Mailed to an address the mail server refuses: email.failed, beside every other mail's email.delivered.
  const bounced = await ok(
    t.bapi('POST', `/v1/organizations/${org.id}/invitations`, { email_address: BOUNCING, role: 'org:member' }),
  );
  await vi.waitFor(
    async () => {
      const log = await ok(t.bapi('GET', `/v1/audit_log?type=email.failed&limit=5`));
      expect(log.data.map((e: { data: { invitation_id: string } }) => e.data.invitation_id)).toContain(bounced.id);
    },
    { timeout: 10_000, interval: 20 },
  );
  // An application invitation, created and revoked (its shown ticket in `url` must not leak either).
  const appInvitation = await ok(t.bapi('POST', '/v1/invitations', { email_address: 'app@example.com' }));
  await ok(t.bapi('POST', `/v1/invitations/${appInvitation.id}/revoke`));
  const joining = await ok(t.bapi('POST', '/v1/invitations', { email_address: 'joiner@example.com' }));
  const joinLink = await mailedUrl(t, joining);
  await ok(t.browser().post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(joinLink), password: PASSWORD }));
  const shown = await ok(
    t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: 'exp@example.com',
      role: 'org:member',
      expires_in_days: 1,
    }),
  );
  const mailed = await mailedUrl(t, shown);
  // Expired by the sweeper.
  t.clock.advance(2 * DAY_MS);
  expect(await t.roster.sweeper.sweep()).toBe(1);
  t.roster.webhooks.kick();
  await ok(t.bapi('DELETE', `/v1/users/${decliner.id}`));
  await ok(t.bapi('DELETE', `/v1/organizations/${org.id}`));
  const secretsOf = [PASSWORD, t.roster.secretKey, new URL(mailed).searchParams.get('ticket')!];
  if (shown.url) secretsOf.push(new URL(String(shown.url)).searchParams.get('ticket')!);
  secretsOf.push(new URL(String(appInvitation.url)).searchParams.get('ticket')!, ticketOf(joinLink));
  return { admin, org, invitee, accepted, secrets: secretsOf };
}

describe('webhooks', () => {
  it('every event type arrives once, in Clerk’s envelope, and verifies with standardwebhooks and Clerk’s verifyWebhook', async () => {
    const { secret } = await endpoint();
    expect(secret).toMatch(/^whsec_/);
    const { accepted, invitee, secrets } = await everyKindOfChange();
    await receiver.waitFor((r) => new Set(r.map(typeOf)).size === WEBHOOK_EVENT_TYPES.length);
    await t.roster.webhooks.drain();

    const types = new Set(receiver.received.map(typeOf));
    expect([...types].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const ids = receiver.received.map(idOf);
    expect(new Set(ids).size).toBe(ids.length); // none twice

    const wh = new Webhook(secret);
    for (const r of receiver.received) {
      const verified = wh.verify(r.body, headersOf(r)) as Record<string, any>;
      expect(verified.object).toBe('event');
      expect(r.headers['svix-id']).toBe(r.headers['webhook-id']);
      const evt = await clerkVerify(r, secret);
      expect(evt.type).toBe(typeOf(r));
      expect(verified.instance_id).toMatch(/^ins_/);
      expect(typeof verified.timestamp).toBe('number');
      expect(verified.event_attributes.http_request).toHaveProperty('client_ip');
      for (const s of secrets) expect(r.body).not.toContain(s);
      expect(r.body).not.toContain(secret);
    }
    const acceptedEvent = receiver.received
      .map((r) => JSON.parse(r.body))
      .find((e) => e.type === 'organizationInvitation.accepted');
    expect(acceptedEvent.data).toMatchObject({
      object: 'organization_invitation',
      id: accepted.id,
      status: 'accepted',
    });
    expect(acceptedEvent.data.user_id).toBe(invitee.id);
    expect(acceptedEvent.data.url).toBeNull();
    const declined = receiver.received
      .map((r) => JSON.parse(r.body))
      .find((e) => e.type === 'organizationInvitation.declined');
    expect(declined.data).toMatchObject({ status: 'revoked', declined: true });
    const created = receiver.received.map((r) => JSON.parse(r.body)).find((e) => e.type === 'user.created');
    expect(created.data.object).toBe('user');
    expect(created.data).not.toHaveProperty('password_digest');

    // The stored events: actor, organization and request recorded; no secret anywhere in them.
    const rows = await t.roster.database.db.selectFrom('events').selectAll().orderBy('seq').execute();
    expect(rows.length).toBe(receiver.received.length);
    for (const row of rows) {
      for (const s of secrets) expect(JSON.stringify(row)).not.toContain(s);
      expect(JSON.stringify(row)).not.toMatch(/token_hash|password_hash|whsec_/);
    }
    const byType = (type: string) => rows.find((r) => r.type === type)!;
    expect(byType('organization.created').actor).toBe('secret_key');
    expect(byType('organizationInvitation.accepted').actor).toBe(invitee.id);
    expect(byType('organizationInvitation.expired').actor).toBe('system');
    expect(byType('organizationInvitation.expired').request_id).toBeNull();
    expect(byType('organization.created').request_id).toMatch(/.+/);
    expect(byType('organizationMembership.created').organization_id).toBe(
      byType('organization.created').organization_id,
    );
  });

  it('a tampered or replayed message fails both verifiers', async () => {
    const { secret } = await endpoint();
    await ok(t.bapi('POST', '/v1/users', { email_address: ['a@example.com'], password: PASSWORD }));
    await receiver.waitFor((r) => r.length === 1);
    const [message] = receiver.received as [Received];
    const wh = new Webhook(secret);
    expect(() => wh.verify(message.body, headersOf(message))).not.toThrow();

    const tampered = { ...message, body: message.body.replace('a@example.com', 'b@example.com') };
    expect(tampered.body).not.toBe(message.body);
    expect(() => wh.verify(tampered.body, headersOf(tampered))).toThrow();
    await expect(clerkVerify(tampered, secret)).rejects.toThrow();
    const otherSecret = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    expect(() => otherSecret.verify(message.body, headersOf(message))).toThrow();

    // The same message presented ten minutes later (past the five-minute tolerance).
    vi.useFakeTimers({ now: Date.now() + 10 * 60_000, toFake: ['Date'] });
    try {
      expect(() => wh.verify(message.body, headersOf(message))).toThrow(/timestamp/i);
      await expect(clerkVerify(message, secret)).rejects.toThrow();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a receiver down for a while gets everything once it is back, each webhook-id once; the log shows the attempts', async () => {
    const { id } = await endpoint({ enabled_events: ['user.created'] });
    receiver.down = true;
    for (let i = 0; i < 5; i++) {
      await ok(t.bapi('POST', '/v1/users', { email_address: [`u${i}@example.com`], password: PASSWORD }));
    }
    await deliveriesOf(id, (d) => d.length === 5 && d.every((x) => x.attempts === 1));
    expect(receiver.refused).toBe(5);
    // Retried on Svix's schedule: 5 s later (jittered ±10%), still down.
    t.clock.advance(6_000);
    await deliveriesOf(id, (d) => d.every((x) => x.attempts === 2));
    expect(receiver.refused).toBe(10);
    const pending = await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}/deliveries?status=pending`));
    expect(pending.total_count).toBe(5);
    expect(pending.data[0]).toMatchObject({ status: 'pending', attempts: 2, response_status_code: null });
    expect(pending.data[0].last_error).toBeTruthy();

    // Back up; the next retry is 5 minutes after the second.
    receiver.down = false;
    t.clock.advance(6 * 60_000);
    await receiver.waitFor((r) => r.length === 5);
    await t.roster.webhooks.drain();
    expect(new Set(receiver.received.map(idOf)).size).toBe(5);
    expect(receiver.received.every((r) => typeOf(r) === 'user.created')).toBe(true);
    const log = await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}/deliveries`));
    expect(log.total_count).toBe(5);
    for (const d of log.data) {
      expect(d).toMatchObject({
        status: 'delivered',
        attempts: 3,
        response_status_code: 200,
        event_type: 'user.created',
      });
      expect(d.duration_ms).toBeGreaterThanOrEqual(0);
      expect(receiver.received.map(idOf)).toContain(d.id); // the id is the webhook-id
    }

    // A receiver that answers an error: its (long) body is kept truncated; a manual retry resends
    // the same webhook-id at once.
    receiver.status = 500;
    await ok(t.bapi('POST', '/v1/users', { email_address: ['late@example.com'], password: PASSWORD }));
    await vi.waitFor(
      async () => {
        const failed = await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}/deliveries?status=pending&limit=1`));
        expect(failed.data[0]?.response_status_code).toBe(500);
      },
      { timeout: 10_000 },
    );
    const [failed] = (await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}/deliveries?status=pending&limit=1`))).data;
    expect(failed.response_body.length).toBeLessThanOrEqual(1025);
    expect(failed.response_body.startsWith('no thanks')).toBe(true);
    receiver.status = 200;
    const retried = await ok(t.bapi('POST', `/v1/webhook_endpoints/${id}/deliveries/${failed.id}/retry`));
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    await receiver.waitFor((r) => r.some((m) => idOf(m) === failed.id));
    const unknown = await t.bapi('POST', `/v1/webhook_endpoints/${id}/deliveries/msg_nope/retry`);
    expect(await errorOf(unknown)).toMatchObject({ status: 404, code: 'webhook_delivery_not_found' });
  });

  it('an endpoint failing for five days is disabled and gets nothing; re-enabled, it gets new events', async () => {
    const { id } = await endpoint({ enabled_events: ['organization.created'] });
    receiver.status = 503;
    await ok(t.bapi('POST', '/v1/organizations', { name: 'First' }));
    await deliveriesOf(id, (d) => d[0]?.attempts === 1);
    expect((await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}`))).failing_since).toBe(t.clock.now());
    t.clock.advance(5 * DAY_MS + 60_000);
    await ok(t.bapi('POST', '/v1/organizations', { name: 'Second' }));
    // The first failure after five days of failing (First's retry, or Second) disables it.
    await vi.waitFor(
      async () => {
        if (!(await ok(t.bapi('GET', `/v1/webhook_endpoints/${id}`))).disabled) throw new Error('not disabled yet');
      },
      { timeout: 10_000, interval: 20 },
    );
    receiver.status = 200;
    await ok(t.bapi('POST', '/v1/organizations', { name: 'Third' }));
    await t.roster.webhooks.drain();
    expect(receiver.received).toHaveLength(0); // nothing is sent to a disabled endpoint
    // Nor queued for it: First's, and Second's unless First's retry had already disabled it.
    const queued = (await deliveriesOf(id, () => true)).length;
    expect(queued === 1 || queued === 2).toBe(true);

    const enabled = await ok(t.bapi('PATCH', `/v1/webhook_endpoints/${id}`, { disabled: false }));
    expect(enabled).toMatchObject({ disabled: false, failing_since: null });
    await ok(t.bapi('POST', '/v1/organizations', { name: 'Fourth' }));
    await receiver.waitFor((r) => r.some((m) => JSON.parse(m.body).data.name === 'Fourth'));
    // Third happened while it was disabled: never queued. (Second may go too, if its first attempt was still due.)
    expect(receiver.received.map((m) => JSON.parse(m.body).data.name)).not.toContain('Third');
  });

  it('endpoints: create, list, get, update, rotate the secret, delete; bad input refused with stable codes', async () => {
    const created = await endpoint({ description: 'app', enabled_events: ['user.created', 'user.created'] });
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: receiver.url,
      description: 'app',
      enabled_events: ['user.created'],
      disabled: false,
    });
    expect(created.id).toMatch(/^whe_/);
    const list = await ok(t.bapi('GET', '/v1/webhook_endpoints'));
    expect(list).toMatchObject({ total_count: 1, data: [{ id: created.id }] });
    expect(await ok(t.bapi('GET', `/v1/webhook_endpoints/${created.id}`))).toEqual(created);
    const patched = await ok(
      t.bapi('PATCH', `/v1/webhook_endpoints/${created.id}`, { enabled_events: [], description: null }),
    );
    expect(patched).toMatchObject({ enabled_events: [], description: null, secret: created.secret });
    const rotated = await ok(t.bapi('POST', `/v1/webhook_endpoints/${created.id}/rotate_secret`));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);

    // Signed with the new secret from then on.
    await ok(t.bapi('POST', '/v1/users', { email_address: ['r@example.com'], password: PASSWORD }));
    await receiver.waitFor((r) => r.length === 1);
    expect(() =>
      new Webhook(rotated.secret).verify(receiver.received[0]!.body, headersOf(receiver.received[0]!)),
    ).not.toThrow();

    expect(await errorOf(await t.bapi('POST', '/v1/webhook_endpoints', { url: 'ftp://example.com/x' }))).toMatchObject({
      status: 422,
      code: 'webhook_url_invalid',
    });
    expect(await errorOf(await t.bapi('POST', '/v1/webhook_endpoints', { url: 'not a url' }))).toMatchObject({
      code: 'webhook_url_invalid',
    });
    const badType = await errorOf(
      await t.bapi('POST', '/v1/webhook_endpoints', { url: receiver.url, enabled_events: ['user.exploded'] }),
    );
    expect(badType.status).toBe(422);
    const unknownParam = await errorOf(await t.bapi('POST', '/v1/webhook_endpoints', { url: receiver.url, x: 1 }));
    expect(unknownParam).toMatchObject({ status: 422, code: 'form_param_unknown' });
    expect((await t.roster.app.request('http://roster.test/v1/webhook_endpoints', { method: 'GET' })).status).toBe(401);

    expect((await ok(t.bapi('DELETE', `/v1/webhook_endpoints/${created.id}`))).id).toBe(created.id);
    expect(await errorOf(await t.bapi('GET', `/v1/webhook_endpoints/${created.id}`))).toMatchObject({
      status: 404,
      code: 'webhook_endpoint_not_found',
    });
    const rows = await t.roster.database.db.selectFrom('webhook_deliveries').selectAll().execute();
    expect(rows).toHaveLength(0); // deleted with their endpoint
  });
});

describe('webhook SSRF guard', () => {
  it('refuses endpoints on loopback, private and link-local addresses unless ROSTER_WEBHOOK_ALLOW_PRIVATE=true', async () => {
    await t.close();
    t = await startTestRoster({ overrides: { deliverWebhooks: false } });
    for (const url of [
      receiver.url,
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.20.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      const res = await t.bapi('POST', '/v1/webhook_endpoints', { url });
      expect(await errorOf(res), url).toMatchObject({ status: 422, code: 'webhook_url_private' });
    }
    const first = await t.bapi('POST', '/v1/webhook_endpoints', { url: 'http://93.184.215.14/hook' });
    expect(first.status).toBe(200);
    const { id } = await json(first);
    const moved = await t.bapi('PATCH', `/v1/webhook_endpoints/${id}`, { url: 'http://127.0.0.1/hook' });
    expect(await errorOf(moved)).toMatchObject({ code: 'webhook_url_private' });
  });
});

describe('ROSTER_WEBHOOK_URL', () => {
  it('goes with ROSTER_WEBHOOK_SECRET, a whsec_ secret', () => {
    const base = { NODE_ENV: 'test', ROSTER_SECRET_KEY: 'sk_test_0123456789abcdef0123456789' };
    expect(() => loadConfig({ ...base, ROSTER_WEBHOOK_URL: 'https://app.example/hooks' })).toThrow(
      /ROSTER_WEBHOOK_SECRET/,
    );
    expect(() =>
      loadConfig({ ...base, ROSTER_WEBHOOK_URL: 'https://app.example/hooks', ROSTER_WEBHOOK_SECRET: 'hunter2' }),
    ).toThrow(/ROSTER_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...base, ROSTER_WEBHOOK_URL: 'ftp://app.example' })).toThrow(/ROSTER_WEBHOOK_URL/);
    const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const config = loadConfig({
      ...base,
      ROSTER_WEBHOOK_URL: 'https://app.example/hooks',
      ROSTER_WEBHOOK_SECRET: secret,
    });
    expect(config.webhook).toEqual({ url: 'https://app.example/hooks', secret });
    expect(config.webhookAllowPrivate).toBe(false);
  });

  it('sends to the endpoint configured at start, signed with its secret', async () => {
    await t.close();
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    t = await startTestRoster({
      env: { ...env, ROSTER_WEBHOOK_URL: receiver.url, ROSTER_WEBHOOK_SECRET: secret },
      overrides: { webhookOptions: { pollMs: 20 } },
    });
    await ok(t.bapi('POST', '/v1/organizations', { name: 'Configured' }));
    await receiver.waitFor((r) => r.length === 1);
    const message = receiver.received[0]!;
    expect(typeOf(message)).toBe('organization.created');
    expect(() => new Webhook(secret).verify(message.body, headersOf(message))).not.toThrow();
    await clerkVerify(message, secret);
    const list = await ok(t.bapi('GET', '/v1/webhook_endpoints'));
    expect(list.data[0]).toMatchObject({ id: 'whe_configured', url: receiver.url, secret });
  });
});
