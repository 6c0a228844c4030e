import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { authorizeInviting, createInvitation } from '../src/domain/invitations/invitations.js';
import { createUser, errorOf, freshRosterForEachTest, invite, invited, signedInUser } from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';
import { recipients } from './support/smtp.js';

/**
 * The limits against mail bombing and unbounded creation, set small through the environment: mails
 * to one address per hour (across organizations, both APIs), invitations per signed-in user per
 * hour (Frontend API), and organizations a user may create for themselves (counted, not a rate).
 */

const t = freshRosterForEachTest({
  env: {
    ROSTER_MAILS_PER_ADDRESS_PER_HOUR: '3',
    ROSTER_USER_INVITATIONS_PER_HOUR: '4',
    ROSTER_MAX_ORGANIZATIONS_PER_USER: '2',
  },
});

async function expectLimited(res: Response) {
  expect(await errorOf(res)).toMatchObject({ status: 429, code: 'too_many_requests' });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
}

async function revoke(orgId: string, invitationId: string) {
  const res = await t.bapi('POST', `/v1/organizations/${orgId}/invitations/${invitationId}/revoke`, {});
  expect(res.status).toBe(200);
  await res.body?.cancel();
}

/** How many mails were ever queued to an address (sent, waiting or withdrawn). */
async function queuedTo(address: string): Promise<number> {
  const rows = await t.roster.database.db.selectFrom('outbox').select('id').where('to_address', '=', address).execute();
  return rows.length;
}

