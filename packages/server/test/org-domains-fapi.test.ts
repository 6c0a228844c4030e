import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, errorOf, signIn } from './support/flows.js';
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
