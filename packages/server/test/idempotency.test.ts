import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../src/domain/deps.js';
import { argon2Passwords } from '../src/passwords.js';
import { all, createUser, DAY_MS, errorOf, freshRosterForEachTest, signedInUser } from './support/flows.js';
import { type Browser, json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * Idempotency-Key on every create (decision 023): a replay answers the first response and does
 * nothing; another body is `idempotency_key_reused`; concurrent requests do the work once; 5xx
 * and 429 answers are not kept; keys belong to one caller; answers expire after 24 hours.
 */

const t = freshRosterForEachTest({ env: { ROSTER_RATE_LIMITS: 'false' } });

const KEY = 'Idempotency-Key';
const withKey = (key: string) => ({ [KEY]: key });
const db = () => t.roster.database.db;

async function rows(table: 'invitations' | 'organizations' | 'users' | 'memberships' | 'outbox' | 'idempotency_keys') {
  const r = await db().selectFrom(table).select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function fapi(browser: Browser, path: string, body: unknown, key: string) {
  return browser.fetch('POST', path, { json: body, headers: withKey(key) });
}

/** Sends the same request twice with one key; the second must be the first's answer, replayed. */
async function expectReplay(send: () => Promise<Response>, table: Parameters<typeof rows>[0]) {
  const first = await send();
  const firstBody = await first.text();
  expect(first.status, firstBody).toBe(200);
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  const before = await rows(table);
  const outboxBefore = await rows('outbox');
  const again = await send();
  expect(again.status).toBe(200);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
  expect(await again.text()).toBe(firstBody);
  expect(await rows(table)).toBe(before);
  expect(await rows('outbox')).toBe(outboxBefore);
}

describe('replays', () => {
  it('answers every Backend API create again without doing it again', async () => {
    const { org } = await seedOrganization(t);
    const other = await createUser(t, 'member@example.com');
    const invitations = `/v1/organizations/${org.id}/invitations`;
    await expectReplay(
      () => t.bapi('POST', invitations, { email_address: 'a@example.com', role: 'basic_member' }, withKey('k1')),
      'invitations',
    );
    await expectReplay(
      () =>
        t.bapi(
          'POST',
          `${invitations}/bulk`,
          [
            { email_address: 'b@example.com', role: 'basic_member' },
            { email_address: 'c@example.com', role: 'basic_member' },
          ],
          withKey('k2'),
        ),
      'invitations',
    );
    await expectReplay(() => t.bapi('POST', '/v1/organizations', { name: 'Beta' }, withKey('k3')), 'organizations');
    await expectReplay(
      () =>
        t.bapi('POST', '/v1/users', { email_address: ['new@example.com'], password: 'a long password' }, withKey('k4')),
      'users',
    );
    await expectReplay(
      () =>
        t.bapi(
          'POST',
          `/v1/organizations/${org.id}/memberships`,
          { user_id: other.id, role: 'basic_member' },
          withKey('k5'),
        ),
      'memberships',
    );
  });

  it('answers every Frontend API create again without doing it again', async () => {
    const { org, browser } = await seedOrganization(t);
    const invitations = `/fapi/v1/organizations/${org.id}/invitations`;
    await expectReplay(
      () => fapi(browser, invitations, { email_address: 'a@example.com', role: 'basic_member' }, 'f1'),
      'invitations',
    );
    await expectReplay(
      () => fapi(browser, `${invitations}/bulk`, { email_address: ['b@example.com'], role: 'basic_member' }, 'f2'),
      'invitations',
    );
    await expectReplay(() => fapi(browser, '/fapi/v1/organizations', { name: 'Gamma' }, 'f3'), 'organizations');
  });

  it('sends the invitation mail once for a create replayed', async () => {
    const { org } = await seedOrganization(t);
    const send = () =>
      t.bapi(
        'POST',
        `/v1/organizations/${org.id}/invitations`,
        { email_address: 'Once@Example.com', role: 'basic_member' },
        withKey('mail-once'),
      );
    const first = await json(await send());
    const again = await json(await send());
    expect(again.id).toBe(first.id);
    const queued = await db().selectFrom('outbox').select('id').where('invitation_id', '=', first.id).execute();
    expect(queued).toHaveLength(1);
    const mail = await t.smtp.waitFor('once@example.com', { match: (m) => m.messageId === `<${first.id}@roster>` });
    expect(mail).toBeDefined();
  });

  it('takes the same body with its keys in another order as the same request', async () => {
    const send = (body: string) =>
      t.bapi('POST', '/v1/organizations', body, { ...withKey('order'), 'content-type': 'application/json' });
    const first = await send('{"name":"Delta","slug":"delta"}');
    expect(first.status).toBe(200);
    const again = await send('{ "slug": "delta", "name": "Delta" }');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await rows('organizations')).toBe(1);
  });

  it('runs as before without the header (no row is written)', async () => {
    await t.bapi('POST', '/v1/organizations', { name: 'Plain' });
    await t.bapi('POST', '/v1/organizations', { name: 'Plain' });
    expect(await rows('organizations')).toBe(2);
    expect(await rows('idempotency_keys')).toBe(0);
  });
});

describe('reuse and bad keys', () => {
  it('refuses the key with another body or another path (422 idempotency_key_reused)', async () => {
    const { org } = await seedOrganization(t);
    expect((await t.bapi('POST', '/v1/organizations', { name: 'One' }, withKey('r'))).status).toBe(200);
    const otherBody = await t.bapi('POST', '/v1/organizations', { name: 'Two' }, withKey('r'));
    expect(await errorOf(otherBody)).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    const otherPath = await t.bapi(
      'POST',
      `/v1/organizations/${org.id}/invitations`,
      { email_address: 'x@example.com', role: 'basic_member' },
      withKey('r'),
    );
    expect(await errorOf(otherPath)).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(await rows('invitations')).toBe(0);
    expect(await rows('organizations')).toBe(2); // seeded + One
  });

  it('refuses a key longer than 255 characters or empty (400 idempotency_key_invalid), takes 255', async () => {
    for (const key of ['x'.repeat(256), '']) {
      const res = await t.bapi('POST', '/v1/organizations', { name: 'Long' }, withKey(key));
      expect(await errorOf(res)).toMatchObject({
        status: 400,
        code: 'idempotency_key_invalid',
        meta: { header_name: KEY },
      });
    }
    expect(await rows('organizations')).toBe(0);
    const ok = await t.bapi('POST', '/v1/organizations', { name: 'Long' }, withKey('x'.repeat(255)));
    expect(ok.status).toBe(200);
  });

  it('keeps 4xx answers of a started request, but not a request refused for its input', async () => {
    const { org } = await seedOrganization(t);
    const invitations = `/v1/organizations/${org.id}/invitations`;
    const body = { email_address: 'dup@example.com', role: 'basic_member' };
    const first = await json(await t.bapi('POST', invitations, body));
    const duplicate = await t.bapi('POST', invitations, body, withKey('dup'));
    expect(await errorOf(duplicate)).toMatchObject({ status: 422, code: 'duplicate_record' });
    await t.bapi('POST', `${invitations}/${first.id}/revoke`, {});
    // The address could be invited now, but the key answers what it answered (as Stripe).
    const replayed = await t.bapi('POST', invitations, body, withKey('dup'));
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await errorOf(replayed)).toMatchObject({ status: 422, code: 'duplicate_record' });

    const invalid = await t.bapi(
      'POST',
      invitations,
      { email_address: 'not an address', role: 'basic_member' },
      withKey('v'),
    );
    expect(invalid.status).toBe(422);
    const fixed = await t.bapi(
      'POST',
      invitations,
      { email_address: 'fixed@example.com', role: 'basic_member' },
      withKey('v'),
    );
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('concurrency', () => {
  it('creates one invitation for 10 parallel requests with one key', async () => {
    const { org } = await seedOrganization(t);
    const responses = await all(10, () =>
      t.bapi(
        'POST',
        `/v1/organizations/${org.id}/invitations`,
        { email_address: 'race@example.com', role: 'basic_member' },
        withKey('race'),
      ),
    );
    const ids = new Set<string>();
    let fresh = 0;
    for (const res of responses) {
      if (res.status === 200) {
        ids.add((await json(res)).id);
        if (res.headers.get('idempotent-replayed') === null) fresh++;
      } else {
        expect(await errorOf(res)).toMatchObject({ status: 409, code: 'idempotency_key_in_use' });
      }
    }
    expect(fresh).toBe(1);
    expect(ids.size).toBe(1);
    expect(await rows('invitations')).toBe(1);
    expect(await rows('outbox')).toBe(1);
    // Once the first has answered, the key replays it.
    const after = await t.bapi(
      'POST',
      `/v1/organizations/${org.id}/invitations`,
      { email_address: 'race@example.com', role: 'basic_member' },
      withKey('race'),
    );
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(after)).id).toBe([...ids][0]);
  });
});

/** A hasher whose first `hash` waits until released (a request held in flight), or fails. */
function gatedPasswords(mode: 'hold' | 'fail') {
  let calls = 0;
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const inside = new Promise<void>((r) => (entered = r));
  const passwords: PasswordHasher = {
    async hash(password) {
      if (calls++ === 0) {
        entered();
        if (mode === 'fail') throw new Error('hasher down');
        await gate;
      }
      return argon2Passwords.hash(password);
    },
    verify: (hash, password) => argon2Passwords.verify(hash, password),
  };
  return { passwords, release, inside };
}

async function restartWith(passwords: PasswordHasher): Promise<TestRoster> {
  await t.close();
  Object.assign(t, await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' }, overrides: { passwords } }));
  return t;
}

describe('failures and runs in flight', () => {
  it('does not keep a 5xx: the retry with the key does the work', async () => {
    const gated = gatedPasswords('fail');
    await restartWith(gated.passwords);
    const body = { email_address: ['retry@example.com'], password: 'a long password' };
    const failed = await t.bapi('POST', '/v1/users', body, withKey('u'));
    expect(failed.status).toBe(500);
    expect(await rows('idempotency_keys')).toBe(0);
    const retried = await t.bapi('POST', '/v1/users', body, withKey('u'));
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await rows('users')).toBe(1);
  });

  it('does not keep a 429: the key is free for the next request', async () => {
    await t.close();
    Object.assign(t, await startTestRoster({ env: { ROSTER_INVITATIONS_PER_HOUR: '1' } }));
    const a = await seedOrganization(t, { name: 'A' });
    const b = await seedOrganization(t, { name: 'B' });
    const invite = (orgId: string, email: string, headers: Record<string, string> = {}) =>
      t.bapi('POST', `/v1/organizations/${orgId}/invitations`, { email_address: email, role: 'basic_member' }, headers);
    expect((await invite(a.org.id, 'first@example.com')).status).toBe(200);
    const limited = await invite(a.org.id, 'second@example.com', withKey('limited'));
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(await rows('idempotency_keys')).toBe(0);
    // Not `idempotency_key_reused`: nothing was kept for the key.
    const elsewhere = await invite(b.org.id, 'second@example.com', withKey('limited'));
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 409 idempotency_key_in_use while the first runs; a run silent past its timeout is taken over', async () => {
    const gated = gatedPasswords('hold');
    await restartWith(gated.passwords);
    const body = { email_address: ['held@example.com'], password: 'a long password' };
    const held = t.bapi('POST', '/v1/users', body, withKey('h'));
    await gated.inside;
    const second = await t.bapi('POST', '/v1/users', body, withKey('h'));
    expect(await errorOf(second)).toMatchObject({ status: 409, code: 'idempotency_key_in_use' });

    t.clock.advance(2 * 60_000 + 1); // the held run counts as dead now
    const takeover = await t.bapi('POST', '/v1/users', body, withKey('h'));
    expect(takeover.status).toBe(200);
    const created = await json(takeover);
    gated.release();
    await held; // finishes late; its answer is not the key's
    const replay = await t.bapi('POST', '/v1/users', body, withKey('h'));
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(replay)).id).toBe(created.id);
  });
});