describe('invitation mails per address', () => {
  it('invite → revoke → invite on one address stops at the limit, across organizations and APIs', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const other = await seedOrganization(t, { name: 'Other' });
    // Three mails: Backend API, Frontend API, another organization.
    const first = await invited(t, org.id, 'victim@example.com');
    await revoke(org.id, first.id);
    const second = await json(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'Victim@Example.com',
        role: 'org:member',
      }),
    );
    await revoke(org.id, second.id);
    await invited(t, other.org.id, 'victim@example.com');

    await expectLimited(await invite(t, org.id, 'victim@example.com'));
    await expectLimited(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'victim@example.com',
        role: 'org:member',
      }),
    );
    // A bulk create (all or none) is refused whole, naming the address; the bystander's budget is given back.
    const whole = await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk`, [
      { email_address: 'bystander@example.com', role: 'org:member' },
      { email_address: 'victim@example.com', role: 'org:member' },
    ]);
    const refusal = await json(whole.clone());
    await expectLimited(whole);
    expect(refusal.errors[0].meta.email_addresses).toEqual(['victim@example.com']);
    expect(await queuedTo('bystander@example.com')).toBe(0);
    // With partial=true the address fails on its own; the others are created.
    const bulk = await json(
      await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk?partial=true`, [
        { email_address: 'victim@example.com', role: 'org:member' },
        { email_address: 'bystander@example.com', role: 'org:member' },
      ]),
    );
    expect(bulk.data.map((i: { email_address: string }) => i.email_address)).toEqual(['bystander@example.com']);
    expect(bulk.errors[0]).toMatchObject({ code: 'too_many_requests', meta: { email_address: 'victim@example.com' } });
    // A bulk whose every address is refused for its mail budget fails as a request, saying when to retry.
    await expectLimited(
      await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk`, [
        { email_address: 'victim@example.com', role: 'org:member' },
      ]),
    );

    // Other addresses keep their budget; nothing was written for the refused ones.
    expect((await invite(t, org.id, 'someone-else@example.com')).status).toBe(200);
    const pending = await json(
      await t.bapi('GET', `/v1/organizations/${org.id}/invitations?email_address=victim@example.com`),
    );
    expect(pending.total_count).toBe(2); // the two revoked ones
    // The last mail queued has gone out: the address got no more than its three.
    await t.smtp.waitFor('someone-else@example.com');
    await t.smtp.waitFor('victim@example.com');
    const toVictim = t.smtp.messages.filter((m) => recipients(m).includes('victim@example.com'));
    expect(toVictim.length).toBeGreaterThanOrEqual(1);
    expect(toVictim.length).toBeLessThanOrEqual(3);
    // However the revokes raced the sends, no more than the three allowed were ever queued.
    expect(await queuedTo('victim@example.com')).toBeLessThanOrEqual(3);
  });

  it('the Backend API may still create without mail (notify: false): no mail, no budget spent', async () => {
    const { org } = await seedOrganization(t);
    for (let i = 0; i < 5; i++) {
      const inv = await invited(t, org.id, 'quiet@example.com', { notify: false });
      await revoke(org.id, inv.id);
    }
    expect((await invite(t, org.id, 'quiet@example.com')).status).toBe(200);
    expect(await queuedTo('quiet@example.com')).toBe(1); // only the last one, which asked for mail
  });
});

describe('a refused create spends no mail', () => {
  it('quota, duplicate and bad redirect refusals leave the address its whole budget', async () => {
    const full = await seedOrganization(t, { name: 'Full', max: 1 }); // its admin takes the one seat
    const { org } = await seedOrganization(t);
    for (let i = 0; i < 4; i++) {
      expect(await errorOf(await invite(t, full.org.id, 'busy@example.com'))).toMatchObject({
        status: 403,
        code: 'organization_membership_quota_exceeded',
      });
      expect(
        await errorOf(await invite(t, org.id, 'busy@example.com', { redirect_url: 'https://elsewhere.test/' })),
      ).toMatchObject({ status: 422, code: 'form_param_value_invalid' });
    }
    await invited(t, org.id, 'busy@example.com'); // the first mail
    for (let i = 0; i < 4; i++) {
      expect(await errorOf(await invite(t, org.id, 'busy@example.com'))).toMatchObject({ code: 'duplicate_record' });
    }
    // Two more mails from other organizations, then the limit.
    for (const name of ['Second', 'Third']) {
      const other = await seedOrganization(t, { name });
      await invited(t, other.org.id, 'busy@example.com');
    }
    const fourth = await seedOrganization(t, { name: 'Fourth' });
    await expectLimited(await invite(t, fourth.org.id, 'busy@example.com'));
    expect(await queuedTo('busy@example.com')).toBe(3);
  });

  it('a create refused at the insert (a concurrent create won the address) gives its mail back', async () => {
    const { org } = await seedOrganization(t);
    // The concurrent create lands between this create's checks and its insert.
    const store = new Proxy(t.roster.deps.store, {
      get(target, prop, receiver) {
        if (prop !== 'createInvitation') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<typeof target.createInvitation>) => {
          expect((await invite(t, org.id, 'raced@example.com')).status).toBe(200);
          return target.createInvitation(...args);
        };
      },
    });
    const deps = { ...t.roster.deps, store };
    const inviting = await authorizeInviting(deps, { kind: 'secret_key' }, org.id);
    await expect(
      createInvitation(deps, inviting, { emailAddress: 'raced@example.com', role: 'org:member' }),
    ).rejects.toMatchObject({ code: 'duplicate_record' });
    // One mail spent (the winner's): two more go, then the limit.
    for (const name of ['Second', 'Third']) {
      const other = await seedOrganization(t, { name });
      await invited(t, other.org.id, 'raced@example.com');
    }
    const fourth = await seedOrganization(t, { name: 'Fourth' });
    await expectLimited(await invite(t, fourth.org.id, 'raced@example.com'));
  });
});

describe('invitations per inviting user', () => {
  it('a signed-in user gets 4 invitations an hour whatever the organization; the Backend API is not counted', async () => {
    const { org, user, browser: admin } = await seedOrganization(t);
    const second = await json(await admin.post('/fapi/v1/organizations', { name: 'Second' }));
    const send = (orgId: string, email: string) =>
      admin.post(`/fapi/v1/organizations/${orgId}/invitations`, { email_address: email, role: 'org:member' });
    for (const [orgId, email] of [
      [org.id, 'u1@example.com'],
      [second.id, 'u2@example.com'],
    ] as const) {
      expect((await send(orgId, email)).status).toBe(200);
    }
    // A bulk of three does not fit the two left: refused whole.
    await expectLimited(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations/bulk`, {
        email_address: ['u3@example.com', 'u4@example.com', 'u5@example.com'],
        role: 'org:member',
      }),
    );
    const two = await admin.post(`/fapi/v1/organizations/${org.id}/invitations/bulk`, {
      email_address: ['u3@example.com', 'u4@example.com'],
      role: 'org:member',
    });
    expect(two.status).toBe(200);
    await two.body?.cancel();
    await expectLimited(await send(second.id, 'u6@example.com'));

    // The app's server is trusted: it keeps inviting, on the user's behalf too.
    expect((await invite(t, org.id, 'u6@example.com', { inviter_user_id: user.id })).status).toBe(200);
    // Another user has their own budget.
    const { browser: other } = await signedInUser(t, 'other-admin@example.com');
    const theirs = await json(await other.post('/fapi/v1/organizations', { name: 'Theirs' }));
    expect(
      (
        await other.post(`/fapi/v1/organizations/${theirs.id}/invitations`, {
          email_address: 'u7@example.com',
          role: 'org:member',
        })
      ).status,
    ).toBe(200);
  });
});

