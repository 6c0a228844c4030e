import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, errorOf, signedInUser } from './support/flows.js';
import { type Browser, json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { codeIn } from './support/smtp.js';

/**
 * Suggestions and membership requests (issue 14, decision 048), through HTTP on the database the
 * project runs (SQLite, PostgreSQL): a verified domain in `automatic_suggestion` mode suggests its
 * organization to users with a verified address on it; accepting makes a request its managers are
 * mailed about (the real SMTP receiver) and accept or reject, seats counted.
 */

let t: TestRoster;

beforeAll(async () => {
  // Many sign-ins and sign-ups from one address: the per-IP limits are another test's subject.
  t = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' } });
});
afterAll(async () => {
  // Nothing here answered a 500.
  expect(t.logs.filter((line) => line.includes('internal_error'))).toEqual([]);
  await t?.close();
});

let n = 0;
const uniqueDomain = () => `acme${Date.now().toString(36)}${++n}.test`;
const PASSWORD = 'a long enough password';
const isCodeMail = (m: { subject?: string }) => m.subject === 'Your verification code';

/** An organization (its admin signed in) with a verified domain suggesting it. */
async function suggestingOrg(options: { domain?: string; max?: number; name?: string } = {}) {
  const seeded = await seedOrganization(t, {
    name: options.name ?? `Acme ${++n}`,
    ...(options.max && { max: options.max }),
  });
  const name = options.domain ?? uniqueDomain();
  const res = await t.bapi('POST', `/v1/organizations/${seeded.org.id}/domains`, {
    name,
    enrollment_mode: 'automatic_suggestion',
  });
  expect(res.status).toBe(200);
  return { ...seeded, domain: await json(res), domainName: name };
}

/** Signs up through the Frontend API with the emailed code; the browser ends signed in. */
async function signUp(email: string): Promise<Browser> {
  const browser = t.browser();
  const started = await browser.post('/fapi/v1/client/sign_ups', { email_address: email, password: PASSWORD });
  expect(started.status).toBe(200);
  const code = codeIn(await t.smtp.waitFor(email, { match: isCodeMail }));
  const done = await browser.post('/fapi/v1/client/sign_ups/verify', { code });
  expect(done.status).toBe(200);
  return browser;
}

async function suggestionsOf(browser: Browser, query = '') {
  const res = await browser.get(`/fapi/v1/me/organization_suggestions${query}`);
  expect(res.status).toBe(200);
  return json(res);
}

async function requestsOf(browser: Browser, orgId: string, query = '') {
  const res = await browser.get(`/fapi/v1/organizations/${orgId}/membership_requests${query}`);
  expect(res.status).toBe(200);
  return json(res);
}

async function domainNow(orgId: string, domainId: string) {
  const list = await json(await t.bapi('GET', `/v1/organizations/${orgId}/domains?limit=20`));
  return list.data.find((d: { id: string }) => d.id === domainId);
}

/** A user who signed up on the domain and asked to join: their browser, suggestion and the pending request. */
async function requester(org: Awaited<ReturnType<typeof suggestingOrg>>, local = `u${++n}`) {
  const email = `${local}@${org.domainName}`;
  const browser = await signUp(email);
  const [suggestion] = (await suggestionsOf(browser)).data;
  const accepted = await browser.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`);
  expect(accepted.status).toBe(200);
  const [request] = (await requestsOf(org.browser, org.org.id)).data.filter(
    (r: { public_user_data: { identifier: string } }) => r.public_user_data.identifier === email,
  );
  return { browser, email, suggestion, request };
}

describe('suggestions and membership requests', () => {
  it('a sign-up on a suggesting domain gets a suggestion; accepting asks the admins, who let them in', async () => {
    const org = await suggestingOrg({ domain: 'acme.test', name: 'Acme Corp' });
    const user = await signUp('grace@acme.test');

    const suggestions = await suggestionsOf(user);
    expect(suggestions.total_count).toBe(1);
    const [suggestion] = suggestions.data;
    expect(suggestion).toMatchObject({
      object: 'organization_suggestion',
      status: 'pending',
      public_organization_data: { id: org.org.id, name: 'Acme Corp', slug: org.org.slug, has_image: false },
    });
    expect(suggestion.id).toMatch(/^orgsug_/);
    expect((await domainNow(org.org.id, org.domain.id)).total_pending_suggestions).toBe(1);

    // Accepting makes a request, not a membership.
    const accepted = await user.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(await json(accepted)).toMatchObject({ id: suggestion.id, status: 'accepted' });
    expect((await suggestionsOf(user)).total_count).toBe(0);
    expect((await suggestionsOf(user, '?status=accepted')).data.map((s: { id: string }) => s.id)).toEqual([
      suggestion.id,
    ]);
    expect((await domainNow(org.org.id, org.domain.id)).total_pending_suggestions).toBe(0);
    const members = await json(await t.bapi('GET', `/v1/organizations/${org.org.id}/memberships`));
    expect(members.total_count).toBe(1);

    // The admin is mailed (through the outbox, to the SMTP receiver).
    const mail = await t.smtp.waitFor(org.email, { match: (m) => /asked to join/.test(m.subject ?? '') });
    expect(mail.subject).toBe('grace@acme.test asked to join Acme Corp');
    expect(mail.text).toContain('grace@acme.test');

    const requests = await requestsOf(org.browser, org.org.id);
    expect(requests.total_count).toBe(1);
    const [request] = requests.data;
    expect(request).toMatchObject({
      object: 'organization_membership_request',
      organization_id: org.org.id,
      status: 'pending',
      public_user_data: { identifier: 'grace@acme.test', has_image: false, image_url: '' },
    });
    expect(request.id).toMatch(/^orgmbrreq_/);

    // Accepting the suggestion again changes nothing and mails nobody.
    const again = await user.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ id: suggestion.id, status: 'accepted' });
    expect((await requestsOf(org.browser, org.org.id)).total_count).toBe(1);

    const admitted = await org.browser.post(
      `/fapi/v1/organizations/${org.org.id}/membership_requests/${request.id}/accept`,
    );
    expect(admitted.status).toBe(200);
    expect(await json(admitted)).toMatchObject({ id: request.id, status: 'accepted' });
    const memberships = await json(await user.get('/fapi/v1/me/organization_memberships'));
    expect(
      memberships.data.map((m: { organization: { id: string }; role: string }) => [m.organization.id, m.role]),
    ).toEqual([[org.org.id, 'org:member']]);

    // A second accept is refused with the state it is in; the list by status shows it.
    const twice = await org.browser.post(
      `/fapi/v1/organizations/${org.org.id}/membership_requests/${request.id}/accept`,
    );
    expect(await errorOf(twice)).toMatchObject({
      status: 409,
      code: 'membership_request_not_pending',
      meta: { status: 'accepted' },
    });
    expect((await requestsOf(org.browser, org.org.id)).total_count).toBe(0);
    expect((await requestsOf(org.browser, org.org.id, '?status=accepted')).total_count).toBe(1);

    // Events, in the organization's audit log.
    const log = await json(await t.bapi('GET', `/v1/organizations/${org.org.id}/audit_log?limit=50`));
    const types = log.data.map((e: { type: string }) => e.type);
    for (const type of [
      'organizationSuggestion.created',
      'organizationSuggestion.accepted',
      'organizationMembershipRequest.created',
      'organizationMembershipRequest.accepted',
      'organizationMembership.created',
    ]) {
      expect(types).toContain(type);
    }
    const acceptedEvent = log.data.find((e: { type: string }) => e.type === 'organizationMembershipRequest.accepted');
    expect(acceptedEvent).toMatchObject({ actor: { type: 'user', id: org.user.id }, data: { id: request.id } });
  });

  it('rejecting leaves the user out; a rejected request cannot be accepted', async () => {
    const org = await suggestingOrg();
    const { browser, request } = await requester(org);
    const rejected = await org.browser.post(
      `/fapi/v1/organizations/${org.org.id}/membership_requests/${request.id}/reject`,
    );
    expect(rejected.status).toBe(200);
    expect(await json(rejected)).toMatchObject({ id: request.id, status: 'rejected' });
    const late = await org.browser.post(
      `/fapi/v1/organizations/${org.org.id}/membership_requests/${request.id}/accept`,
    );
    expect(await errorOf(late)).toMatchObject({
      status: 409,
      code: 'membership_request_not_pending',
      meta: { status: 'rejected' },
    });
    expect((await json(await browser.get('/fapi/v1/me/organization_memberships'))).total_count).toBe(0);
    expect((await requestsOf(org.browser, org.org.id, '?status=rejected')).data[0]).toMatchObject({ id: request.id });
    // Not suggested again.
    expect((await suggestionsOf(browser)).total_count).toBe(0);
  });

  it('only managers accept or reject; readers list; outsiders and the signed-out are refused', async () => {
    const org = await suggestingOrg();
    const { request } = await requester(org);
    const member = await signedInUser(t, `member${++n}@example.com`);
    await t.bapi('POST', `/v1/organizations/${org.org.id}/memberships`, {
      user_id: member.user.id,
      role: 'org:member',
    });
    const outsider = await signedInUser(t, `outsider${++n}@example.com`);
    const base = `/fapi/v1/organizations/${org.org.id}/membership_requests`;

    // Requests name people who are not members yet: a plain member (org:sys_memberships:read) sees none of them.
    expect(await errorOf(await member.browser.get(base))).toMatchObject({
      status: 403,
      code: 'authorization_invalid',
      meta: { permission: 'org:sys_memberships:manage' },
    });
    for (const action of ['accept', 'reject']) {
      expect(await errorOf(await member.browser.post(`${base}/${request.id}/${action}`))).toMatchObject({
        status: 403,
        code: 'authorization_invalid',
        meta: { permission: 'org:sys_memberships:manage' },
      });
      expect(await errorOf(await outsider.browser.post(`${base}/${request.id}/${action}`))).toMatchObject({
        status: 403,
        code: 'not_a_member_in_organization',
      });
    }
    expect(await errorOf(await outsider.browser.get(base))).toMatchObject({
      status: 403,
      code: 'not_a_member_in_organization',
    });
    expect(await errorOf(await t.browser().get(base))).toMatchObject({ status: 401, code: 'session_invalid' });

    // A role without the members' read permission lists nothing either.
    const key = `org:billing${++n}`;
    const role = await t.bapi('POST', '/v1/organization_roles', {
      key,
      name: 'Billing',
      include_in_initial_role_set: true,
    });
    expect(role.status).toBe(200);
    const billing = await signedInUser(t, `billing${++n}@example.com`);
    const added = await t.bapi('POST', `/v1/organizations/${org.org.id}/memberships`, {
      user_id: billing.user.id,
      role: key,
    });
    expect(added.status).toBe(200);
    expect(await errorOf(await billing.browser.get(base))).toMatchObject({
      status: 403,
      code: 'authorization_invalid',
    });
    // The request is still pending after all that.
    expect((await requestsOf(org.browser, org.org.id)).data[0]).toMatchObject({ id: request.id, status: 'pending' });
  });

  it('a full organization refuses the accept with the quota error and keeps the request pending', async () => {
    const org = await suggestingOrg({ max: 1 });
    const { request, browser } = await requester(org);
    const base = `/fapi/v1/organizations/${org.org.id}/membership_requests/${request.id}`;
    expect(await errorOf(await org.browser.post(`${base}/accept`))).toMatchObject({
      status: 403,
      code: 'organization_membership_quota_exceeded',
      meta: { max_allowed_memberships: 1, members_count: 1 },
    });
    expect((await requestsOf(org.browser, org.org.id)).data[0]).toMatchObject({ id: request.id, status: 'pending' });
    expect((await json(await browser.get('/fapi/v1/me/organization_memberships'))).total_count).toBe(0);

    await t.bapi('PATCH', `/v1/organizations/${org.org.id}`, { max_allowed_memberships: 2 });
    expect((await org.browser.post(`${base}/accept`)).status).toBe(200);
    expect((await json(await browser.get('/fapi/v1/me/organization_memberships'))).total_count).toBe(1);
  });

  it('bad ids are resource_not_found, never a 500', async () => {
    const org = await suggestingOrg();
    const { browser, request, suggestion } = await requester(org);
    const other = await signedInUser(t, `other${++n}@example.com`);
    const notFound = { status: 404, code: 'resource_not_found' };
    // Someone else's suggestion names nothing for this user.
    expect(
      await errorOf(await other.browser.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`)),
    ).toMatchObject(notFound);
    for (const id of ['orgsug_missing', 'x'.repeat(200), 'a.b', '%00']) {
      expect(await errorOf(await browser.post(`/fapi/v1/me/organization_suggestions/${id}/accept`))).toMatchObject(
        notFound,
      );
    }
    const base = `/fapi/v1/organizations/${org.org.id}/membership_requests`;
    for (const id of ['orgmbrreq_missing', 'x'.repeat(200), '%00']) {
      for (const action of ['accept', 'reject']) {
        expect(await errorOf(await org.browser.post(`${base}/${id}/${action}`))).toMatchObject(notFound);
      }
    }
    // Another organization's request through this one's path.
    const second = await suggestingOrg();
    expect(
      await errorOf(
        await second.browser.post(`/fapi/v1/organizations/${second.org.id}/membership_requests/${request.id}/accept`),
      ),
    ).toMatchObject(notFound);
    expect(
      await errorOf(await org.browser.get('/fapi/v1/organizations/org_missing/membership_requests')),
    ).toMatchObject({
      status: 404,
    });
    expect(await errorOf(await org.browser.get(`${base}?status=maybe`))).toMatchObject({ status: 422 });
    expect(
      await errorOf(await t.bapi('POST', `/v1/organizations/${org.org.id}/membership_requests/nope/accept`)),
    ).toMatchObject(notFound);
  });

  it('back-fill when a domain starts suggesting, a later verified address, no suggestion for members, delete_pending', async () => {
    const seeded = await seedOrganization(t, { name: `Backfill ${++n}` });
    const name = uniqueDomain();
    // Users with a verified address before the domain suggests anything.
    const early = await signedInUser(t, `early@${name}`);
    const member = await signedInUser(t, `member@${name}`);
    await t.bapi('POST', `/v1/organizations/${seeded.org.id}/memberships`, {
      user_id: member.user.id,
      role: 'org:member',
    });
    const domain = await json(
      await t.bapi('POST', `/v1/organizations/${seeded.org.id}/domains`, {
        name,
        enrollment_mode: 'automatic_suggestion',
        verified: false,
      }),
    );
    expect((await suggestionsOf(early.browser)).total_count).toBe(0);
    // Verified: the back-fill runs.
    const verified = await json(
      await t.bapi('PATCH', `/v1/organizations/${seeded.org.id}/domains/${domain.id}`, { verified: true }),
    );
    expect(verified.total_pending_suggestions).toBe(1);
    expect((await suggestionsOf(early.browser)).data[0]).toMatchObject({
      public_organization_data: { id: seeded.org.id },
    });
    expect((await suggestionsOf(member.browser)).total_count).toBe(0);

    // An address added and verified later.
    const late = await signedInUser(t, `late${++n}@example.com`);
    const added = await json(await late.browser.post('/fapi/v1/me/email_addresses', { email_address: `late@${name}` }));
    await late.browser.post(`/fapi/v1/me/email_addresses/${added.id}/prepare_verification`, { strategy: 'email_code' });
    const code = codeIn(await t.smtp.waitFor(`late@${name}`, { match: isCodeMail }));
    const proven = await late.browser.post(`/fapi/v1/me/email_addresses/${added.id}/attempt_verification`, { code });
    expect(proven.status).toBe(200);
    expect((await suggestionsOf(late.browser)).total_count).toBe(1);
    expect((await domainNow(seeded.org.id, domain.id)).total_pending_suggestions).toBe(2);

    // Switching away with delete_pending removes them; switching back suggests again.
    const off = await json(
      await t.bapi('PATCH', `/v1/organizations/${seeded.org.id}/domains/${domain.id}`, {
        enrollment_mode: 'manual_invitation',
        delete_pending: true,
      }),
    );
    expect(off.total_pending_suggestions).toBe(0);
    expect((await suggestionsOf(early.browser)).total_count).toBe(0);
    const on = await json(
      await t.bapi('PATCH', `/v1/organizations/${seeded.org.id}/domains/${domain.id}`, {
        enrollment_mode: 'automatic_suggestion',
      }),
    );
    expect(on.total_pending_suggestions).toBe(2);
    // Without delete_pending, a mode change keeps them.
    await t.bapi('PATCH', `/v1/organizations/${seeded.org.id}/domains/${domain.id}`, {
      enrollment_mode: 'manual_invitation',
    });
    expect((await suggestionsOf(early.browser)).total_count).toBe(1);
    // A sign-up while the domain only takes invitations gets no suggestion.
    const quiet = await signUp(`quiet@${name}`);
    expect((await suggestionsOf(quiet)).total_count).toBe(0);
  });

  it('the Backend API lists, accepts and rejects; the instance’s domains default role applies', async () => {
    const org = await suggestingOrg();
    const first = await requester(org);
    const second = await requester(org);
    const base = `/v1/organizations/${org.org.id}/membership_requests`;
    const listed = await json(await t.bapi('GET', base));
    expect(listed.total_count).toBe(2);
    expect(listed.data.map((r: { id: string }) => r.id).sort()).toEqual([first.request.id, second.request.id].sort());

    const settings = await t.bapi('PATCH', '/v1/instance/organization_settings', {
      domains_default_role_id: 'org:admin',
    });
    expect(settings.status).toBe(200);
    try {
      const accepted = await t.bapi('POST', `${base}/${first.request.id}/accept`);
      expect(accepted.status).toBe(200);
      expect(await json(accepted)).toMatchObject({ status: 'accepted' });
      const members = await json(await t.bapi('GET', `/v1/organizations/${org.org.id}/memberships?limit=20`));
      const joined = members.data.find(
        (m: { public_user_data: { identifier: string } }) => m.public_user_data.identifier === first.email,
      );
      expect(joined.role).toBe('org:admin');
    } finally {
      await t.bapi('PATCH', '/v1/instance/organization_settings', { domains_default_role_id: 'org:member' });
    }
    const rejected = await t.bapi('POST', `${base}/${second.request.id}/reject`);
    expect(await json(rejected)).toMatchObject({ status: 'rejected' });
    expect(await errorOf(await t.bapi('POST', `${base}/${second.request.id}/reject`))).toMatchObject({
      status: 409,
      code: 'membership_request_not_pending',
    });
    expect((await json(await t.bapi('GET', `${base}?status=accepted&status=rejected`))).total_count).toBe(2);
  });
  it('concurrent decisions: one accept wins, the rest are told; concurrent suggestion accepts make one request', async () => {
    const org = await suggestingOrg();
    const email = `racer${++n}@${org.domainName}`;
    const browser = await signUp(email);
    const [suggestion] = (await suggestionsOf(browser)).data;
    const accepts = await all(6, () => browser.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`));
    expect(accepts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const requests = await requestsOf(org.browser, org.org.id);
    expect(requests.total_count).toBe(1);
    const [request] = requests.data;

    const base = `/fapi/v1/organizations/${org.org.id}/membership_requests/${request.id}`;
    const decisions = await all(6, (i) => org.browser.post(`${base}/${i % 2 ? 'reject' : 'accept'}`));
    const statuses = decisions.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    const [final] = (await requestsOf(org.browser, org.org.id, '?status=accepted&status=rejected')).data;
    const members = (await json(await browser.get('/fapi/v1/me/organization_memberships'))).total_count;
    expect(members).toBe(final.status === 'accepted' ? 1 : 0);
  });

  it('a member already (joined another way) has no pending suggestion and cannot request; managers are mailed in their language', async () => {
    const org = await suggestingOrg({ name: 'Société Acme' });
    await t.bapi('PATCH', `/v1/users/${org.user.id}`, { locale: 'fr-FR' });
    const email = `both${++n}@${org.domainName}`;
    const browser = await signUp(email);
    const [suggestion] = (await suggestionsOf(browser)).data;
    const [me] = await json<{ id: string }[]>(
      await t.bapi('GET', `/v1/users?email_address=${encodeURIComponent(email)}`),
    );
    const joined = await t.bapi('POST', `/v1/organizations/${org.org.id}/memberships`, {
      user_id: me!.id,
      role: 'org:member',
    });
    expect(joined.status).toBe(200);
    expect((await suggestionsOf(browser)).total_count).toBe(0);
    expect((await domainNow(org.org.id, org.domain.id)).total_pending_suggestions).toBe(0);
    expect(
      await errorOf(await browser.post(`/fapi/v1/me/organization_suggestions/${suggestion.id}/accept`)),
    ).toMatchObject({ status: 422, code: 'already_a_member_in_organization' });

    const other = await requester(org);
    expect(other.request).toMatchObject({ status: 'pending' });
    const mail = await t.smtp.waitFor(org.email, { match: (m) => (m.subject ?? '').includes(other.email) });
    expect(mail.subject).toBe(`${other.email} demande à rejoindre Société Acme`);
    expect(mail.html).toContain('lang="fr"');
  });
});
