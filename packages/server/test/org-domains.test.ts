import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all } from './support/flows.js';
import { json, SECRET_KEY, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * Organization domains through the Backend API (issue 14), with `@clerk/backend` as the client:
 * Clerk's fields, the provider lists, the quota, one verified domain of a name per instance, events.
 */

let t: TestRoster;
let clerk: ClerkClient;

beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: await t.roster.listen() });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const uniqueDomain = () => `d${Date.now().toString(36)}${++n}.test`;

async function newOrg() {
  return clerk.organizations.createOrganization({ name: `Org ${++n}` });
}

async function apiError(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (error) {
    if (isClerkAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error('expected a Clerk API error');
}

describe('organization domains (Backend API)', () => {
  it('creates, lists, updates and deletes a domain with Clerk’s fields', async () => {
    const org = await newOrg();
    const name = uniqueDomain();
    const created = await clerk.organizations.createOrganizationDomain({
      organizationId: org.id,
      name: ` ${name.toUpperCase()} `,
      enrollmentMode: 'automatic_invitation',
    });
    // The installed @clerk/backend has no OrganizationDomain class in its factory: it hands back the JSON.
    expect(created).toMatchObject({
      object: 'organization_domain',
      organization_id: org.id,
      name,
      enrollment_mode: 'automatic_invitation',
      total_pending_invitations: 0,
      total_pending_suggestions: 0,
      affiliation_email_address: null,
    });
    expect(created.id).toMatch(/^orgdmn_/);
    expect(created.verification).toMatchObject({ status: 'verified', strategy: 'email_code', attempts: 0 });

    const list = await clerk.organizations.getOrganizationDomainList({ organizationId: org.id });
    expect(list.totalCount).toBe(1);
    expect(list.data[0]!.id).toBe(created.id);

    const updated = await clerk.organizations.updateOrganizationDomain({
      organizationId: org.id,
      domainId: created.id,
      enrollmentMode: 'automatic_suggestion',
    });
    expect(updated).toMatchObject({ enrollment_mode: 'automatic_suggestion' });

    const all_ = await json(await t.bapi('GET', `/v1/organization_domains?organization_id=${org.id}`));
    expect(all_).toMatchObject({ total_count: 1, data: [{ id: created.id, enrollment_mode: 'automatic_suggestion' }] });
    expect(all_.data[0].verification).toEqual({
      status: 'verified',
      strategy: 'email_code',
      attempts: 0,
      expire_at: null,
    });

    const deleted = await clerk.organizations.deleteOrganizationDomain({
      organizationId: org.id,
      domainId: created.id,
    });
    expect(deleted).toMatchObject({ id: created.id });
    expect((await clerk.organizations.getOrganizationDomainList({ organizationId: org.id })).totalCount).toBe(0);

    const types = (
      await t.roster.database.db
        .selectFrom('events')
        .select(['type', 'organization_id'])
        .where('type', 'like', 'organizationDomain.%')
        .where('organization_id', '=', org.id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.type);
    expect(types).toEqual(['organizationDomain.created', 'organizationDomain.updated', 'organizationDomain.deleted']);
  });

  it('an unverified domain has no verification; filters by verified and enrollment mode', async () => {
    const org = await newOrg();
    const unverified = await clerk.organizations.createOrganizationDomain({
      organizationId: org.id,
      name: uniqueDomain(),
      enrollmentMode: 'manual_invitation',
      verified: false,
    });
    expect(unverified.verification).toBeNull();
    await clerk.organizations.createOrganizationDomain({
      organizationId: org.id,
      name: uniqueDomain(),
      enrollmentMode: 'automatic_invitation',
    });
    const only = await json(await t.bapi('GET', `/v1/organizations/${org.id}/domains?verified=false`));
    expect(only).toMatchObject({ total_count: 1, data: [{ id: unverified.id }] });
    const auto = await json(
      await t.bapi('GET', `/v1/organization_domains?enrollment_mode=automatic_invitation&organization_id=${org.id}`),
    );
    expect(auto.total_count).toBe(1);
  });

  it('refuses common and disposable providers and names that are not domains', async () => {
    const org = await newOrg();
    const create = (name: string) =>
      apiError(() =>
        clerk.organizations.createOrganizationDomain({
          organizationId: org.id,
          name,
          enrollmentMode: 'manual_invitation',
        }),
      );
    const common = await create('gmail.com');
    expect(common.status).toBe(422);
    expect(common.errors[0]).toMatchObject({ code: 'organization_domain_common', meta: { paramName: 'name' } });
    expect((await create('outlook.com')).errors[0]!.code).toBe('organization_domain_common');
    expect((await create('mailinator.com')).errors[0]!.code).toBe('organization_domain_blocked');
    expect((await create('eu.mailinator.com')).errors[0]!.code).toBe('organization_domain_blocked');
    const bad = await create('not a domain');
    expect(bad.status).toBe(422);
    expect(bad.errors[0]!.meta?.paramName).toBe('name');
    expect((await clerk.organizations.getOrganizationDomainList({ organizationId: org.id })).totalCount).toBe(0);
  });

  it('one domain of a name per organization, one verified of a name per instance', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    const name = uniqueDomain();
    const mode = 'manual_invitation' as const;
    await clerk.organizations.createOrganizationDomain({ organizationId: a.id, name, enrollmentMode: mode });
    const again = await apiError(() =>
      clerk.organizations.createOrganizationDomain({
        organizationId: a.id,
        name,
        enrollmentMode: mode,
        verified: false,
      }),
    );
    expect(again.errors[0]!.code).toBe('organization_domain_already_exists');
    const elsewhere = await apiError(() =>
      clerk.organizations.createOrganizationDomain({ organizationId: b.id, name, enrollmentMode: mode }),
    );
    expect(elsewhere.errors[0]!.code).toBe('organization_domain_already_exists');
    // Unverified, another organization may claim it; verifying it is then refused.
    const claim = await clerk.organizations.createOrganizationDomain({
      organizationId: b.id,
      name,
      enrollmentMode: mode,
      verified: false,
    });
    const verify = await apiError(() =>
      clerk.organizations.updateOrganizationDomain({ organizationId: b.id, domainId: claim.id, verified: true }),
    );
    expect(verify.errors[0]!.code).toBe('organization_domain_already_exists');
  });

  it('at most 10 domains per organization, even when created at once', async () => {
    const org = await newOrg();
    const results = await all(14, () =>
      t.bapi('POST', `/v1/organizations/${org.id}/domains`, { name: uniqueDomain(), verified: false }),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(4);
    for (const r of refused)
      expect((await json(r)).errors[0]).toMatchObject({ code: 'organization_domain_quota_exceeded' });
    expect(refused[0]!.status).toBe(403);
  });

  it('unknown organization or domain: 404; unknown body fields: 422', async () => {
    const org = await newOrg();
    expect((await t.bapi('POST', '/v1/organizations/org_nope/domains', { name: uniqueDomain() })).status).toBe(404);
    expect((await t.bapi('PATCH', `/v1/organizations/${org.id}/domains/orgdmn_nope`, {})).status).toBe(404);
    expect((await t.bapi('DELETE', `/v1/organizations/${org.id}/domains/orgdmn_nope`)).status).toBe(404);
    const unknown = await t.bapi('POST', `/v1/organizations/${org.id}/domains`, { name: uniqueDomain(), color: 'red' });
    expect(unknown.status).toBe(422);
  });
});
