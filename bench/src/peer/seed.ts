import { randomBytes } from 'node:crypto';
import type { SqlHandle } from '../db.js';
import { isoDaysFromNow, randomId, type SeededInvitation, type SeededInvitee } from '../product.js';

/**
 * Direct inserts into Better Auth's tables (created by its own `getMigrations`): `organization`,
 * `member`, `invitation`, `user`, `session`. Dates are ISO strings (SQLite stores them so;
 * PostgreSQL's timestamptz columns parse them). Ids are 32 characters, as Better Auth makes them.
 */

const peerId = () => randomBytes(24).toString('base64url').slice(0, 32);

export async function seedPeerOrganization(
  sql: SqlHandle,
  options: { tag: string; count: number; adminId: string },
): Promise<string> {
  const now = new Date().toISOString();
  const orgId = peerId();
  await sql.insertRows(
    'organization',
    ['id', 'name', 'slug', 'logo', 'createdAt', 'metadata'],
    [[orgId, `Seeded ${options.tag}`, `seeded-${options.tag}-${orgId.slice(0, 8).toLowerCase()}`, null, now, null]],
  );
  await sql.insertRows(
    'member',
    ['id', 'organizationId', 'userId', 'role', 'createdAt'],
    [[peerId(), orgId, options.adminId, 'owner', now]],
  );
  const expires = isoDaysFromNow(30);
  const prefix = `${orgId.slice(0, 10)}x`;
  const cast = sql.dialect === 'postgres' ? '::text' : '';
  const series =
    sql.dialect === 'sqlite' ? 'with recursive s(i) as (select 1 union all select i + 1 from s where i < ?) ' : '';
  const from = sql.dialect === 'sqlite' ? 'from s' : 'from generate_series(1, ?::int) as i';
  const values = [prefix, orgId, prefix, expires, now, options.adminId];
  await sql.run(
    `${series}insert into "invitation" ("id", "organizationId", "email", "role", "status", "expiresAt", "createdAt", "inviterId")
     select ?${cast} || i, ?, ?${cast} || i || '@seed.test', 'member', 'pending', ?, ?, ? ${from}`,
    sql.dialect === 'sqlite' ? [options.count, ...values] : [...values, options.count],
  );
  await sql.settle();
  return orgId;
}

const INVITATION_COLUMNS = ['id', 'organizationId', 'email', 'role', 'status', 'expiresAt', 'createdAt', 'inviterId'];

function invitationRows(orgId: string, inviterId: string, emails: string[]) {
  const now = new Date().toISOString();
  const expires = isoDaysFromNow(30);
  const items: SeededInvitation[] = [];
  const rows = emails.map((email) => {
    const id = peerId();
    items.push({ id, email, ticket: id });
    return [id, orgId, email, 'member', 'pending', expires, now, inviterId];
  });
  return { items, rows };
}

export async function seedPeerInvitations(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string },
): Promise<SeededInvitation[]> {
  const tag = randomId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const emails = Array.from({ length: options.count }, (_, i) => `new-${tag}-${i}@invitee.test`);
  const { items, rows } = invitationRows(options.orgId, options.inviterId, emails);
  await sql.insertRows('invitation', INVITATION_COLUMNS, rows);
  return items;
}

export async function seedPeerInvitees(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string; cookie: (token: string) => string; origin: string },
): Promise<SeededInvitee[]> {
  const now = new Date().toISOString();
  const expires = isoDaysFromNow(7);
  const verified = sql.dialect === 'postgres' ? true : 1;
  const tag = randomId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const emails = Array.from({ length: options.count }, (_, i) => `member-${tag}-${i}@invitee.test`);
  const users: unknown[][] = [];
  const sessions: unknown[][] = [];
  const tokens: string[] = [];
  for (const email of emails) {
    const userId = peerId();
    const token = peerId();
    tokens.push(token);
    users.push([userId, 'Existing User', email, verified, null, now, now]);
    sessions.push([peerId(), expires, token, now, now, '127.0.0.1', 'bench', userId, null]);
  }
  await sql.insertRows('user', ['id', 'name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt'], users);
  await sql.insertRows(
    'session',
    ['id', 'expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId', 'activeOrganizationId'],
    sessions,
  );
  const { items, rows } = invitationRows(options.orgId, options.inviterId, emails);
  await sql.insertRows('invitation', INVITATION_COLUMNS, rows);
  return items.map((item, i) => ({
    ...item,
    headers: { cookie: options.cookie(tokens[i]!), origin: options.origin },
  }));
}
