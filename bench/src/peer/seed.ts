import { randomBytes } from 'node:crypto';
import type { SqlHandle } from '../db.js';
import { isoDaysFromNow, type SeededInvitation, type SeededInvitee } from '../product.js';
import { insertPerAddress, inviteeEmails, seedSignedInInvitees, type Table } from '../seeding.js';

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

const INVITATION: Table = {
  name: 'invitation',
  columns: ['id', 'organizationId', 'email', 'role', 'status', 'expiresAt', 'createdAt', 'inviterId'],
};
const USER: Table = {
  name: 'user',
  columns: ['id', 'name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt'],
};
const SESSION: Table = {
  name: 'session',
  columns: [
    'id',
    'expiresAt',
    'token',
    'createdAt',
    'updatedAt',
    'ipAddress',
    'userAgent',
    'userId',
    'activeOrganizationId',
  ],
};

/** One pending invitation per address; the ticket is the invitation id (the peer's link carries it). */
function insertInvitations(sql: SqlHandle, options: { orgId: string; inviterId: string }, emails: string[]) {
  const now = new Date().toISOString();
  const expires = isoDaysFromNow(30);
  return insertPerAddress<SeededInvitation>(sql, {
    tables: [INVITATION],
    emails,
    make: (email) => {
      const id = peerId();
      return {
        value: { id, email, ticket: id },
        rows: [[id, options.orgId, email, 'member', 'pending', expires, now, options.inviterId]],
      };
    },
  });
}

export async function seedPeerInvitations(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string },
): Promise<SeededInvitation[]> {
  return insertInvitations(sql, options, inviteeEmails('new', options.count));
}

export async function seedPeerInvitees(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string; cookie: (token: string) => string; origin: string },
): Promise<SeededInvitee[]> {
  const now = new Date().toISOString();
  const expires = isoDaysFromNow(7);
  const verified = sql.dialect === 'postgres' ? true : 1;
  return seedSignedInInvitees(sql, {
    count: options.count,
    accountTables: [USER, SESSION],
    account: (email) => {
      const userId = peerId();
      const token = peerId();
      return {
        token,
        rows: [
          [userId, 'Existing User', email, verified, null, now, now],
          [peerId(), expires, token, now, now, '127.0.0.1', 'bench', userId, null],
        ],
      };
    },
    invite: (emails) => insertInvitations(sql, options, emails),
    headers: (token) => ({ cookie: options.cookie(token), origin: options.origin }),
  });
}
