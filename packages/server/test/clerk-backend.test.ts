import { type ClerkClient, createClerkClient, type OrganizationInvitation } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedUrl, ticketOf } from './support/flows.js';
import { json, SECRET_KEY, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * Backend API compatibility, proven with Clerk's own client: `@clerk/backend` talks to a Roster
 * listening on a real port, and every call must come back as the resource class Clerk would build.
 * Each test that changes the shared server's clock puts it back.
 */

const DAY_MS = 86_400_000;

let t: TestRoster;
let url: string;
let clerk: ClerkClient;

beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  url = await t.roster.listen();
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: url });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}@example.com`;

async function newUser(first = 'Ada') {
  return clerk.users.createUser({
    emailAddress: [unique(first.toLowerCase())],
    password: 'correct horse battery staple',
    firstName: first,
    lastName: 'Tester',
  });
}

async function newOrg(options: { maxAllowedMemberships?: number } = {}) {
  const admin = await newUser('Admin');
  const org = await clerk.organizations.createOrganization({
    name: `Org ${++n}`,
    createdBy: admin.id,
    ...options,
  });
  return { admin, org };
}

/** The resource class the client built (its bundler prefixes class names with `_`). */
const kind = (resource: unknown) => (resource as object).constructor.name.replace(/^_+/, '');

/** Runs `fn` and returns the Clerk API error it throws (failing the test if it does not throw one). */
async function apiError(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (error) {
    if (isClerkAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ClerkAPIResponseError');
}

describe('users through @clerk/backend', () => {
  it('creates, gets, lists with an email filter (with totalCount) and deletes a user', async () => {
    const email = unique('grace');
    const user = await clerk.users.createUser({
      emailAddress: [email],
      password: 'correct horse battery staple',
      firstName: 'Grace',
      lastName: 'Hopper',
      publicMetadata: { plan: 'pro', nestedKey: { camelCase: true } },
      privateMetadata: { internalId: 7 },
    });
    expect(kind(user)).toBe('User');
    expect(user.id).toMatch(/^user_/);
    expect(user.firstName).toBe('Grace');
    expect(user.fullName).toBe('Grace Hopper');
    expect(user.passwordEnabled).toBe(true);
    expect(user.primaryEmailAddress?.emailAddress).toBe(email);
    expect(user.emailAddresses[0]?.verification?.status).toBe('verified');
    expect(user.publicMetadata).toEqual({ plan: 'pro', nestedKey: { camelCase: true } });
    expect(user.privateMetadata).toEqual({ internalId: 7 });
    expect(typeof user.createdAt).toBe('number');

    const fetched = await clerk.users.getUser(user.id);
    expect(fetched.id).toBe(user.id);
    expect(fetched.primaryEmailAddressId).toBe(user.primaryEmailAddressId);

    const other = await newUser('Other');
    const list = await clerk.users.getUserList({ emailAddress: [email, other.primaryEmailAddress!.emailAddress] });
    expect(list.totalCount).toBe(2);
    expect(list.data.map((u) => u.id).sort()).toEqual([user.id, other.id].sort());
    expect(kind(list.data[0])).toBe('User');

    const one = await clerk.users.getUserList({ emailAddress: [email.toUpperCase()] });
    expect(one).toMatchObject({ totalCount: 1, data: [{ id: user.id }] });

    const paged = await clerk.users.getUserList({ limit: 1, offset: 1, userId: [user.id, other.id] });
    expect(paged.totalCount).toBe(2);
    expect(paged.data).toHaveLength(1);

    const deleted = await clerk.users.deleteUser(user.id);
    expect(kind(deleted)).toBe('DeletedObject');
    expect(deleted).toMatchObject({ object: 'user', id: user.id, deleted: true });

    const gone = await apiError(() => clerk.users.getUser(user.id));
    expect(gone.status).toBe(404);
    expect((await clerk.users.getUserList({ emailAddress: [email] })).totalCount).toBe(0);
  });

  it('a taken email address is a 422 form_identifier_exists', async () => {
    const user = await newUser();
    const error = await apiError(() =>
      clerk.users.createUser({
        emailAddress: [user.primaryEmailAddress!.emailAddress.toUpperCase()],
        password: 'correct horse battery staple',
      }),
    );
    expect(error.status).toBe(422);
    expect(error.errors[0]?.code).toBe('form_identifier_exists');
  });

  it('refuses Clerk parameters Roster does not implement instead of ignoring them', async () => {
    // Ignoring a filter would widen the result; ignoring a field would store a different user.
    const query = await apiError(() => clerk.users.getUserList({ phoneNumber: ['+15555550100'] }));
    expect(query.status).toBe(422);
    expect(query.errors[0]).toMatchObject({ code: 'form_param_unknown', meta: { paramName: 'phone_number' } });
    const count = await apiError(() => clerk.users.getUserList({ web3Wallet: ['0x1'] }));
    expect(count.errors.map((e) => e.meta?.paramName)).toContain('web3_wallet');
    const externalId = await apiError(() =>
      clerk.users.createUser({
        emailAddress: [unique('ext')],
        password: 'correct horse battery staple',
        phoneNumber: ['+15555550100'],
      }),
    );
    expect(externalId.status).toBe(422);
    expect(externalId.errors[0]).toMatchObject({ code: 'form_param_unknown', meta: { paramName: 'phone_number' } });

    // The default order is accepted; another order is refused.
    expect((await clerk.users.getUserList({ orderBy: '-created_at', limit: 1 })).data).toHaveLength(1);
    const order = await apiError(() => clerk.users.getUserList({ orderBy: 'phone_number' }));
    expect(order.status).toBe(422);
    expect(order.errors[0]?.meta?.paramName).toBe('order_by');
    // Flags with nothing to do are accepted.
    const skipped = await clerk.users.createUser({
      emailAddress: [unique('skip')],
      password: 'correct horse battery staple',
      skipPasswordChecks: true,
      skipLegalChecks: true,
    });
    expect(skipped.id).toMatch(/^user_/);
  });

  it("lists a user's organization memberships", async () => {
    const { admin, org } = await newOrg();
    const second = await clerk.organizations.createOrganization({ name: 'Second', createdBy: admin.id });
    const page = await clerk.users.getOrganizationMembershipList({ userId: admin.id });
    expect(page.totalCount).toBe(2);
    expect(page.data.map((m) => m.organization.id).sort()).toEqual([org.id, second.id].sort());
    expect(kind(page.data[0])).toBe('OrganizationMembership');
    expect(page.data[0]?.publicUserData?.userId).toBe(admin.id);

    const limited = await clerk.users.getOrganizationMembershipList({ userId: admin.id, limit: 1, offset: 1 });
    expect(limited.totalCount).toBe(2);
    expect(limited.data).toHaveLength(1);
  });
});

describe('organizations through @clerk/backend', () => {
  it('creates an organization whose creator is its admin', async () => {
    const admin = await newUser('Founder');
    const org = await clerk.organizations.createOrganization({
      name: 'Acme Rockets',
      slug: `acme-${n++}`,
      createdBy: admin.id,
      maxAllowedMemberships: 25,
      publicMetadata: { tier: 'gold' },
      privateMetadata: { billingId: 'b_1' },
    });
    expect(kind(org)).toBe('Organization');
    expect(org.id).toMatch(/^org_/);
    expect(org.name).toBe('Acme Rockets');
    expect(org.createdBy).toBe(admin.id);
    expect(org.membersCount).toBe(1);
    expect(org.maxAllowedMemberships).toBe(25);
    expect(org.publicMetadata).toEqual({ tier: 'gold' });
    expect(org.privateMetadata).toEqual({ billingId: 'b_1' });
    expect(org.imageUrl).toBe('');

    const members = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    expect(members.totalCount).toBe(1);
    expect(members.data[0]).toMatchObject({ role: 'org:admin', publicUserData: { userId: admin.id } });
  });

  it('gets an organization by id and by slug', async () => {
    const { org } = await newOrg();
    const byId = await clerk.organizations.getOrganization({ organizationId: org.id });
    expect(byId).toMatchObject({ id: org.id, slug: org.slug, name: org.name });
    const bySlug = await clerk.organizations.getOrganization({ slug: org.slug, includeMembersCount: true });
    expect(bySlug).toMatchObject({ id: org.id, membersCount: 1 });
  });

  it('lists organizations with totalCount and a query', async () => {
    const admin = await newUser();
    const marker = `Zeta${Date.now().toString(36)}`;
    const a = await clerk.organizations.createOrganization({ name: `${marker} One`, createdBy: admin.id });
    const b = await clerk.organizations.createOrganization({ name: `${marker} Two`, createdBy: admin.id });
    const all = await clerk.organizations.getOrganizationList();
    expect(all.totalCount).toBeGreaterThanOrEqual(2);
    expect(kind(all.data[0])).toBe('Organization');

    const found = await clerk.organizations.getOrganizationList({ query: marker, includeMembersCount: true });
    expect(found.totalCount).toBe(2);
    expect(found.data.map((o) => o.id).sort()).toEqual([a.id, b.id].sort());
    expect(found.data[0]?.membersCount).toBe(1);

    const paged = await clerk.organizations.getOrganizationList({ query: marker, limit: 1, offset: 1 });
    expect(paged.totalCount).toBe(2);
    expect(paged.data).toHaveLength(1);
  });

  it('updates an organization and merges its metadata (null deletes a key)', async () => {
    const { org } = await newOrg();
    const updated = await clerk.organizations.updateOrganization(org.id, {
      name: 'Renamed',
      slug: `renamed-${n++}`,
      maxAllowedMemberships: 7,
      adminDeleteEnabled: false,
    });
    expect(updated).toMatchObject({ id: org.id, name: 'Renamed', maxAllowedMemberships: 7, adminDeleteEnabled: false });
    expect(updated.slug).toMatch(/^renamed-/);

    await clerk.organizations.updateOrganizationMetadata(org.id, {
      publicMetadata: { keep: 1, drop: 2, nested: { a: 1, b: 2 } },
      privateMetadata: { secret: 's' },
    });
    const merged = await clerk.organizations.updateOrganizationMetadata(org.id, {
      publicMetadata: { drop: null, added: 'x', nested: { b: 3 } },
    });
    expect(merged.publicMetadata).toEqual({ keep: 1, added: 'x', nested: { a: 1, b: 3 } });
    expect(merged.privateMetadata).toEqual({ secret: 's' });
  });

  it('the deprecated updateOrganization({ publicMetadata }) replaces metadata through PUT', async () => {
    const { org } = await newOrg();
    await clerk.organizations.updateOrganizationMetadata(org.id, {
      publicMetadata: { old: true },
      privateMetadata: { keep: 'me' },
    });
    const replaced = await clerk.organizations.updateOrganization(org.id, {
      name: 'Replaced',
      publicMetadata: { fresh: 1 },
    });
    expect(replaced).toMatchObject({ name: 'Replaced', publicMetadata: { fresh: 1 }, privateMetadata: { keep: 'me' } });
  });

  it('lists organizations by organizationId, and refuses filters it does not implement', async () => {
    const admin = await newUser();
    const a = await clerk.organizations.createOrganization({ name: 'Pick A', createdBy: admin.id });
    await clerk.organizations.createOrganization({ name: 'Pick B', createdBy: admin.id });
    const c = await clerk.organizations.createOrganization({ name: 'Pick C', createdBy: admin.id });
    const picked = await clerk.organizations.getOrganizationList({ organizationId: [a.id, c.id] });
    expect(picked.totalCount).toBe(2);
    expect(picked.data.map((o) => o.id).sort()).toEqual([a.id, c.id].sort());
    const order = await apiError(() => clerk.organizations.getOrganizationList({ orderBy: 'slug' } as never));
    expect(order.status).toBe(422);
    expect(order.errors[0]?.meta?.paramName).toBe('order_by');
  });

  it('deletes an organization and answers a DeletedObject', async () => {
    const { org } = await newOrg();
    const deleted = await clerk.organizations.deleteOrganization(org.id);
    expect(kind(deleted)).toBe('DeletedObject');
    expect(deleted).toMatchObject({ object: 'organization', id: org.id, slug: org.slug, deleted: true });
    const gone = await apiError(() => clerk.organizations.getOrganization({ organizationId: org.id }));
    expect(gone.status).toBe(404);
  });
});

describe('memberships through @clerk/backend', () => {
  it('adds, lists by role, changes the role of and removes a member', async () => {
    const { admin, org } = await newOrg();
    const member = await newUser('Member');
    const created = await clerk.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: member.id,
      role: 'org:member',
    });
    expect(kind(created)).toBe('OrganizationMembership');
    expect(created.id).toMatch(/^orgmem_/);
    expect(created.role).toBe('org:member');
    expect(created.organization.id).toBe(org.id);
    expect(created.organization.membersCount).toBe(2);
    expect(created.publicUserData).toMatchObject({ userId: member.id, firstName: 'Member' });
    expect(created.permissions).toContain('org:sys_memberships:read');

    const all = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    expect(all.totalCount).toBe(2);
    const admins = await clerk.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      role: ['org:admin'],
    });
    expect(admins.totalCount).toBe(1);
    expect(admins.data[0]?.publicUserData?.userId).toBe(admin.id);

    const promoted = await clerk.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: member.id,
      role: 'org:admin',
    });
    expect(promoted).toMatchObject({ id: created.id, role: 'org:admin' });
    expect(
      (await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, role: ['org:admin'] }))
        .totalCount,
    ).toBe(2);

    const removed = await clerk.organizations.deleteOrganizationMembership({
      organizationId: org.id,
      userId: member.id,
    });
    expect(kind(removed)).toBe('OrganizationMembership');
    expect(removed).toMatchObject({ id: created.id, publicUserData: { userId: member.id } });
    expect((await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id })).totalCount).toBe(1);
  });
});

describe('memberships through @clerk/backend, filters and metadata', () => {
  it('filters the member list by userId and emailAddress', async () => {
    const { admin, org } = await newOrg();
    const m1 = await newUser('One');
    const m2 = await newUser('Two');
    for (const u of [m1, m2])
      await clerk.organizations.createOrganizationMembership({
        organizationId: org.id,
        userId: u.id,
        role: 'org:member',
      });

    const byId = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, userId: [m1.id] });
    expect(byId.totalCount).toBe(1);
    expect(byId.data[0]?.publicUserData?.userId).toBe(m1.id);

    const outsider = await newUser('Outsider');
    const none = await clerk.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      userId: [outsider.id],
    });
    expect(none).toMatchObject({ totalCount: 0, data: [] });

    const byEmail = await clerk.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      emailAddress: [m2.primaryEmailAddress!.emailAddress, admin.primaryEmailAddress!.emailAddress.toUpperCase()],
    });
    expect(byEmail.data.map((m) => m.publicUserData?.userId).sort()).toEqual([m2.id, admin.id].sort());

    const both = await clerk.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      userId: [m1.id, m2.id],
      emailAddress: [m2.primaryEmailAddress!.emailAddress],
      role: ['org:member'],
    });
    expect(both.totalCount).toBe(1);
    expect(both.data[0]?.publicUserData?.userId).toBe(m2.id);

    const query = await apiError(() =>
      clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, usernameQuery: 'one' }),
    );
    expect(query.status).toBe(422);
    expect(query.errors[0]).toMatchObject({ code: 'form_param_unknown', meta: { paramName: 'username_query' } });
  });

  it('deep-merges membership metadata', async () => {
    const { org } = await newOrg();
    const member = await newUser();
    await clerk.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: member.id,
      role: 'org:member',
    });
    await clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: org.id,
      userId: member.id,
      publicMetadata: { prefs: { theme: 'dark', lang: 'en' }, gone: 1 },
      privateMetadata: { note: 'vip' },
    });
    const merged = await clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: org.id,
      userId: member.id,
      publicMetadata: { prefs: { lang: 'fr', theme: null }, gone: null },
    });
    expect(kind(merged)).toBe('OrganizationMembership');
    expect(merged.publicMetadata).toEqual({ prefs: { lang: 'fr' } });
    expect(merged.privateMetadata).toEqual({ note: 'vip' });
  });

  it('adding an existing member is refused', async () => {
    const { admin, org } = await newOrg();
    const error = await apiError(() =>
      clerk.organizations.createOrganizationMembership({
        organizationId: org.id,
        userId: admin.id,
        role: 'org:member',
      }),
    );
    expect(error.status).toBe(422);
    expect(error.errors[0]?.code).toBe('already_a_member_in_organization');
  });
});

describe('invitations through @clerk/backend', () => {
  it('creates an invitation with metadata, redirect and expiry, and reads it back', async () => {
    const { admin, org } = await newOrg();
    const email = unique('invitee');
    const before = Date.now();
    const inv = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: email,
      role: 'basic_member',
      inviterUserId: admin.id,
      publicMetadata: { team: 'blue' },
      privateMetadata: { source: 'crm' },
      redirectUrl: 'http://app.test/welcome',
      expiresInDays: 3,
    });
    expect(kind(inv)).toBe('OrganizationInvitation');
    expect(inv.id).toMatch(/^orginv_/);
    expect(inv).toMatchObject({
      emailAddress: email,
      role: 'org:member',
      roleName: 'Member',
      organizationId: org.id,
      status: 'pending',
      publicMetadata: { team: 'blue' },
      privateMetadata: { source: 'crm' },
    });
    expect(inv.url).toMatch(/^http:\/\/roster\.test\/accept-invitation\?ticket=/);
    expect(inv.expiresAt).toBeGreaterThanOrEqual(before + 3 * DAY_MS - 60_000);
    expect(inv.expiresAt).toBeLessThanOrEqual(Date.now() + 3 * DAY_MS + 60_000);
    expect(inv.raw).toMatchObject({ inviter_id: admin.id, redirect_url: 'http://app.test/welcome' });

    const got = await clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: inv.id });
    expect(got).toMatchObject({ id: inv.id, status: 'pending', publicMetadata: { team: 'blue' } });

    const onPublicUrl = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: unique('public'),
      role: 'org:admin',
      redirectUrl: 'http://roster.test/after',
    });
    expect(onPublicUrl.role).toBe('org:admin');
  });

  it('bulk-creates invitations and answers { data, totalCount }', async () => {
    const { admin, org } = await newOrg();
    const bulk = await clerk.organizations.createOrganizationInvitationBulk(org.id, [
      { emailAddress: unique('b1'), role: 'org:member', inviterUserId: admin.id },
      { emailAddress: unique('b2'), role: 'org:admin', publicMetadata: { x: 1 } },
    ]);
    expect(bulk.totalCount).toBe(2);
    expect(bulk.data).toHaveLength(2);
    expect(kind(bulk.data[0])).toBe('OrganizationInvitation');
    expect(bulk.data.map((i) => i.role)).toEqual(['org:member', 'org:admin']);
    expect(bulk.data[1]?.publicMetadata).toEqual({ x: 1 });
  });

  /** What a refused bulk must not have left: invitations, queued mail, events (webhooks and the audit log read them). */
  async function traces(orgId: string, emails: string[]) {
    const invitations = await json(await t.bapi('GET', `/v1/organizations/${orgId}/invitations?limit=100`));
    const mails = await t.roster.database.db
      .selectFrom('outbox')
      .select('to_address')
      .where('to_address', 'in', emails)
      .execute();
    const log = await json(
      await t.bapi('GET', `/v1/organizations/${orgId}/audit_log?type=organizationInvitation.created&limit=100`),
    );
    return {
      invitations: (invitations.data as { email_address: string }[]).map((i) => i.email_address).sort(),
      mails: mails.map((m) => m.to_address).sort(),
      events: (log.data as { data: { email_address: string } }[]).map((e) => e.data.email_address).sort(),
    };
  }

  it('a bulk with addresses that cannot be invited is refused whole, naming them: nothing created, mailed or logged', async () => {
    const { admin, org } = await newOrg();
    const pending = unique('pending');
    await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: pending,
      role: 'org:member',
    });
    const before = await traces(org.id, [pending]);
    const member = admin.primaryEmailAddress!.emailAddress;
    const fresh = [unique('fresh'), unique('fresh')];

    const duplicate = await apiError(() =>
      clerk.organizations.createOrganizationInvitationBulk(org.id, [
        { emailAddress: fresh[0]!, role: 'org:member' },
        { emailAddress: pending, role: 'org:member' },
        { emailAddress: fresh[1]!, role: 'org:member' },
        { emailAddress: fresh[1]!.toUpperCase(), role: 'org:admin' },
      ]),
    );
    expect(duplicate.status).toBe(422);
    expect(duplicate.errors).toHaveLength(1);
    expect(duplicate.errors[0]).toMatchObject({
      code: 'duplicate_record',
      meta: { paramName: 'email_address', emailAddresses: [pending, fresh[1]!.toUpperCase()] },
    });

    // Each reason its own entry (Clerk's code for each), every address named; the status is the first one's.
    const mixed = await apiError(() =>
      clerk.organizations.createOrganizationInvitationBulk(org.id, [
        { emailAddress: fresh[0]!, role: 'org:member' },
        { emailAddress: member, role: 'org:member' },
        { emailAddress: pending, role: 'org:member' },
      ]),
    );
    expect(mixed.status).toBe(422);
    expect(mixed.errors.map((e) => [e.code, e.meta?.emailAddresses])).toEqual([
      ['already_a_member_in_organization', [member]],
      ['duplicate_record', [pending]],
    ]);

    // A batch that does not fit the seats is refused whole too, inside its transaction.
    const small = await newOrg({ maxAllowedMemberships: 3 });
    const seated = [unique('seat'), unique('seat'), unique('seat')];
    const seats = await apiError(() =>
      clerk.organizations.createOrganizationInvitationBulk(
        small.org.id,
        seated.map((emailAddress) => ({ emailAddress, role: 'org:member' })),
      ),
    );
    expect(seats.status).toBe(403);
    expect(seats.errors[0]?.code).toBe('organization_membership_quota_exceeded');
    expect(await traces(small.org.id, seated)).toEqual({ invitations: [], mails: [], events: [] });

    expect(await traces(org.id, [pending, ...fresh])).toEqual(before);
    const ok = await clerk.organizations.createOrganizationInvitationBulk(org.id, [
      { emailAddress: fresh[0]!, role: 'org:member' },
      { emailAddress: fresh[1]!, role: 'org:member' },
    ]);
    expect(ok.totalCount).toBe(2);
    expect((await traces(org.id, fresh)).mails).toEqual([...fresh].sort());
  });

  it('partial=true (Roster’s opt-in) creates each address on its own and lists the others in errors', async () => {
    const { org } = await newOrg();
    const pending = unique('pending');
    await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: pending,
      role: 'org:member',
    });
    const fresh = unique('fresh');
    const res = await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk?partial=true`, [
      { email_address: pending, role: 'org:member' },
      { email_address: fresh, role: 'org:member' },
    ]);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.total_count).toBe(1);
    expect(body.data.map((i: { email_address: string }) => i.email_address)).toEqual([fresh]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        code: 'duplicate_record',
        meta: expect.objectContaining({ email_address: pending, index: 0 }),
      }),
    ]);
    expect((await traces(org.id, [fresh])).mails).toEqual([fresh]);

    // Even with partial, a bulk that created nothing is an error, so `@clerk/backend` cannot read it as success.
    const none = await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk?partial=true`, [
      { email_address: pending, role: 'org:member' },
    ]);
    expect(none.status).toBe(422);
    expect((await json(none)).errors[0].code).toBe('duplicate_record');
    const unknown = await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk?partial=yes`, [
      { email_address: unique('x'), role: 'org:member' },
    ]);
    expect(unknown.status).toBe(422);
  });

  it("lists a user's invitations (users.getOrganizationInvitationList)", async () => {
    const { org } = await newOrg();
    const user = await newUser('Invitee');
    const email = user.primaryEmailAddress!.emailAddress;
    const inv = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: email,
      role: 'org:member',
    });
    const page = await clerk.users.getOrganizationInvitationList({ userId: user.id, status: 'pending' });
    expect(page.totalCount).toBe(1);
    expect(kind(page.data[0])).toBe('OrganizationInvitation');
    expect(page.data[0]).toMatchObject({ id: inv.id, status: 'pending', organizationId: org.id });
    expect(page.data[0]?.publicOrganizationData).toMatchObject({ id: org.id, name: org.name });
    expect((await clerk.users.getOrganizationInvitationList({ userId: user.id, status: 'revoked' })).totalCount).toBe(
      0,
    );
  });

  it('an invitation past its expiry reads and lists as expired', async () => {
    const { org } = await newOrg();
    const inv = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: unique('late'),
      role: 'org:member',
      expiresInDays: 1,
    });
    t.clock.advance(2 * DAY_MS);
    try {
      const got = await clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: inv.id });
      expect(got.status).toBe('expired');
      const expired = await clerk.organizations.getOrganizationInvitationList({
        organizationId: org.id,
        status: ['expired'],
      });
      expect(expired).toMatchObject({ totalCount: 1, data: [{ id: inv.id }] });
      const pending = await clerk.organizations.getOrganizationInvitationList({
        organizationId: org.id,
        status: ['pending'],
      });
      expect(pending.totalCount).toBe(0);
    } finally {
      t.clock.advance(-2 * DAY_MS);
    }
  });

  it('lists by status with limit/offset, and revokes with and without requestingUserId', async () => {
    const { admin, org } = await newOrg();
    const invs: OrganizationInvitation[] = [];
    for (let i = 0; i < 4; i++) {
      invs.push(
        await clerk.organizations.createOrganizationInvitation({
          organizationId: org.id,
          emailAddress: unique(`l${i}`),
          role: 'org:member',
        }),
      );
    }
    // Without requestingUserId the client POSTs no body at all, with Content-Type: application/json.
    const revoked = await clerk.organizations.revokeOrganizationInvitation({
      organizationId: org.id,
      invitationId: invs[0]!.id,
    });
    expect(kind(revoked)).toBe('OrganizationInvitation');
    expect(revoked).toMatchObject({ id: invs[0]!.id, status: 'revoked' });
    const revokedBy = await clerk.organizations.revokeOrganizationInvitation({
      organizationId: org.id,
      invitationId: invs[1]!.id,
      requestingUserId: admin.id,
    });
    expect(revokedBy.status).toBe('revoked');

    const pending = await clerk.organizations.getOrganizationInvitationList({
      organizationId: org.id,
      status: ['pending'],
    });
    expect(pending.totalCount).toBe(2);
    expect(pending.data.map((i) => i.id).sort()).toEqual([invs[2]!.id, invs[3]!.id].sort());
    expect(pending.data.every((i) => i.status === 'pending')).toBe(true);

    const gone = await clerk.organizations.getOrganizationInvitationList({
      organizationId: org.id,
      status: ['revoked'],
    });
    expect(gone.totalCount).toBe(2);
    expect(gone.data.every((i) => i.status === 'revoked')).toBe(true);

    const both = await clerk.organizations.getOrganizationInvitationList({
      organizationId: org.id,
      status: ['pending', 'revoked'],
    });
    expect(both.totalCount).toBe(4);

    const page1 = await clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, limit: 3 });
    const page2 = await clerk.organizations.getOrganizationInvitationList({
      organizationId: org.id,
      limit: 3,
      offset: 3,
    });
    expect(page1.totalCount).toBe(4);
    expect(page1.data).toHaveLength(3);
    expect(page2.totalCount).toBe(4);
    expect(page2.data).toHaveLength(1);
    const seen = [...page1.data, ...page2.data].map((i) => i.id);
    expect(new Set(seen).size).toBe(4);

    const again = await apiError(() =>
      clerk.organizations.revokeOrganizationInvitation({ organizationId: org.id, invitationId: invs[0]!.id }),
    );
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);

    // requestingUserId acts as that user: a plain member may not revoke.
    const member = await newUser('Plain');
    await clerk.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: member.id,
      role: 'org:member',
    });
    const forbidden = await apiError(() =>
      clerk.organizations.revokeOrganizationInvitation({
        organizationId: org.id,
        invitationId: invs[2]!.id,
        requestingUserId: member.id,
      }),
    );
    expect(forbidden.status).toBe(403);
  });

  it('an accepted invitation reads as accepted, and the member carries its metadata', async () => {
    const { org } = await newOrg();
    const email = unique('joiner');
    const inv = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: email,
      role: 'org:member',
      publicMetadata: { team: 'red' },
      privateMetadata: { costCenter: 42 },
    });
    // The mailed link (the url Clerk's client got proves no address: decision 021).
    const ticket = ticketOf(await mailedUrl(t, { id: inv.id, email_address: email }));
    const res = await t.browser().post('/fapi/v1/tickets/sign_up', {
      ticket,
      password: 'a long enough password',
      first_name: 'Joiner',
    });
    expect(res.status).toBe(200);
    const joined = await json(res);

    const accepted = await clerk.organizations.getOrganizationInvitation({
      organizationId: org.id,
      invitationId: inv.id,
    });
    expect(accepted.status).toBe('accepted');

    const members = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    expect(members.totalCount).toBe(2);
    const membership = members.data.find((m) => m.publicUserData?.userId === joined.user.id);
    expect(membership).toMatchObject({
      role: 'org:member',
      publicMetadata: { team: 'red' },
      privateMetadata: { costCenter: 42 },
      publicUserData: { identifier: email, firstName: 'Joiner' },
    });
    const pending = await clerk.organizations.getOrganizationInvitationList({
      organizationId: org.id,
      status: ['accepted'],
    });
    expect(pending).toMatchObject({ totalCount: 1, data: [{ id: inv.id, status: 'accepted' }] });
  });
});

