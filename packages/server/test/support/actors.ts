import { type Browser, json, PUBLIC_URL, SECRET_KEY, seedOrganization, type TestRoster } from './harness.js';

/** The actors of the authorization tests, the world they act in, and a fresh target per row. */

export const ACTORS = ['anonymous', 'wrong_key', 'member', 'other_admin', 'admin', 'secret_key', 'invitee'] as const;
export type Actor = (typeof ACTORS)[number];

/** Same length as the real key, so the constant-time comparison itself is exercised. */
export const WRONG_KEY = `${SECRET_KEY.slice(0, -1)}X`;

export async function ok(res: Promise<Response>) {
  const r = await res;
  if (r.status !== 200) throw new Error(`setup call failed: ${r.status} ${await r.text()}`);
  return json(r);
}

async function signedIn(t: TestRoster, email: string, password: string): Promise<Browser> {
  const browser = t.browser();
  const res = await browser.post('/fapi/v1/client/sign_ins', { identifier: email, password });
  if (res.status !== 200) throw new Error(`sign in failed: ${await res.text()}`);
  return browser;
}

/**
 * Two organizations: A (`admin`, with `member` as org:member) and B (`other_admin`, with a member
 * and a pending invitation of its own), plus `invitee`, a signed-in user in neither.
 */
export async function buildWorld(t: TestRoster) {
  const a = await seedOrganization(t, { name: 'Acme' });
  const b = await seedOrganization(t, { name: 'Globex' });
  const password = 'correct horse battery staple';
  const member = await ok(t.bapi('POST', '/v1/users', { email_address: ['member@example.test'], password }));
  await ok(t.bapi('POST', `/v1/organizations/${a.org.id}/memberships`, { user_id: member.id, role: 'org:member' }));
  const invitee = await ok(t.bapi('POST', '/v1/users', { email_address: ['invitee@example.test'], password }));
  // Org B's own things, for the cross-organization cases.
  const foreignMember = await ok(t.bapi('POST', '/v1/users', { email_address: ['globex-member@example.test'] }));
  await ok(
    t.bapi('POST', `/v1/organizations/${b.org.id}/memberships`, { user_id: foreignMember.id, role: 'org:member' }),
  );
  const foreignInvitation = await ok(
    t.bapi('POST', `/v1/organizations/${b.org.id}/invitations`, {
      email_address: 'globex-invitee@example.test',
      role: 'org:member',
      notify: false,
    }),
  );
  const browsers: Partial<Record<Actor, Browser>> = {
    admin: a.browser,
    other_admin: b.browser,
    member: await signedIn(t, 'member@example.test', password),
    invitee: await signedIn(t, 'invitee@example.test', password),
  };
  return {
    orgA: a.org.id as string,
    orgB: b.org.id as string,
    adminId: a.user.id as string,
    otherAdminId: b.user.id as string,
    memberId: member.id as string,
    inviteeId: invitee.id as string,
    foreignMemberId: foreignMember.id as string,
    foreignInvitationId: foreignInvitation.id as string,
    browsers,
  };
}

/** Makes a fresh organization of `w.admin` per call (so a row's allowed call cannot affect the next). */
export function fixtures(t: TestRoster, w: World) {
  let rows = 0;
  return async (label: string): Promise<Fixture> => {
    const n = ++rows;
    const org = await ok(t.bapi('POST', '/v1/organizations', { name: `Row ${n}`, created_by: w.adminId }));
    const add = (user_id: string) =>
      ok(t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id, role: 'org:member' }));
    await add(w.memberId);
    const target = await ok(t.bapi('POST', '/v1/users', { email_address: [`target-${n}@example.test`] }));
    await add(target.id);
    const outsider = await ok(t.bapi('POST', '/v1/users', { email_address: [`outsider-${n}@example.test`] }));
    const invite = (email_address: string) =>
      ok(
        t.bapi('POST', `/v1/organizations/${org.id}/invitations`, { email_address, role: 'org:member', notify: false }),
      );
    const pending = await invite(`pending-${n}@example.test`);
    const forInvitee = await invite('invitee@example.test');
    return {
      orgId: org.id,
      targetUserId: target.id,
      outsiderUserId: outsider.id,
      invitationId: pending.id,
      inviteeInvitationId: forInvitee.id,
      ticket: new URL(forInvitee.url).searchParams.get('ticket')!,
      newEmails: [`new-${label}-${n}@example.test`, `new2-${label}-${n}@example.test`],
    };
  };
}

export type Caller = (
  actor: Actor,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Response>;

/** Calls the app as `actor`: signed-in actors through their browser (cookie, same-origin), the rest raw. */
export function caller(t: TestRoster, w: World): Caller {
  return async (actor, method, path, body, headers = {}) => {
    const browser = w.browsers[actor];
    if (browser) return browser.fetch(method, path, { headers, ...(body !== undefined && { json: body }) });
    const h: Record<string, string> = { ...headers };
    if (actor === 'wrong_key') h.authorization = `Bearer ${WRONG_KEY}`;
    if (actor === 'secret_key') h.authorization = `Bearer ${SECRET_KEY}`;
    if (method !== 'GET') h.origin ??= PUBLIC_URL;
    if (body !== undefined) h['content-type'] = 'application/json';
    return t.roster.app.request(`${PUBLIC_URL}${path}`, {
      method,
      headers: h,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  };
}

/** Everything a refused call must not touch: compare one taken before with one taken after. */
export async function dbSnapshot(t: TestRoster) {
  const db = t.roster.database.db;
  return {
    invitations: await db
      .selectFrom('invitations')
      .select(['id', 'organization_id', 'email_normalized', 'status', 'role', 'updated_at', 'accepted_user_id'])
      .orderBy('id')
      .execute(),
    memberships: await db
      .selectFrom('memberships')
      .select(['id', 'organization_id', 'user_id', 'role', 'updated_at'])
      .orderBy('id')
      .execute(),
    outbox: await db.selectFrom('outbox').select(['id', 'to_address']).orderBy('id').execute(),
    users: await db.selectFrom('users').select('id').orderBy('id').execute(),
    organizations: await db.selectFrom('organizations').select(['id', 'updated_at']).orderBy('id').execute(),
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** A fresh organization of `w.admin` for one row, with `w.member` as org:member and fresh targets. */
export interface Fixture {
  orgId: string;
  /** An org:member other than the caller: whose role is changed, who is removed. */
  targetUserId: string;
  /** A user in no organization: who the Backend API adds. */
  outsiderUserId: string;
  /** A pending invitation to an address nobody holds. */
  invitationId: string;
  /** A pending invitation to the invitee's verified address, and its link token. */
  inviteeInvitationId: string;
  ticket: string;
  /** Addresses nobody invited yet: what the create calls name. */
  newEmails: [string, string];
}