describe('organizations a user may create', () => {
  it('the third organization is refused with organization_quota_exceeded; deleting one frees a place', async () => {
    const { browser } = await signedInUser(t, 'founder@example.com');
    const made: { id: string }[] = [];
    for (const name of ['One', 'Two']) {
      const res = await browser.post('/fapi/v1/organizations', { name });
      expect(res.status).toBe(200);
      made.push(await json(res));
    }
    const third = await browser.post('/fapi/v1/organizations', { name: 'Three' });
    expect(await errorOf(third)).toMatchObject({
      status: 403,
      code: 'organization_quota_exceeded',
      meta: { max_allowed_organizations: 2 },
    });
    expect((await json(await t.bapi('GET', '/v1/organizations?query=Three'))).total_count).toBe(0);

    expect((await browser.delete(`/fapi/v1/organizations/${made[0]!.id}`)).status).toBe(200);
    expect((await browser.post('/fapi/v1/organizations', { name: 'Three' })).status).toBe(200);
  });

  it('concurrent creates by one user cannot pass the cap together', async () => {
    const { browser } = await signedInUser(t, 'racer@example.com');
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => browser.post('/fapi/v1/organizations', { name: `Race ${i}` })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    for (const res of responses) {
      if (res.status !== 200) expect((await errorOf(res)).code).toBe('organization_quota_exceeded');
    }
  });

  it('the Backend API (trusted) creates organizations for a user beyond the cap', async () => {
    const user = await createUser(t, 'managed@example.com');
    for (const name of ['A', 'B', 'C']) {
      expect((await t.bapi('POST', '/v1/organizations', { name, created_by: user.id })).status).toBe(200);
    }
  });
});

describe('configuration', () => {
  it('defaults to 10 mails per address, 100 invitations per user and 100 organizations per user', () => {
    expect(loadConfig({})).toMatchObject({
      mailsPerAddressPerHour: 10,
      userInvitationsPerHour: 100,
      maxOrganizationsPerUser: 100,
    });
    expect(loadConfig({ ROSTER_MAX_ORGANIZATIONS_PER_USER: '0' }).maxOrganizationsPerUser).toBe(0);
  });

  it.each([
    ['ROSTER_MAILS_PER_ADDRESS_PER_HOUR', '0'],
    ['ROSTER_USER_INVITATIONS_PER_HOUR', '1e3'],
    ['ROSTER_MAX_ORGANIZATIONS_PER_USER', '-1'],
  ])('%s=%s stops start-up, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
