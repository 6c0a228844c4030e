import { randomBytes } from 'node:crypto';
import type { SqlHandle } from '../db.js';
import { randomId, type SeededInvitation, type SeededInvitee, sha256hex } from '../product.js';

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

function invitationRows(orgId: string, inviterId: string, emails: string[]) {
  const now = Date.now();
  const items: SeededInvitation[] = [];
  const rows = emails.map((email) => {
    const ticket = randomBytes(32).toString('base64url');
    const invitationId = id('orginv');
    items.push({ id: invitationId, email, ticket });
    return [
      invitationId,
      orgId,
      email,
      email,
      'org:member',
      'pending',
      inviterId,
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
  });
  return { items, rows };
}

const INVITATION_COLUMNS = [
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
];

/** Pending invitations to fresh addresses; each comes back with its raw link token. */
export async function seedRosterInvitations(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string },
): Promise<SeededInvitation[]> {
  const tag = randomId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const emails = Array.from({ length: options.count }, (_, i) => `new-${tag}-${i}@invitee.test`);
  const { items, rows } = invitationRows(options.orgId, options.inviterId, emails);
  await sql.insertRows('invitations', INVITATION_COLUMNS, rows);
  return items;
}

/** Existing users (verified address, live session) each with a pending invitation. */
export async function seedRosterInvitees(
  sql: SqlHandle,
  options: { orgId: string; count: number; inviterId: string; origin: string },
): Promise<SeededInvitee[]> {
  const now = Date.now();
  const tag = randomId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const emails = Array.from({ length: options.count }, (_, i) => `member-${tag}-${i}@invitee.test`);
  const users: unknown[][] = [];
  const addresses: unknown[][] = [];
  const sessions: unknown[][] = [];
  const tokens: string[] = [];
  for (const email of emails) {
    const userId = id('user');
    const token = randomBytes(32).toString('base64url');
    tokens.push(token);
    users.push([userId, 'Existing', 'User', null, '{}', '{}', now, now, null]);
    addresses.push([id('idn'), userId, email, email, 1, 'email_code', now, now]);
    sessions.push([id('sess'), userId, sha256hex(token), null, now, now + 30 * DAY, now]);
  }
  await sql.insertRows(
    'users',
    [
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
    users,
  );
  await sql.insertRows(
    'email_addresses',
    ['id', 'user_id', 'email', 'email_normalized', 'verified', 'verification_strategy', 'created_at', 'updated_at'],
    addresses,
  );
  await sql.insertRows(
    'sessions',
    ['id', 'user_id', 'token_hash', 'active_organization_id', 'created_at', 'expires_at', 'last_active_at'],
    sessions,
  );
  const { items, rows } = invitationRows(options.orgId, options.inviterId, emails);
  await sql.insertRows('invitations', INVITATION_COLUMNS, rows);
  return items.map((item, i) => ({
    ...item,
    headers: { cookie: `__roster_session=${tokens[i]}`, origin: options.origin },
  }));
}
