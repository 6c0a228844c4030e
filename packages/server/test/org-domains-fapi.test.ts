import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, createUser, errorOf, invited, mailedUrl, signIn, ticketOf } from './support/flows.js';
import { type Browser, json, startTestRoster, type TestRoster } from './support/harness.js';
import { codeIn } from './support/smtp.js';

/**
 * Organization domains through the Frontend API (issue 14, contract "Domains"): create, list, get,
 * delete, affiliation proved by a mailed code (followed from the real SMTP receiver), automatic
 * verification for an admin holding a verified address on the domain, permissions, and a stable
 * code for every bad input.
 */

let t: TestRoster;
beforeAll(async () => {
  // Many sign-ins from one address: the limits have their own tests.
  t = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' } });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
/** A fresh `.test` domain per test (one verified domain of a name per instance). */
const uniqueDomain = (stem = 'acme') => `${stem}${Date.now().toString(36)}${++n}.test`;

/** A user created with the secret key, an organization they admin, and their signed-in browser. */
async function adminOf(email = `admin${++n}@example.com`) {
  const user = await createUser(t, email);
  const org = await json(await t.bapi('POST', '/v1/organizations', { name: `Org ${n}`, created_by: user.id }));
  return { user, org, email, browser: await signIn(t, email) };
}

/** A member of `orgId` with `role`, signed in. */
async function memberOf(orgId: string, role: string, email = `member${++n}@example.com`) {
  const user = await createUser(t, email);
  const res = await t.bapi('POST', `/v1/organizations/${orgId}/memberships`, { user_id: user.id, role });
  expect(res.status).toBe(200);
  return { user, email, browser: await signIn(t, email) };
}

const domainsPath = (orgId: string) => `/fapi/v1/organizations/${orgId}/domains`;

async function createDomain(browser: Browser, orgId: string, name: string) {
  const res = await browser.post(domainsPath(orgId), { name });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}

/** Mails the affiliation code to `address` and returns it, read from the received mail. */
async function prepare(browser: Browser, orgId: string, domainId: string, address: string) {
  const before = t.smtp.messages.length;
  const res = await browser.post(`${domainsPath(orgId)}/${domainId}/prepare_affiliation_verification`, {
    affiliation_email_address: address,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const mail = await t.smtp.waitFor(address.toLowerCase(), {
    match: (m) => m.subject === 'Your domain verification code' && t.smtp.messages.indexOf(m) >= before,
  });
  return { domain: await json(res), code: codeIn(mail), mail };
}

describe('Frontend API domains: affiliation by emailed code', () => {
  it('create → prepare → wrong code → right code → verified, with Clerk’s fields', async () => {
    const { org, browser } = await adminOf();
    const name = uniqueDomain();
    const created = await createDomain(browser, org.id, ` ${name.toUpperCase()} `);
    expect(created).toMatchObject({
      object: 'organization_domain',
      organization_id: org.id,
      name,
      enrollment_mode: 'manual_invitation',
      affiliation_email_address: null,
      verification: null,
      total_pending_invitations: 0,
      total_pending_suggestions: 0,
    });
    expect(created.id).toMatch(/^orgdmn_/);

    const { domain, code, mail } = await prepare(browser, org.id, created.id, `Ada@${name}`);
    expect(domain.affiliation_email_address).toBe(`Ada@${name}`);
    expect(domain.verification).toMatchObject({ status: 'unverified', strategy: 'email_code', attempts: 0 });
    expect(domain.verification.expire_at).toBeGreaterThan(Date.now());
    expect(mail.text).toContain(name);
    expect(mail.subject).not.toContain(code);

    const attempt = (c: string) =>
      browser.post(`${domainsPath(org.id)}/${created.id}/attempt_affiliation_verification`, { code: c });
    const wrong = await attempt(code === '000000' ? '111111' : '000000');
    expect(await errorOf(wrong)).toMatchObject({
      status: 422,
      code: 'form_code_incorrect',
      meta: { param_name: 'code', attempts_remaining: 4 },
    });
    const right = await attempt(code);
    expect(right.status).toBe(200);
    const verified = await json(right);
    expect(verified.verification).toMatchObject({ status: 'verified', strategy: 'email_code', attempts: 2 });
    expect(verified.affiliation_email_address).toBe(`Ada@${name}`);

    // It reads back the same on both APIs, and it is now the instance's verified domain of that name.
    const got = await json(await browser.get(`${domainsPath(org.id)}/${created.id}`));
    expect(got.verification.status).toBe('verified');
    const bapi = await json(await t.bapi('GET', `/v1/organizations/${org.id}/domains`));
    expect(bapi.data.find((d: { id: string }) => d.id === created.id)?.verification.status).toBe('verified');
    expect(await errorOf(await attempt(code))).toMatchObject({ code: 'organization_domain_already_verified' });

    // Another organization may claim the name, but cannot prove it too.
    const other = await adminOf();
    const theirs = await createDomain(other.browser, other.org.id, name);
    const second = await prepare(other.browser, other.org.id, theirs.id, `bob@${name}`);
    const refused = await other.browser.post(
      `${domainsPath(other.org.id)}/${theirs.id}/attempt_affiliation_verification`,
      { code: second.code },
    );
    expect(await errorOf(refused)).toMatchObject({ code: 'organization_domain_already_exists' });
  });

  it('five tries per code, an expired code, a new code gives the tries back', async () => {
    const { org, browser } = await adminOf();
    const name = uniqueDomain();
    const created = await createDomain(browser, org.id, name);
    const attempt = (c: string) =>
      browser.post(`${domainsPath(org.id)}/${created.id}/attempt_affiliation_verification`, { code: c });
    expect(await errorOf(await attempt('123456'))).toMatchObject({ code: 'verification_not_found' });

    const first = await prepare(browser, org.id, created.id, `ada@${name}`);
    const wrongCode = first.code === '000000' ? '111111' : '000000';
    for (let i = 4; i >= 0; i--) {
      expect(await errorOf(await attempt(wrongCode))).toMatchObject({ meta: { attempts_remaining: i } });
    }
    // Five tries spent: even the right code is refused.
    expect(await errorOf(await attempt(first.code))).toMatchObject({ code: 'verification_expired' });

    const second = await prepare(browser, org.id, created.id, `ada@${name}`);
    expect(second.domain.verification.attempts).toBe(0);
    t.clock.advance(11 * 60_000);
    expect(await errorOf(await attempt(second.code))).toMatchObject({ code: 'verification_expired' });

    const third = await prepare(browser, org.id, created.id, `ada@${name}`);
    expect((await attempt(third.code)).status).toBe(200);
  });

  it('parallel guesses share the five tries', async () => {
    const { org, browser } = await adminOf();
    const name = uniqueDomain();
    const created = await createDomain(browser, org.id, name);
    const { code } = await prepare(browser, org.id, created.id, `ada@${name}`);
    const wrongCode = code === '000000' ? '111111' : '000000';
    const answers = await all(8, () =>
      browser.post(`${domainsPath(org.id)}/${created.id}/attempt_affiliation_verification`, { code: wrongCode }),
    );
    const codes = await Promise.all(answers.map(async (r) => (await errorOf(r)).code));
    expect(codes.filter((c) => c === 'form_code_incorrect')).toHaveLength(5);
    expect(codes.filter((c) => c === 'verification_expired')).toHaveLength(3);
  });

  it('a test domain such as acme.test can be claimed and proved (the e2e journeys use it)', async () => {
    const { org, browser } = await adminOf();
    const created = await createDomain(browser, org.id, 'acme.test');
    const { code } = await prepare(browser, org.id, created.id, 'ada@acme.test');
    const verified = await browser.post(`${domainsPath(org.id)}/${created.id}/attempt_affiliation_verification`, {
      code,
    });
    expect((await json(verified)).verification.status).toBe('verified');
    // Released for whoever else needs the name in this file.
    expect((await browser.delete(`${domainsPath(org.id)}/${created.id}`)).status).toBe(200);
  });

  it('the affiliation address must be on the domain itself', async () => {
    const { org, browser } = await adminOf();
    const name = uniqueDomain();
    const created = await createDomain(browser, org.id, name);
    for (const address of [`ada@sub.${name}`, `ada@${name}.evil.com`, 'ada@example.com']) {
      const res = await browser.post(`${domainsPath(org.id)}/${created.id}/prepare_affiliation_verification`, {
        affiliation_email_address: address,
      });
      expect(await errorOf(res)).toMatchObject({
        status: 422,
        code: 'organization_domain_email_mismatch',
        meta: { param_name: 'affiliation_email_address' },
      });
    }
  });

  it('an admin who already holds a verified address on the domain gets it verified at once', async () => {
    const name = uniqueDomain('auto');
    const { org, browser, email } = await adminOf(`boss@${name}`);
    const created = await createDomain(browser, org.id, name);
    expect(created.affiliation_email_address).toBe(email);
    expect(created.verification).toMatchObject({ status: 'verified', strategy: 'email_code' });
    // An unrelated domain stays unverified.
    expect((await createDomain(browser, org.id, uniqueDomain())).verification).toBeNull();
  });
});

describe('Frontend API domains: list, get, update, delete and who may', () => {
  it('lists with filters and pages; updates the mode; deletes', async () => {
    const { org, browser } = await adminOf();
    const a = await createDomain(browser, org.id, uniqueDomain());
    const b = await createDomain(browser, org.id, uniqueDomain());
    const list = await json(await browser.get(`${domainsPath(org.id)}?limit=1`));
    expect(list.total_count).toBe(2);
    expect(list.data.map((d: { id: string }) => d.id)).toEqual([b.id]);
    const page2 = await json(await browser.get(`${domainsPath(org.id)}?limit=1&offset=1`));
    expect(page2.data.map((d: { id: string }) => d.id)).toEqual([a.id]);

    const updated = await browser.post(`${domainsPath(org.id)}/${a.id}/update_enrollment_mode`, {
      enrollment_mode: 'automatic_invitation',
    });
    expect(updated.status).toBe(200);
    expect((await json(updated)).enrollment_mode).toBe('automatic_invitation');
    const filtered = await json(await browser.get(`${domainsPath(org.id)}?enrollment_mode=automatic_invitation`));
    expect(filtered.data.map((d: { id: string }) => d.id)).toEqual([a.id]);
    expect((await json(await browser.get(`${domainsPath(org.id)}?verified=true`))).total_count).toBe(0);

    const deleted = await browser.delete(`${domainsPath(org.id)}/${a.id}`);
    expect(await json(deleted)).toEqual({ object: 'organization_domain', id: a.id, deleted: true });
    expect(await errorOf(await browser.get(`${domainsPath(org.id)}/${a.id}`))).toMatchObject({
      status: 404,
      code: 'resource_not_found',
    });
    expect((await json(await browser.get(domainsPath(org.id)))).total_count).toBe(1);
  });

  it('readers read, only managers write, outsiders and signed-out callers get nothing', async () => {
    const { org, browser } = await adminOf();
    const domain = await createDomain(browser, org.id, uniqueDomain());
    const role = await t.bapi('POST', '/v1/organization_roles', {
      name: 'Domain reader',
      key: `org:domain_reader${n}`,
      permissions: ['org:sys_domains:read', 'org:sys_memberships:read'],
    });
    expect(role.status).toBe(200);
    const reader = await memberOf(org.id, `org:domain_reader${n}`);
    const member = await memberOf(org.id, 'org:member');
    const outsider = await adminOf();
    const one = `${domainsPath(org.id)}/${domain.id}`;

    expect((await reader.browser.get(domainsPath(org.id))).status).toBe(200);
    expect((await reader.browser.get(one)).status).toBe(200);
    const writes = (b: Browser) => [
      b.post(domainsPath(org.id), { name: uniqueDomain() }),
      b.post(`${one}/prepare_affiliation_verification`, { affiliation_email_address: `x@${domain.name}` }),
      b.post(`${one}/attempt_affiliation_verification`, { code: '123456' }),
      b.post(`${one}/update_enrollment_mode`, { enrollment_mode: 'automatic_invitation' }),
      b.delete(one),
    ];
    for (const res of await Promise.all(writes(reader.browser))) {
      expect(await errorOf(res)).toMatchObject({ status: 403, code: 'authorization_invalid' });
    }
    for (const res of await Promise.all([member.browser.get(domainsPath(org.id)), member.browser.get(one)])) {
      expect(await errorOf(res)).toMatchObject({ status: 403, code: 'authorization_invalid' });
    }
    for (const res of await Promise.all([outsider.browser.get(one), ...writes(outsider.browser)])) {
      expect(await errorOf(res)).toMatchObject({ status: 403, code: 'not_a_member_in_organization' });
    }
    const anonymous = t.browser();
    expect(await errorOf(await anonymous.get(domainsPath(org.id)))).toMatchObject({ status: 401 });
    expect(await errorOf(await anonymous.post(domainsPath(org.id), { name: uniqueDomain() }))).toMatchObject({
      status: 401,
    });
    // The domain is untouched.
    expect(await json(await browser.get(one))).toMatchObject({ enrollment_mode: 'manual_invitation' });
  });

  it('every bad input is a stable code, never a 500', async () => {
    const { org, browser } = await adminOf();
    const domain = await createDomain(browser, org.id, uniqueDomain());
    const one = `${domainsPath(org.id)}/${domain.id}`;
    const cases: [Promise<Response>, string, number][] = [
      [browser.post(domainsPath(org.id), {}), 'form_param_missing', 422],
      [browser.post(domainsPath(org.id), { name: 'not a domain' }), 'form_param_format_invalid', 422],
      [browser.post(domainsPath(org.id), { name: 'gmail.com' }), 'organization_domain_common', 422],
      [browser.post(domainsPath(org.id), { name: 'mailinator.com' }), 'organization_domain_blocked', 422],
      [browser.post(domainsPath(org.id), { name: domain.name }), 'organization_domain_already_exists', 422],
      [browser.post(domainsPath(org.id), { name: 'x.test', extra: 1 }), 'form_param_unknown', 422],
      [browser.post(domainsPath(org.id), { name: 42 }), 'form_param_format_invalid', 422],
      [browser.post(`${one}/prepare_affiliation_verification`, {}), 'form_param_missing', 422],
      [
        browser.post(`${one}/prepare_affiliation_verification`, { affiliation_email_address: 'nope' }),
        'form_param_format_invalid',
        422,
      ],
      [browser.post(`${one}/attempt_affiliation_verification`, {}), 'form_param_missing', 422],
      [browser.post(`${one}/attempt_affiliation_verification`, { code: '1' }), 'form_param_format_invalid', 422],
      // zod reports a missing enum as a bad value.
      [browser.post(`${one}/update_enrollment_mode`, {}), 'form_param_format_invalid', 422],
      [browser.post(`${one}/update_enrollment_mode`, { enrollment_mode: 'sso' }), 'form_param_format_invalid', 422],
      [
        browser.post(`${one}/update_enrollment_mode`, {
          enrollment_mode: 'automatic_invitation',
          delete_pending: 'yes',
        }),
        'form_param_format_invalid',
        422,
      ],
      [browser.get(`${domainsPath(org.id)}?limit=0`), 'form_param_format_invalid', 422],
      [browser.get(`${domainsPath(org.id)}?verified=maybe`), 'form_param_format_invalid', 422],
      [browser.get(`${domainsPath(org.id)}?enrollment_mode=x`), 'form_param_format_invalid', 422],
      [browser.get(`${domainsPath(org.id)}/orgdmn_missing`), 'resource_not_found', 404],
      [browser.get(`${domainsPath(org.id)}/${'x'.repeat(300)}`), 'resource_not_found', 404],
      [browser.delete(`${domainsPath(org.id)}/orgdmn_missing`), 'resource_not_found', 404],
      [
        browser.post(`${domainsPath(org.id)}/orgdmn_missing/update_enrollment_mode`, {
          enrollment_mode: 'manual_invitation',
        }),
        'resource_not_found',
        404,
      ],
      [browser.get(domainsPath('org_missing')), 'organization_not_found', 404],
      [
        browser.fetch('POST', domainsPath(org.id), { headers: { 'content-type': 'application/json' } }),
        'form_param_missing',
        422,
      ],
    ];
    for (const [i, [pending, code, status]] of cases.entries()) {
      expect(await errorOf(await pending), `case ${i}`).toMatchObject({ code, status });
    }
    // A broken JSON body and a non-JSON one.
    const broken = await browser.fetch('POST', domainsPath(org.id), {
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBeLessThan(500);
  });

  it('at most 10 domains per organization; domains turned off in the settings refuse new ones', async () => {
    const { org, browser } = await adminOf();
    for (let i = 0; i < 10; i++) await createDomain(browser, org.id, uniqueDomain());
    expect(await errorOf(await browser.post(domainsPath(org.id), { name: uniqueDomain() }))).toMatchObject({
      status: 403,
      code: 'organization_domain_quota_exceeded',
    });

    const other = await adminOf();
    const patched = await t.bapi('PATCH', '/v1/instance/organization_settings', { domains_enabled: false });
    expect(patched.status).toBe(200);
    try {
      expect(
        await errorOf(await other.browser.post(domainsPath(other.org.id), { name: uniqueDomain() })),
      ).toMatchObject({ status: 403, code: 'organization_domains_disabled' });
    } finally {
      await t.bapi('PATCH', '/v1/instance/organization_settings', { domains_enabled: true });
    }
  });
});

/** A domain of `orgId` created verified by the secret key, in `mode`. */
async function verifiedDomain(orgId: string, name: string, mode = 'automatic_invitation') {
  const res = await t.bapi('POST', `/v1/organizations/${orgId}/domains`, { name, enrollment_mode: mode });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}

/** Signs a new person up with the Frontend API, following the mailed code. */
async function signUp(email: string) {
  const browser = t.browser();
  const before = t.smtp.messages.length;
  const started = await browser.post('/fapi/v1/client/sign_ups', {
    email_address: email,
    password: 'a long enough password',
  });
  expect(started.status, await started.clone().text()).toBe(200);
  const mail = await t.smtp.waitFor(email, {
    match: (m) => m.subject === 'Your verification code' && t.smtp.messages.indexOf(m) >= before,
  });
  const done = await browser.post('/fapi/v1/client/sign_ups/verify', { code: codeIn(mail) });
  expect(done.status, await done.clone().text()).toBe(200);
  return { browser, user: (await json(done)).user };
}

const pendingOf = async (browser: Browser) =>
  (await json(await browser.get('/fapi/v1/me/organization_invitations'))).data;

async function pendingCount(admin: Browser, orgId: string, domainId: string) {
  return (await json(await admin.get(`${domainsPath(orgId)}/${domainId}`))).total_pending_invitations;
}

describe('automatic invitations from a verified domain', () => {
  it('a sign-up with an address on the domain gets a pending invitation, mailed, shown and accepted', async () => {
    const { org, browser: admin } = await adminOf();
    const name = uniqueDomain();
    const domain = await verifiedDomain(org.id, name);
    const { browser, user } = await signUp(`new@${name}`);

    const pending = await pendingOf(browser);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      object: 'organization_invitation',
      status: 'pending',
      role: 'org:member',
      public_organization_data: { id: org.id },
    });
    const mail = await t.smtp.waitFor(`new@${name}`, { match: (m) => m.messageId === `<${pending[0].id}@roster>` });
    expect(mail.subject).toBe(`You're invited to join ${org.name}`);
    expect(await pendingCount(admin, org.id, domain.id)).toBe(1);
    const bapi = await json(await t.bapi('GET', `/v1/organizations/${org.id}/domains`));
    expect(bapi.data[0].total_pending_invitations).toBe(1);

    const joined = await browser.post(`/fapi/v1/me/organization_invitations/${pending[0].id}/accept`);
    expect(joined.status, await joined.clone().text()).toBe(200);
    const members = await json(await t.bapi('GET', `/v1/organizations/${org.id}/memberships`));
    expect(
      members.data.find((m: { public_user_data: { user_id: string } }) => m.public_user_data.user_id === user.id),
    ).toMatchObject({ role: 'org:member' });
    expect(await pendingCount(admin, org.id, domain.id)).toBe(0);
  });

  it('an address verified later gets one; members and addresses already invited do not; other modes make none', async () => {
    const { org, browser: admin } = await adminOf();
    const name = uniqueDomain();
    const domain = await verifiedDomain(org.id, name);

    // An account adds an address on the domain and proves it by the mailed code.
    const someone = await createUser(t, `someone${++n}@example.com`);
    const browser = await signIn(t, someone.email_addresses[0].email_address);
    const added = await json(await browser.post('/fapi/v1/me/email_addresses', { email_address: `later@${name}` }));
    const before = t.smtp.messages.length;
    await browser.post(`/fapi/v1/me/email_addresses/${added.id}/prepare_verification`, { strategy: 'email_code' });
    const code = codeIn(
      await t.smtp.waitFor(`later@${name}`, {
        match: (m) => m.subject === 'Your verification code' && t.smtp.messages.indexOf(m) >= before,
      }),
    );
    expect(await pendingOf(browser)).toHaveLength(0);
    const proved = await browser.post(`/fapi/v1/me/email_addresses/${added.id}/attempt_verification`, { code });
    expect(proved.status).toBe(200);
    expect(
      (await pendingOf(browser)).map(
        (i: { public_organization_data: { id: string } }) => i.public_organization_data.id,
      ),
    ).toEqual([org.id]);

    // Invited by hand first: the domain adds no second invitation.
    const manual = await invited(t, org.id, `invited@${name}`);
    await createUser(t, `invited@${name}`);
    const invitations = await json(
      await t.bapi('GET', `/v1/organizations/${org.id}/invitations?status=pending&limit=50`),
    );
    expect(
      invitations.data
        .filter((i: { email_address: string }) => i.email_address === `invited@${name}`)
        .map((i: { id: string }) => i.id),
    ).toEqual([manual.id]);

    // A member who proves an address on the domain is not invited to where they already are.
    const member = await memberOf(org.id, 'org:member');
    const memberUser = await json(await t.bapi('GET', `/v1/users/${member.user.id}`));
    expect(memberUser.id).toBe(member.user.id);
    const addedByKey = await t.bapi('POST', '/v1/email_addresses', {
      user_id: member.user.id,
      email_address: `member@${name}`,
      verified: true,
    });
    expect(addedByKey.status, await addedByKey.clone().text()).toBe(200);
    expect(await pendingOf(member.browser)).toHaveLength(0);
    // Created by the secret key with an address on the domain: invited.
    const byKey = await createUser(t, `bykey@${name}`);
    const byKeyBrowser = await signIn(t, `bykey@${name}`);
    expect(await pendingOf(byKeyBrowser)).toHaveLength(1);
    expect(byKey.id).toMatch(/^user_/);
    expect(await pendingCount(admin, org.id, domain.id)).toBe(2);

    // Suggestion and manual modes invite nobody.
    for (const mode of ['manual_invitation', 'automatic_suggestion']) {
      const other = await adminOf();
      const otherName = uniqueDomain();
      await verifiedDomain(other.org.id, otherName, mode);
      const { browser: fresh } = await signUp(`x@${otherName}`);
      expect(await pendingOf(fresh)).toHaveLength(0);
    }
  });

  it('back-fill: a domain verified by affiliation, or switched to automatic_invitation, invites who is already there', async () => {
    const { org, browser: admin } = await adminOf();
    const name = uniqueDomain();
    const [a, b] = [await createUser(t, `a@${name}`), await createUser(t, `b@${name}`)];
    const member = await createUser(t, `m@${name}`);
    await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' });

    // The mode first (unverified: nobody yet), then the proof: the back-fill runs on verification.
    const domain = await createDomain(admin, org.id, name);
    const mode = await admin.post(`${domainsPath(org.id)}/${domain.id}/update_enrollment_mode`, {
      enrollment_mode: 'automatic_invitation',
    });
    expect((await json(mode)).total_pending_invitations).toBe(0);
    const { code } = await prepare(admin, org.id, domain.id, `boss@${name}`);
    const verified = await admin.post(`${domainsPath(org.id)}/${domain.id}/attempt_affiliation_verification`, { code });
    expect((await json(verified)).total_pending_invitations).toBe(2);
    const pending = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations?status=pending`));
    expect(pending.data.map((i: { email_address: string }) => i.email_address).sort()).toEqual([
      `a@${name}`,
      `b@${name}`,
    ]);
    expect(a.id).not.toBe(b.id);

    // A verified domain switched from manual to automatic_invitation back-fills too.
    const other = await adminOf();
    const otherName = uniqueDomain();
    const c = await createUser(t, `c@${otherName}`);
    const manual = await verifiedDomain(other.org.id, otherName, 'manual_invitation');
    expect(await pendingOf(await signIn(t, `c@${otherName}`))).toHaveLength(0);
    const switched = await other.browser.post(`${domainsPath(other.org.id)}/${manual.id}/update_enrollment_mode`, {
      enrollment_mode: 'automatic_invitation',
    });
    expect((await json(switched)).total_pending_invitations).toBe(1);
    expect(c.id).toMatch(/^user_/);
    // Switching again to the same mode invites nobody twice.
    const again = await other.browser.post(`${domainsPath(other.org.id)}/${manual.id}/update_enrollment_mode`, {
      enrollment_mode: 'automatic_invitation',
    });
    expect((await json(again)).total_pending_invitations).toBe(1);
  });

  it('the Backend API marking a domain verified back-fills; a full organization invites no one and the sign-up stands', async () => {
    const { org, browser: admin } = await adminOf();
    const name = uniqueDomain();
    await createUser(t, `early@${name}`);
    const unverified = await json(
      await t.bapi('POST', `/v1/organizations/${org.id}/domains`, {
        name,
        enrollment_mode: 'automatic_invitation',
        verified: false,
      }),
    );
    expect(unverified.total_pending_invitations).toBe(0);
    const patched = await t.bapi('PATCH', `/v1/organizations/${org.id}/domains/${unverified.id}`, { verified: true });
    expect((await json(patched)).total_pending_invitations).toBe(1);
    expect(await pendingCount(admin, org.id, unverified.id)).toBe(1);

    // One seat, taken by its admin: the domain's invitation is refused, the account is made anyway.
    const full = await createUser(t, `solo${++n}@example.com`);
    const fullOrg = await json(
      await t.bapi('POST', '/v1/organizations', { name: 'Full', created_by: full.id, max_allowed_memberships: 1 }),
    );
    const fullName = uniqueDomain();
    await verifiedDomain(fullOrg.id, fullName);
    const { browser } = await signUp(`late@${fullName}`);
    expect(await pendingOf(browser)).toHaveLength(0);
  });

  it('delete_pending and removing the domain revoke what it made: their links stop working, hand-made ones stay', async () => {
    const { org, browser: admin } = await adminOf();
    const name = uniqueDomain();
    const domain = await verifiedDomain(org.id, name);
    const { browser: joiner } = await signUp(`one@${name}`);
    const [auto] = await pendingOf(joiner);
    const link = await mailedUrl(t, { id: auto.id, email_address: `one@${name}` });
    const manual = await invited(t, org.id, `hand@${name}`);

    // Changing the mode alone keeps them.
    const kept = await admin.post(`${domainsPath(org.id)}/${domain.id}/update_enrollment_mode`, {
      enrollment_mode: 'manual_invitation',
    });
    expect((await json(kept)).total_pending_invitations).toBe(1);
    const removed = await admin.post(`${domainsPath(org.id)}/${domain.id}/update_enrollment_mode`, {
      enrollment_mode: 'manual_invitation',
      delete_pending: true,
    });
    expect((await json(removed)).total_pending_invitations).toBe(0);
    expect(await pendingOf(joiner)).toHaveLength(0);
    const now = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${auto.id}`));
    expect(now.status).toBe('revoked');
    const byLink = await joiner.post('/fapi/v1/tickets/accept', { ticket: ticketOf(link) });
    expect(await errorOf(byLink)).toMatchObject({ code: 'invitation_revoked' });
    const direct = await joiner.post(`/fapi/v1/me/organization_invitations/${auto.id}/accept`);
    expect((await errorOf(direct)).status).toBeGreaterThanOrEqual(400);
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${manual.id}`))).status).toBe(
      'pending',
    );

    // Back to automatic: a new person is invited; removing the domain revokes that one too.
    await admin.post(`${domainsPath(org.id)}/${domain.id}/update_enrollment_mode`, {
      enrollment_mode: 'automatic_invitation',
    });
    const { browser: second } = await signUp(`two@${name}`);
    const [secondInvitation] = await pendingOf(second);
    expect(secondInvitation).toBeDefined();
    const deleted = await admin.delete(`${domainsPath(org.id)}/${domain.id}`);
    expect(deleted.status).toBe(200);
    expect(await pendingOf(second)).toHaveLength(0);
    expect(
      (await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${secondInvitation.id}`))).status,
    ).toBe('revoked');
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${manual.id}`))).status).toBe(
      'pending',
    );
    // The revocations are in the audit trail as invitation events, the mode changes as domain events.
    const events = await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?limit=100`));
    const types = events.data.map((e: { type: string }) => e.type);
    expect(types).toContain('organizationInvitation.revoked');
    expect(types).toContain('organizationDomain.updated');
    expect(types).toContain('organizationDomain.deleted');
  });
});