describe('browsers', () => {
  it('lets an allowed origin send the key (preflight) and read the replay header', async () => {
    const preflight = await t.roster.app.request('http://roster.test/fapi/v1/organizations', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const { browser } = await signedInUser(t, 'cors@example.com');
    const send = () =>
      browser.fetch('POST', '/fapi/v1/organizations', {
        json: { name: 'Cors' },
        headers: { ...withKey('cors'), origin: 'http://app.test' },
      });
    await send();
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(again.headers.get('access-control-expose-headers')).toContain('Idempotent-Replayed');
  });

  it('ignores the key on a call without a caller (signed out): it runs as without it', async () => {
    await createUser(t, 'anon@example.com');
    const browser = t.browser();
    const signIn = () =>
      browser.fetch('POST', '/fapi/v1/client/sign_ins', {
        json: { identifier: 'anon@example.com', password: 'a long enough password' },
        headers: withKey('anon'),
      });
    expect((await signIn()).status).toBe(200);
    expect(await rows('idempotency_keys')).toBe(0);
  });
});

describe('scope and expiry', () => {
  it('keeps each caller to its own keys', async () => {
    const a = await signedInUser(t, 'a@example.com');
    const b = await signedInUser(t, 'b@example.com');
    const body = { name: 'Same name' };
    const asA = await json(await fapi(a.browser, '/fapi/v1/organizations', body, 'shared'));
    const asB = await fapi(b.browser, '/fapi/v1/organizations', body, 'shared');
    expect(asB.headers.get('idempotent-replayed')).toBeNull();
    const bOrg = await json(asB);
    expect(bOrg.id).not.toBe(asA.id);
    const bySecretKey = await t.bapi('POST', '/v1/organizations', body, withKey('shared'));
    expect(bySecretKey.headers.get('idempotent-replayed')).toBeNull();
    expect(await rows('organizations')).toBe(3);
    // A's replay is A's, not B's.
    const again = await fapi(a.browser, '/fapi/v1/organizations', body, 'shared');
    expect((await json(again)).id).toBe(asA.id);
  });

  it('forgets a key after 24 hours, and the sweeper deletes it', async () => {
    const send = () => t.bapi('POST', '/v1/organizations', { name: 'Daily' }, withKey('day'));
    const first = await json(await send());
    t.clock.advance(DAY_MS - 1);
    expect((await json(await send())).id).toBe(first.id);
    t.clock.advance(1);
    const next = await send();
    expect(next.headers.get('idempotent-replayed')).toBeNull();
    expect((await json(next)).id).not.toBe(first.id);
    await t.bapi('POST', '/v1/organizations', { name: 'Other' }, withKey('other'));
    expect(await rows('idempotency_keys')).toBe(2);
    t.clock.advance(DAY_MS);
    await t.roster.sweeper.sweep();
    expect(await rows('idempotency_keys')).toBe(0);
  });

  it('expires invitations on the sweep even when sweeping the keys fails', async () => {
    const { org } = await seedOrganization(t);
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: 'late@example.com',
      role: 'basic_member',
      expires_in_days: 1,
    });
    t.clock.advance(2 * DAY_MS);
    await db().schema.dropTable('idempotency_keys').execute();
    expect(await t.roster.sweeper.sweep()).toBe(1);
    expect(t.logs.some((line) => line.includes('expiry sweep failed'))).toBe(true);
  });

  it('stores the answer sealed: an invitation link is not in the table in the clear', async () => {
    const { org } = await seedOrganization(t);
    const created = await json(
      await t.bapi(
        'POST',
        `/v1/organizations/${org.id}/invitations`,
        { email_address: 'sealed@example.com', role: 'basic_member' },
        withKey('s'),
      ),
    );
    expect(created.url).toContain('ticket=');
    const stored = await db().selectFrom('idempotency_keys').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(new URL(created.url).searchParams.get('ticket'));
    expect(JSON.stringify(stored)).not.toContain('sealed@example.com');
    expect(JSON.stringify(stored)).not.toContain('"s"');
  });

  it('refuses a replay whose stored answer cannot be opened (sealed under a key no longer held): 422, not 500, nothing done', async () => {
    const { org } = await seedOrganization(t);
    const send = () =>
      t.bapi(
        'POST',
        `/v1/organizations/${org.id}/invitations`,
        { email_address: 'rotated@example.com', role: 'basic_member' },
        withKey('rotated'),
      );
    expect((await send()).status).toBe(200);
    // What a rotation past its grace leaves: an answer sealed under a key this instance no longer has.
    await db().updateTable('idempotency_keys').set({ response: 'v1.AAAA.BBBB.CCCC' }).execute();
    const again = await send();
    expect(await errorOf(again)).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(await rows('invitations')).toBe(1);
  });

  it('keeps no plain hash of a body: a password sent under a key cannot be guessed from the table', async () => {
    const { browser } = await signedInUser(t, 'hash@example.com', 'the first password');
    const body = { current_password: 'the first password', new_password: 'the second password' };
    const path = '/fapi/v1/me/change_password';
    const res = await browser.fetch('POST', path, { json: body, headers: withKey('pw') });
    expect(res.status).toBe(200);
    const [row] = await db().selectFrom('idempotency_keys').selectAll().execute();
    const canonical = JSON.stringify({ current_password: body.current_password, new_password: body.new_password });
    const plain = createHash('sha256').update(`POST\n${path}\n${canonical}`).digest('hex');
    expect(row?.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.request_hash).not.toBe(plain);
  });
});