describe('errors through @clerk/backend', () => {
  it('a duplicate invitation is a 422 duplicate_record', async () => {
    const { org } = await newOrg();
    const email = unique('dup');
    await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: email,
      role: 'org:member',
    });
    const error = await apiError(() =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: org.id,
        emailAddress: email,
        role: 'org:member',
      }),
    );
    expect(error.status).toBe(422);
    expect(error.errors[0]?.code).toBe('duplicate_record');
    expect(error.errors[0]?.meta?.paramName).toBe('email_address');
    expect(error.errors[0]?.longMessage).toBeTruthy();
    expect(error.clerkTraceId).toBeTruthy();
  });

  it('an unknown organization is a 404', async () => {
    const error = await apiError(() => clerk.organizations.getOrganization({ organizationId: 'org_doesnotexist' }));
    expect(error.status).toBe(404);
    expect(error.errors[0]?.code).toMatch(/not_found$/);
    const invite = await apiError(() =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: 'org_doesnotexist',
        emailAddress: unique('nobody'),
        role: 'org:member',
      }),
    );
    expect(invite.status).toBe(404);
  });

  it('a wrong secret key is a 401 with the code @clerk/backend looks for (clerk_key_invalid)', async () => {
    const wrong = createClerkClient({ secretKey: 'sk_test_wrong', apiUrl: url });
    const error = await apiError(() => wrong.users.getUserList());
    expect(error.status).toBe(401);
    expect(error.errors[0]?.code).toBe('clerk_key_invalid');
  });

  it('going over max_allowed_memberships is organization_membership_quota_exceeded', async () => {
    const { org } = await newOrg({ maxAllowedMemberships: 2 });
    await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: unique('q1'),
      role: 'org:member',
    });
    const error = await apiError(() =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: org.id,
        emailAddress: unique('q2'),
        role: 'org:member',
      }),
    );
    expect(error.status).toBe(403);
    expect(error.errors[0]?.code).toBe('organization_membership_quota_exceeded');
  });

  it('rate limiting is a 429 whose Retry-After the client reads as err.retryAfter', async () => {
    const limited = await startTestRoster({
      env: { PORT: '0', HOST: '127.0.0.1', ROSTER_INVITATIONS_PER_HOUR: '2' },
    });
    try {
      const client = createClerkClient({ secretKey: SECRET_KEY, apiUrl: await limited.roster.listen() });
      const admin = await client.users.createUser({
        emailAddress: [unique('rl')],
        password: 'correct horse battery staple',
      });
      const org = await client.organizations.createOrganization({ name: 'Limited', createdBy: admin.id });
      for (const i of [1, 2])
        await client.organizations.createOrganizationInvitation({
          organizationId: org.id,
          emailAddress: unique(`rl${i}`),
          role: 'org:member',
        });
      const error = await apiError(() =>
        client.organizations.createOrganizationInvitation({
          organizationId: org.id,
          emailAddress: unique('rl3'),
          role: 'org:member',
        }),
      );
      expect(error.status).toBe(429);
      expect(error.errors[0]?.code).toBe('too_many_requests');
      expect(error.retryAfter).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('a redirect_url outside the allowed origins is refused', async () => {
    const { org } = await newOrg();
    const error = await apiError(() =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: org.id,
        emailAddress: unique('redir'),
        role: 'org:member',
        redirectUrl: 'https://evil.test/x',
      }),
    );
    expect(error.status).toBe(422);
    expect(error.errors[0]?.meta?.paramName).toBe('redirect_url');
  });
});

