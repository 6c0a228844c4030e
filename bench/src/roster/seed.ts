import { randomBytes } from 'node:crypto';
import type { SqlHandle } from '../db.js';
import { randomId, type SeededInvitation, type SeededInvitee, sha256hex } from '../product.js';
import { insertPerAddress, inviteeEmails, seedSignedInInvitees, type Table } from '../seeding.js';

/**
 * Direct inserts into Roster's tables (schema: packages/server/src/storage/migrations.ts).
 * Large organizations are generated inside the database in one statement per table; small sets
 * whose tokens the bench must know are generated here and inserted in one transaction.
 */

const DAY = 86_400_000;
const id = (prefix: string) => `${prefix}_bench${randomId(15)}`;

/**
 * An organization (the admin as `org:admin`) with `count` pending invitations. No outbox rows:
 * a list reads delivery state by invitation id through an index either way (shown as `queued`).
 */
export async function seedRosterOrganization(
  sql: SqlHandle,
  options: { tag: string; count: number; adminId: string },
): Promise<string> {
  const now = Date.now();
  const orgId = id('org');
  await sql.insertRows(
    'organizations',
    [
      'id',
      'name',
      'slug',
      'max_allowed_memberships',
      'admin_delete_enabled',
      'created_by',
      'public_metadata',
      'private_metadata',
      'created_at',
      'updated_at',
    ],
    [
      [
        orgId,
        `Seeded ${options.tag}`,
        `seeded-${options.tag}-${orgId.slice(-8).toLowerCase()}`,
        0,
        1,
        options.adminId,
        '{}',
        '{}',
        now,
        now,
      ],
    ],
  );
  await sql.insertRows(
    'memberships',
    ['id', 'organization_id', 'user_id', 'role', 'public_metadata', 'private_metadata', 'created_at', 'updated_at'],
    [[id('orgmem'), orgId, options.adminId, 'org:admin', '{}', '{}', now, now]],
  );
  const base = now - options.count - 1;
  const expires = now + 30 * DAY;
  const prefix = `${orgId.slice(-10)}x`;
  const columns =
    'id, organization_id, email_address, email_normalized, role, status, inviter_id, token_hash, public_metadata, private_metadata, redirect_url, notify, expires_at, created_at, updated_at, accepted_user_id';
  if (sql.dialect === 'sqlite') {
    await sql.run(
      `with recursive s(i) as (select 1 union all select i + 1 from s where i < ?)
       insert into invitations (${columns})
       select 'orginv_' || ? || i, ?, ? || i || '@seed.test', ? || i || '@seed.test', 'org:member', 'pending', ?,
              lower(hex(randomblob(32))), '{}', '{}', null, 1, ?, ? + i, ? + i, null from s`,
      [options.count, prefix, orgId, prefix, prefix, options.adminId, expires, base, base],
    );
  } else {
    await sql.run(
      `insert into invitations (${columns})
       select 'orginv_' || ?::text || i, ?, ?::text || i || '@seed.test', ?::text || i || '@seed.test', 'org:member', 'pending', ?,
              md5(random()::text || i::text) || md5(i::text || ?::text), '{}', '{}', null, 1, ?::bigint, ?::bigint + i, ?::bigint + i, null
       from generate_series(1, ?::int) as i`,
      [prefix, orgId, prefix, prefix, options.adminId, orgId, expires, base, base, options.count],
    );
  }
  await sql.settle();
  return orgId;
}

const INVITATION: Table = {
  name: 'invitations',
  columns: [
    'id',
    'organization_id',
    'email_address',
    'email_normalized',
    'role',
    'status',
    'inviter_id',
    'token_hash',
    'public_metadata',
    'private_metadata',
    'redirect_url',
    'notify',
    'expires_at',
    'created_at',
    'updated_at',
    'accepted_user_id',
  ],
};
const USER: Table = {
  name: 'users',
  columns: [
    'id',
    'first_name',
    'last_name',
    'password_hash',
    'public_metadata',
    'private_metadata',
    'created_at',
    'updated_at',
    'last_sign_in_at',
  ],
};
const EMAIL_ADDRESS: Table = {
  name: 'email_addresses',
  columns: [
    'id',
    'user_id',
    'email',
    'email_normalized',
    'verified',
    'verification_strategy',
    'created_at',
    'updated_at',
  ],
};
const SESSION: Table = {
  name: 'sessions',
  columns: ['id', 'user_id', 'token_hash', 'active_organization_id', 'created_at', 'expires_at', 'last_active_at'],
};

/** One pending invitation per address; the ticket is the raw link token (only its hash is stored). */
function insertInvitations(sql: SqlHandle, options: { orgId: string; inviterId: string }, emails: string[]) {
  const now = Date.now();
  return insertPerAddress<SeededInvitation>(sql, {
    tables: [INVITATION],
    emails,
    make: (email) => {
      const ticket = randomBytes(32).toString('base64url');
      const invitationId = id('orginv');
      const row = [
        invitationId,
        options.orgId,
        email,
        email,
        'org:member',
        'pending',
        options.inviterId,
        sha256hex(ticket),
        '{}',
        '{}',
        null,
        1,
        now + 30 * DAY,
        now,
        now,
        null,
      ];
      return { value: { id: invitationId, email, ticket }, rows: [row] };
    },
  });
}

/** Pending invitations to fresh addresses; each comes back with its raw link token. */
export async function seedRosterInvitations(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string },
): Promise<SeededInvitation[]> {
  return insertInvitations(sql, options, inviteeEmails('new', options.count));
}

/** Existing users (verified address, live session) each with a pending invitation. */
export async function seedRosterInvitees(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string; origin: string },
): Promise<SeededInvitee[]> {
  const now = Date.now();
  return seedSignedInInvitees(sql, {
    count: options.count,
    accountTables: [USER, EMAIL_ADDRESS, SESSION],
    account: (email) => {
      const userId = id('user');
      const token = randomBytes(32).toString('base64url');
      return {
        token,
        rows: [
          [userId, 'Existing', 'User', null, '{}', '{}', now, now, null],
          [id('idn'), userId, email, email, 1, 'email_code', now, now],
          [id('sess'), userId, sha256hex(token), null, now, now + 30 * DAY, now],
        ],
      };
    },
    invite: (emails) => insertInvitations(sql, options, emails),
    headers: (token) => ({ cookie: `__roster_session=${token}`, origin: options.origin }),
  });
}
