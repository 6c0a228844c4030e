import type { ClerkClient } from '@clerk/backend';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clerkError as apiError, startClerkRoster } from './support/clerk.js';
import { json, type TestRoster } from './support/harness.js';

/**
 * Clerk's user list filters and orders, and the create fields a migration off Clerk sends
 * (external ids, usernames, bcrypt and argon2 digests), through `@clerk/backend`.
 */

/** @node-rs/argon2's `Algorithm.Argon2i` (a const enum, which isolated modules cannot read). */
const ARGON2I = 1;

let t: TestRoster;
let clerk: ClerkClient;

beforeAll(async () => {
  ({ t, clerk } = await startClerkRoster());
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const tag = `${Date.now().toString(36)}`;
const unique = (prefix: string) => `${prefix}-${tag}-${++n}@example.com`;

async function signInStatus(email: string, password: string) {
  const res = await t.browser().post('/fapi/v1/client/sign_ins', { identifier: email, password });
  return res.status;
}

describe('GET /v1/users filters and order_by', () => {
  it('filters by query, external id, username and user id (with - exclusions); count agrees', async () => {
    const marker = `zq${tag}`;
    const ada = await clerk.users.createUser({
      emailAddress: [unique(`${marker}-ada`)],
      firstName: 'Ada',
      lastName: 'Lovelace',
      externalId: `ext-${tag}-ada`,
      username: `Ada_${tag}`,
      skipPasswordRequirement: true,
    });
    const bob = await clerk.users.createUser({
      emailAddress: [unique('bob')],
      firstName: `Bob${marker}`,
      lastName: 'Byte',
      externalId: `ext-${tag}-bob`,
    });
    const cy = await clerk.users.createUser({ emailAddress: [unique(`${marker}-cy`)], lastName: 'Zed' });

    const byQuery = await clerk.users.getUserList({ query: marker.toUpperCase() });
    expect(byQuery.data.map((u) => u.id).sort()).toEqual([ada.id, bob.id, cy.id].sort());
    expect(byQuery.totalCount).toBe(3);

    const byExternal = await clerk.users.getUserList({ externalId: [`ext-${tag}-bob`] });
    expect(byExternal.data.map((u) => u.id)).toEqual([bob.id]);
    expect(byExternal.data[0]?.externalId).toBe(`ext-${tag}-bob`);

    const byUsername = await clerk.users.getUserList({ username: [`ADA_${tag}`] });
    expect(byUsername.data.map((u) => u.id)).toEqual([ada.id]);
    expect(byUsername.data[0]?.username).toBe(`ada_${tag}`);

    const excluding = await clerk.users.getUserList({ query: marker, userId: [`-${bob.id}`] });
    expect(excluding.data.map((u) => u.id).sort()).toEqual([ada.id, cy.id].sort());
    expect(excluding.totalCount).toBe(2);

    const first = await clerk.users.getUserList({ query: marker, orderBy: '+first_name' });
    // Ada < Bob…, and cy (no first name) last either way.
    expect(first.data.map((u) => u.id)).toEqual([ada.id, bob.id, cy.id]);
    const firstDesc = await clerk.users.getUserList({ query: marker, orderBy: '-first_name' });
    expect(firstDesc.data.map((u) => u.id)).toEqual([bob.id, ada.id, cy.id]);
    const last = await clerk.users.getUserList({ query: marker, orderBy: 'last_name' });
    expect(last.data.map((u) => u.lastName)).toEqual(['Byte', 'Lovelace', 'Zed']);
    const email = await clerk.users.getUserList({ query: marker, orderBy: '-email_address' });
    expect(email.data.map((u) => u.id)).toEqual([cy.id, ada.id, bob.id]);
    const oldest = await clerk.users.getUserList({ query: marker, orderBy: '+created_at' });
    expect(oldest.data.map((u) => u.id)).toEqual([ada.id, bob.id, cy.id]);

    expect(await clerk.users.getCount({ query: marker, externalId: [`ext-${tag}-ada`] })).toBe(1);
  });

  it('refuses an order_by it does not know and a filter it cannot apply', async () => {
    const bad = await t.bapi('GET', '/v1/users?order_by=-phone_number');
    expect(bad.status).toBe(422);
    const unknown = await t.bapi('GET', '/v1/users?phone_number=%2B15555550100');
    expect(unknown.status).toBe(422);
    expect((await json(unknown)).errors[0].code).toBe('form_param_unknown');
  });

  it('filters by created_at, banned and organization', async () => {
    const user = await clerk.users.createUser({ emailAddress: [unique('window')] });
    const inWindow = await clerk.users.getUserList({
      createdAtAfter: user.createdAt - 1,
      createdAtBefore: user.createdAt + 1,
      userId: [user.id],
    });
    expect(inWindow.data.map((u) => u.id)).toEqual([user.id]);
    await clerk.users.banUser(user.id);
    const banned = await t.bapi('GET', `/v1/users?banned=true&user_id=${user.id}`);
    expect((await json(banned)).map((u: { id: string }) => u.id)).toEqual([user.id]);
    const org = await clerk.organizations.createOrganization({ name: `Filter ${tag}`, createdBy: user.id });
    const members = await clerk.users.getUserList({ organizationId: [org.id] });
    expect(members.data.map((u) => u.id)).toEqual([user.id]);
  });
});

describe('POST /v1/users with Clerk create fields', () => {
  it('keeps external_id, username, locale and created_at, and shows the fields Clerk requires', async () => {
    const createdAt = '2021-03-04T05:06:07.000Z';
    const user = await clerk.users.createUser({
      emailAddress: [unique('fields')],
      externalId: `legacy-${tag}-1`,
      username: `Fields_${tag}`,
      password: 'correct horse battery staple',
      createdAt: new Date(createdAt),
    } as Parameters<ClerkClient['users']['createUser']>[0]);
    expect(user.externalId).toBe(`legacy-${tag}-1`);
    expect(user.username).toBe(`fields_${tag}`);
    expect(user.createdAt).toBe(Date.parse(createdAt));
    const raw = await json(await t.bapi('GET', `/v1/users/${user.id}`));
    expect(raw).toMatchObject({ mfa_enabled_at: null, mfa_disabled_at: null, locale: null, banned: false });
    expect(raw.password_last_updated_at).toBe(Date.parse(createdAt));

    const updated = await clerk.users.updateUser(user.id, { externalId: `legacy-${tag}-2`, locale: 'fr-FR' });
    expect(updated.externalId).toBe(`legacy-${tag}-2`);
    expect((await json(await t.bapi('GET', `/v1/users/${user.id}`))).locale).toBe('fr-FR');
  });

  it('refuses an external_id or username another user holds, whatever the case', async () => {
    await clerk.users.createUser({ emailAddress: [unique('one')], externalId: `dup-${tag}`, username: `dup_${tag}` });
    const ext = await apiError(() =>
      clerk.users.createUser({ emailAddress: [unique('two')], externalId: `dup-${tag}` }),
    );
    expect(ext.status).toBe(422);
    expect(ext.errors[0]).toMatchObject({ code: 'form_identifier_exists', meta: { paramName: 'external_id' } });
    const name = await apiError(() =>
      clerk.users.createUser({ emailAddress: [unique('three')], username: `DUP_${tag}` }),
    );
    expect(name.errors[0]).toMatchObject({ code: 'form_identifier_exists', meta: { paramName: 'username' } });
    const other = await clerk.users.createUser({ emailAddress: [unique('four')] });
    const taken = await apiError(() => clerk.users.updateUser(other.id, { username: `dup_${tag}` }));
    expect(taken.errors[0]?.code).toBe('form_identifier_exists');
    expect(await clerk.users.getCount({ emailAddress: [unique('two')] })).toBe(0);
  });

  it('imports a Clerk-shaped export with bcrypt and argon2 digests; the old passwords sign in', async () => {
    const people = [
      { email: unique('bcrypt'), password: 'old bcrypt password 1', hasher: 'bcrypt' as const },
      { email: unique('argon2i'), password: 'old argon2i password 2', hasher: 'argon2i' as const },
    ];
    // What a Clerk export holds per user: id, addresses, names, the digest and its hasher.
    const exported = await Promise.all(
      people.map(async (p, i) => ({
        id: `user_legacy${tag}${i}`,
        email_addresses: [p.email],
        first_name: `Legacy${i}`,
        password_digest:
          p.hasher === 'bcrypt'
            ? await bcrypt.hash(p.password, 4)
            : await argon2Hash(p.password, { algorithm: ARGON2I }),
        password_hasher: p.hasher,
      })),
    );
    for (const row of exported) {
      const user = await clerk.users.createUser({
        externalId: row.id,
        emailAddress: row.email_addresses,
        firstName: row.first_name,
        passwordDigest: row.password_digest,
        passwordHasher: row.password_hasher,
      });
      expect(user.passwordEnabled).toBe(true);
    }
    for (const [i, p] of people.entries()) {
      expect(await signInStatus(p.email, 'not the password')).toBe(422);
      expect(await signInStatus(p.email, p.password)).toBe(200);
      // The digest was replaced by Roster's argon2id on that sign-in; the password still works.
      const [user] = (await clerk.users.getUserList({ externalId: [exported[i]!.id] })).data;
      const stored = await t.roster.deps.store.findUser(user!.id);
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await signInStatus(p.email, p.password)).toBe(200);
    }
  });

  it('refuses a digest that is not of its hasher, and one without a hasher', async () => {
    const wrong = await t.bapi('POST', '/v1/users', {
      email_address: [unique('wrong')],
      password_digest: 'plain text',
      password_hasher: 'bcrypt',
    });
    expect(wrong.status).toBe(422);
    expect((await json(wrong)).errors[0]).toMatchObject({
      code: 'form_param_format_invalid',
      meta: { param_name: 'password_digest' },
    });
    const bare = await t.bapi('POST', '/v1/users', {
      email_address: [unique('bare')],
      password_digest: await bcrypt.hash('x', 4),
    });
    expect((await json(bare)).errors[0]).toMatchObject({ code: 'form_param_missing' });
    const unsupported = await t.bapi('POST', '/v1/users', {
      email_address: [unique('md5')],
      password_digest: '5f4dcc3b5aa765d61d8327deb882cf99',
      password_hasher: 'md5',
    });
    expect(unsupported.status).toBe(422);
  });
});
