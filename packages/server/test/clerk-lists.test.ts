import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/flows.js';
import { SECRET_KEY, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * The Backend API's lists with Clerk's filters and orders, through `@clerk/backend` where it has
 * a method (and plain HTTP for `GET /v1/organization_invitations`, which it has none for): the
 * instance-wide memberships and invitations, the member list's filters, the organization list's
 * filters and orders. One server for the file, so the instance-wide totals are this file's own.
 */

let t: TestRoster;
let url: string;
let clerk: ClerkClient;

/** The instance this file builds: two organizations, their members and invitations. */
let acme: { id: string };
let zulu: { id: string };
const people: Record<string, { id: string; email: string }> = {};

async function user(key: string, first: string | undefined, last: string, email: string) {
  t.clock.advance(1000);
  const u = await clerk.users.createUser({
    emailAddress: [email],
    password: 'a long enough password',
    ...(first && { firstName: first }),
    lastName: last,
  });
  people[key] = { id: u.id, email };
  return u;
}

async function join(orgId: string, key: string, role = 'org:member') {
  t.clock.advance(1000);
  await clerk.organizations.createOrganizationMembership({ organizationId: orgId, userId: people[key]!.id, role });
}

async function apiError(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (error) {
    if (isClerkAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ClerkAPIResponseError');
}

/** GET with the secret key on the real port; answers status and parsed body. */
async function get(path: string) {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${SECRET_KEY}` } });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  url = await t.roster.listen();
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: url });
  await user('ada', 'Ada', 'Lovelace', 'ada@acme.test');
  await user('grace', 'Grace', 'Hopper', 'grace@navy.test');
  await user('linus', 'Linus', 'Torvalds', 'linus@kernel.test');
  await user('nameless', undefined, 'Zed', 'anon@zed.test');
  t.clock.advance(1000);
  acme = await clerk.organizations.createOrganization({ name: 'Acme', slug: 'acme', createdBy: people.ada!.id });
  t.clock.advance(1000);
  zulu = await clerk.organizations.createOrganization({ name: 'Zulu', slug: 'zulu', createdBy: people.linus!.id });
  await join(acme.id, 'grace');
  await join(acme.id, 'linus', 'org:admin');
  await join(acme.id, 'nameless');
  await join(zulu.id, 'grace');
});
afterAll(async () => {
  await t?.close();
});

const userIds = (page: { data: { publicUserData?: { userId: string } | null }[] }) =>
  page.data.map((m) => m.publicUserData?.userId);
const ids = (...keys: string[]) => keys.map((k) => people[k]!.id);

describe('GET /v1/organization_memberships (getInstanceOrganizationMembershipList)', () => {
  it('lists every organization’s memberships newest first, with totalCount and pages', async () => {
    const all = await clerk.organizations.getInstanceOrganizationMembershipList({});
    expect(all.totalCount).toBe(6);
    // Newest first: zulu/grace joined last, ada (acme's creator) first.
    expect(all.data[0]).toMatchObject({ organization: { id: zulu.id }, publicUserData: { userId: people.grace!.id } });
    expect(all.data.at(-1)).toMatchObject({
      organization: { id: acme.id },
      publicUserData: { userId: people.ada!.id },
    });
    const page = await clerk.organizations.getInstanceOrganizationMembershipList({ limit: 2, offset: 1 });
    expect(page.totalCount).toBe(6);
    expect(page.data.map((m) => m.id)).toEqual(all.data.slice(1, 3).map((m) => m.id));
    const oldest = await clerk.organizations.getInstanceOrganizationMembershipList({ orderBy: 'created_at' });
    expect(oldest.data.map((m) => m.id)).toEqual(all.data.map((m) => m.id).reverse());
  });

  it('orders by the member’s first name, last name or address, either way (names absent last)', async () => {
    const byFirst = await clerk.organizations.getInstanceOrganizationMembershipList({ orderBy: '+first_name' });
    expect(userIds(byFirst)).toEqual(ids('ada', 'grace', 'grace', 'linus', 'linus', 'nameless'));
    const byFirstDesc = await clerk.organizations.getInstanceOrganizationMembershipList({ orderBy: '-first_name' });
    expect(userIds(byFirstDesc)).toEqual(ids('linus', 'linus', 'grace', 'grace', 'ada', 'nameless'));
    const byLast = await clerk.organizations.getInstanceOrganizationMembershipList({ orderBy: '-last_name' });
    expect(userIds(byLast)).toEqual(ids('nameless', 'linus', 'linus', 'ada', 'grace', 'grace'));
    const byEmail = await clerk.organizations.getInstanceOrganizationMembershipList({ orderBy: 'email_address' });
    expect(userIds(byEmail)).toEqual(ids('ada', 'nameless', 'grace', 'grace', 'linus', 'linus'));
  });

  it('refuses an order Roster cannot honour and parameters Clerk does not define here', async () => {
    const order = await apiError(() =>
      clerk.organizations.getInstanceOrganizationMembershipList({ orderBy: 'username' }),
    );
    expect(order.status).toBe(422);
    expect(order.errors[0]).toMatchObject({ code: 'form_param_format_invalid', meta: { paramName: 'order_by' } });
    const unknown = await get('/v1/organization_memberships?role=org:admin');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ code: 'form_param_unknown', meta: { param_name: 'role' } });
    const limit = await get('/v1/organization_memberships?limit=0');
    expect(limit.status).toBe(422);
    expect(limit.body.errors[0].meta.param_name).toBe('limit');
  });
});

describe('GET /v1/organization_invitations', () => {
  it('lists every organization’s invitations with public_organization_data, filtered and ordered', async () => {
    for (const [org, email] of [
      [acme, 'b.one@x.test'],
      [zulu, 'a.two@y.test'],
      [acme, 'c.three@x.test'],
    ] as const) {
      t.clock.advance(1000);
      await clerk.organizations.createOrganizationInvitation({
        organizationId: org.id,
        emailAddress: email,
        role: 'org:member',
      });
    }
    const all = await get('/v1/organization_invitations');
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).sort()).toEqual(['data', 'total_count']);
    expect(all.body.total_count).toBe(3);
    expect(all.body.data.map((i: any) => i.email_address)).toEqual(['c.three@x.test', 'a.two@y.test', 'b.one@x.test']);
    expect(all.body.data[1]).toMatchObject({
      object: 'organization_invitation',
      organization_id: zulu.id,
      public_organization_data: { id: zulu.id, name: 'Zulu', slug: 'zulu', has_image: false },
    });

    const byEmail = await get('/v1/organization_invitations?order_by=email_address&limit=2');
    expect(byEmail.body.total_count).toBe(3);
    expect(byEmail.body.data.map((i: any) => i.email_address)).toEqual(['a.two@y.test', 'b.one@x.test']);
    const byEmailDesc = await get('/v1/organization_invitations?order_by=-email_address&offset=2');
    expect(byEmailDesc.body.data.map((i: any) => i.email_address)).toEqual(['a.two@y.test']);

    const query = await get('/v1/organization_invitations?query=X.TEST');
    expect(query.body.total_count).toBe(2);
    // LIKE's wildcards are literal in a query.
    expect((await get('/v1/organization_invitations?query=%25')).body.total_count).toBe(0);

    const revoked = all.body.data[0];
    await clerk.organizations.revokeOrganizationInvitation({ organizationId: acme.id, invitationId: revoked.id });
    const pending = await get('/v1/organization_invitations?status=pending');
    expect(pending.body.total_count).toBe(2);
    const both = await get('/v1/organization_invitations?status=revoked&status=accepted');
    expect(both.body.data.map((i: any) => i.id)).toEqual([revoked.id]);
  });

  it('answers bad parameters with Clerk’s error shape, never a 500', async () => {
    for (const [path, param] of [
      ['?status=bogus', 'status'],
      ['?order_by=role', 'order_by'],
      ['?limit=501', 'limit'],
      ['?offset=-1', 'offset'],
    ] as const) {
      const res = await get(`/v1/organization_invitations${path}`);
      expect(res.status, path).toBe(422);
      expect(res.body.errors[0].meta.param_name, path).toMatch(new RegExp(`^${param}`));
      expect(res.body.errors[0].code, path).toMatch(/^form_param_/);
    }
    const unknown = await get('/v1/organization_invitations?organization_id=x');
    expect(unknown.body.errors[0]).toMatchObject({
      code: 'form_param_unknown',
      meta: { param_name: 'organization_id' },
    });
  });
});

describe('GET /v1/organizations/{id}/invitations/pending (deprecated, as Clerk’s)', () => {
  it('is the pending invitations, newest first, paged; not an invitation named "pending"', async () => {
    t.clock.advance(1000);
    const latest = await clerk.organizations.createOrganizationInvitation({
      organizationId: acme.id,
      emailAddress: 'd.four@x.test',
      role: 'org:member',
    });
    const pending = await get(`/v1/organizations/${acme.id}/invitations/pending`);
    expect(pending.status).toBe(200);
    expect(Object.keys(pending.body).sort()).toEqual(['data', 'total_count']);
    // c.three was revoked above: only the pending ones, newest first.
    expect(pending.body.data.map((i: any) => i.email_address)).toEqual(['d.four@x.test', 'b.one@x.test']);
    expect(pending.body.data[0]).toMatchObject({ id: latest.id, status: 'pending', object: 'organization_invitation' });
    const second = await get(`/v1/organizations/${acme.id}/invitations/pending?limit=1&offset=1`);
    expect(second.body).toMatchObject({ total_count: 2, data: [{ email_address: 'b.one@x.test' }] });
    expect((await get(`/v1/organizations/${zulu.id}/invitations/pending`)).body.total_count).toBe(1);
    const unknown = await get(`/v1/organizations/${acme.id}/invitations/pending?status=revoked`);
    expect(unknown.status).toBe(422);
    expect((await get('/v1/organizations/org_unknown/invitations/pending')).status).toBe(404);
  });
});

describe('GET /v1/organizations/{id}/memberships filters (getOrganizationMembershipList)', () => {
  const list = (params: Record<string, unknown>) =>
    clerk.organizations.getOrganizationMembershipList({ organizationId: acme.id, ...params } as never);

  it('query, email_address_query and name_query match in part, ignoring case', async () => {
    expect(userIds(await list({ query: 'HOPP' }))).toEqual(ids('grace'));
    expect(userIds(await list({ query: 'kernel.TEST' }))).toEqual(ids('linus'));
    expect(userIds(await list({ query: people.ada!.id }))).toEqual(ids('ada'));
    expect(userIds(await list({ emailAddressQuery: 'NAVY' }))).toEqual(ids('grace'));
    // A name query does not look at addresses.
    expect((await list({ nameQuery: 'navy' })).totalCount).toBe(0);
    expect(userIds(await list({ nameQuery: 'ada love' }))).toEqual(ids('ada'));
  });

  it('user_id with + and - (exclusions), role, email_address and phone_number', async () => {
    expect(userIds(await list({ userId: [`-${people.ada!.id}`, `-${people.nameless!.id}`] }))).toEqual(
      ids('linus', 'grace'),
    );
    expect(userIds(await list({ userId: [`+${people.ada!.id}`, people.grace!.id] }))).toEqual(ids('grace', 'ada'));
    expect(userIds(await list({ role: ['org:admin'], userId: [`-${people.ada!.id}`] }))).toEqual(ids('linus'));
    expect(userIds(await list({ emailAddress: ['GRACE@navy.test'] }))).toEqual(ids('grace'));
    // No Roster user has a phone number.
    expect(await list({ phoneNumber: ['+15555550100'] })).toMatchObject({ totalCount: 0, data: [] });
  });

  it('created_at_* and last_active_at_* read the member’s user (created, last signed in)', async () => {
    const graceCreated = (await clerk.users.getUser(people.grace!.id)).createdAt;
    expect(userIds(await list({ createdAtAfter: graceCreated }))).toEqual(ids('nameless', 'linus'));
    expect(userIds(await list({ createdAtBefore: graceCreated }))).toEqual(ids('ada'));
    t.clock.advance(1000);
    const before = t.clock.now();
    expect((await list({ lastActiveAtAfter: before - 1 })).totalCount).toBe(0);
    await signIn(t, 'linus@kernel.test');
    expect(userIds(await list({ lastActiveAtAfter: before - 1 }))).toEqual(ids('linus'));
    expect((await list({ lastActiveAtBefore: before - 1 })).totalCount).toBe(0);
  });

  it('orders by first name, last name, address or creation, either way', async () => {
    expect(userIds(await list({ orderBy: 'first_name' }))).toEqual(ids('ada', 'grace', 'linus', 'nameless'));
    expect(userIds(await list({ orderBy: '-last_name' }))).toEqual(ids('nameless', 'linus', 'ada', 'grace'));
    expect(userIds(await list({ orderBy: '-email_address', limit: 2 }))).toEqual(ids('linus', 'grace'));
    expect(userIds(await list({ orderBy: '+created_at' }))).toEqual(ids('ada', 'grace', 'linus', 'nameless'));
  });

  it('refuses what Roster cannot apply (usernames, wallets), bad orders and bad bounds with 422', async () => {
    const username = await apiError(() => list({ usernameQuery: 'x' }));
    expect(username.status).toBe(422);
    expect(username.errors[0]).toMatchObject({ code: 'form_param_unknown', meta: { paramName: 'username_query' } });
    const order = await apiError(() => list({ orderBy: 'phone_number' }));
    expect(order.errors[0]).toMatchObject({ code: 'form_param_format_invalid', meta: { paramName: 'order_by' } });
    const bound = await get(`/v1/organizations/${acme.id}/memberships?created_at_after=yesterday`);
    expect(bound.status).toBe(422);
    expect(bound.body.errors[0].meta.param_name).toBe('created_at_after');
    const many = await get(
      `/v1/organizations/${acme.id}/memberships?${Array.from({ length: 101 }, (_, i) => `user_id=u${i}`).join('&')}`,
    );
    expect(many.status).toBe(422);
    expect(many.body.errors[0].meta.param_name).toBe('user_id');
  });
});

describe('GET /v1/organizations filters and orders (getOrganizationList)', () => {
  const names = (page: { data: { name: string }[] }) => page.data.map((o) => o.name);

  it('orders by name, created_at and members_count, either way', async () => {
    t.clock.advance(1000);
    await clerk.organizations.createOrganization({ name: 'Middle', slug: 'middle' });
    const list = (orderBy: string) => clerk.organizations.getOrganizationList({ orderBy } as never);
    expect(names(await list('name'))).toEqual(['Acme', 'Middle', 'Zulu']);
    expect(names(await list('-name'))).toEqual(['Zulu', 'Middle', 'Acme']);
    expect(names(await list('created_at'))).toEqual(['Acme', 'Zulu', 'Middle']);
    expect(names(await clerk.organizations.getOrganizationList())).toEqual(['Middle', 'Zulu', 'Acme']);
    const byCount = await clerk.organizations.getOrganizationList({
      orderBy: '-members_count',
      includeMembersCount: true,
    });
    expect(byCount.data.map((o) => [o.name, o.membersCount])).toEqual([
      ['Acme', 4],
      ['Zulu', 2],
      ['Middle', 0],
    ]);
    expect(names(await list('+members_count'))).toEqual(['Middle', 'Zulu', 'Acme']);
  });

  it('query matches the id exactly and name or slug in part; organization_id and user_id take + and -', async () => {
    const list = (params: Record<string, unknown>) => clerk.organizations.getOrganizationList(params as never);
    expect(names(await list({ query: 'CM' }))).toEqual(['Acme']);
    expect(names(await list({ query: zulu.id }))).toEqual(['Zulu']);
    expect(names(await list({ query: zulu.id.slice(0, -1) }))).toEqual([]);
    expect(names(await list({ organizationId: [`-${acme.id}`], orderBy: 'name' }))).toEqual(['Middle', 'Zulu']);
    expect(names(await list({ organizationId: [`+${acme.id}`, zulu.id] }))).toEqual(['Zulu', 'Acme']);
    expect(names(await list({ userId: [people.grace!.id] }))).toEqual(['Zulu', 'Acme']);
    expect(names(await list({ userId: [people.ada!.id, people.linus!.id], orderBy: 'name' }))).toEqual([
      'Acme',
      'Zulu',
    ]);
    expect(names(await list({ userId: [`-${people.ada!.id}`], orderBy: 'name' }))).toEqual(['Middle', 'Zulu']);
    const page = await list({ userId: [`-${people.ada!.id}`], limit: 1 });
    expect(page.totalCount).toBe(2);
  });

  it('refuses an unknown order with 422', async () => {
    const order = await apiError(() => clerk.organizations.getOrganizationList({ orderBy: 'slug' } as never));
    expect(order.status).toBe(422);
    expect(order.errors[0]).toMatchObject({ code: 'form_param_format_invalid', meta: { paramName: 'order_by' } });
  });
});