describe('the wire itself', () => {
  const headers = (key = SECRET_KEY) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

  it('every response is exactly application/json (Clerk parses nothing else)', async () => {
    const { admin, org } = await newOrg();
    const invitation = await json(
      await fetch(`${url}/v1/organizations/${org.id}/invitations`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ email_address: unique('ct'), role: 'org:member' }),
      }),
    );
    const requests: [string, string, string?][] = [
      ['GET', '/v1/users'],
      ['GET', '/v1/users/count'],
      ['GET', `/v1/users/${admin.id}`],
      ['GET', `/v1/users/${admin.id}/organization_memberships`],
      ['GET', '/v1/organizations'],
      ['GET', `/v1/organizations/${org.id}`],
      ['GET', `/v1/organizations/${org.id}/memberships`],
      ['GET', `/v1/organizations/${org.id}/invitations`],
      ['GET', `/v1/organizations/${org.id}/invitations/${invitation.id}`],
      ['POST', `/v1/organizations/${org.id}/invitations/${invitation.id}/revoke`],
      // Errors too: not found (route and resource), validation, malformed JSON, wrong method, no key.
      ['GET', '/v1/nothing-here'],
      ['GET', '/v1/organizations/org_missing'],
      ['POST', '/v1/users', '{"email_address":"not-an-array"}'],
      ['POST', '/v1/organizations', '{"name":'],
      ['PATCH', `/v1/organizations/${org.id}/memberships`, '{"role":"org:admin"}'],
    ];
    for (const [method, path, body] of requests) {
      const res = await fetch(`${url}${path}`, { method, headers: headers(), ...(body !== undefined && { body }) });
      expect([method, path, res.headers.get('content-type')]).toEqual([method, path, 'application/json']);
      const parsed = await json(res);
      if (!res.ok) expect(parsed.errors?.[0]?.code, `${method} ${path}`).toBeTruthy();
    }
    const unauthorized = await fetch(`${url}/v1/users`, { headers: headers('nope') });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('content-type')).toBe('application/json');
    const noKey = await fetch(`${url}/v1/users`);
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('content-type')).toBe('application/json');
  });

  it('lists are { data, total_count } except GET /v1/users (a bare array) and /v1/users/count', async () => {
    const { org } = await newOrg();
    const users = await json(await fetch(`${url}/v1/users?limit=1`, { headers: headers() }));
    expect(Array.isArray(users)).toBe(true);
    const count = await json(await fetch(`${url}/v1/users/count`, { headers: headers() }));
    expect(count).toEqual({ object: 'total_count', total_count: expect.any(Number) });
    const orgs = await json(await fetch(`${url}/v1/organizations`, { headers: headers() }));
    expect(orgs).toMatchObject({ data: expect.any(Array), total_count: expect.any(Number) });
    const live = await json(await fetch(`${url}/v1/organizations/${org.id}`, { headers: headers() }));
    expect('deleted' in live).toBe(false);
  });

  it('/openapi.json describes the Backend API (it once failed on the always-empty user lists)', async () => {
    const res = await fetch(`${url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.paths['/v1/users'].get).toBeTruthy();
    expect(doc.paths['/v1/organizations/{organization_id}/invitations/bulk'].post).toBeTruthy();
  });

  it('an error carries the HTTP reason phrase that becomes err.message', async () => {
    const error = await apiError(() => clerk.users.getUser('user_missing'));
    expect(error.status).toBe(404);
    expect(error.message).toBe('Not Found');
  });
});
