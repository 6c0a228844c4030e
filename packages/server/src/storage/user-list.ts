import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { UserListFilters, UserOrder } from '../domain/store.js';
import type { Database } from './schema.js';

type UserQuery = SelectQueryBuilder<Database, 'users', object>;

/** `%text%` for LIKE, lower-cased, with LIKE's own characters escaped (used with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const none = (values: string[]) => (values.length ? values : ['']);

/**
 * The users matching Clerk's list filters (`GET /v1/users` and `/users/count`): each given
 * filter narrows the set; `excluded*` are Clerk's `-` prefixed ids. `query` matches part of an
 * address, the id, the username or the name, case-insensitively, the same on both dialects.
 */
export function userListQuery(db: Kysely<Database>, f: UserListFilters): UserQuery {
  let q = db.selectFrom('users');
  if (f.userIds) q = q.where('users.id', 'in', none(f.userIds));
  if (f.excludedUserIds?.length) q = q.where('users.id', 'not in', f.excludedUserIds);
  if (f.externalIds) q = q.where('users.external_id', 'in', none(f.externalIds));
  if (f.excludedExternalIds?.length) {
    const excluded = f.excludedExternalIds;
    q = q.where((eb) => eb.or([eb('users.external_id', 'is', null), eb('users.external_id', 'not in', excluded)]));
  }
  if (f.usernames) q = q.where('users.username', 'in', none(f.usernames));
  if (f.organizationIds) {
    const orgs = none(f.organizationIds);
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships')
          .select('memberships.id')
          .whereRef('memberships.user_id', '=', 'users.id')
          .where('memberships.organization_id', 'in', orgs),
      ),
    );
  }
  if (f.banned !== undefined) q = q.where('users.banned', '=', f.banned ? 1 : 0);
  if (f.createdAfter !== undefined) q = q.where('users.created_at', '>', f.createdAfter);
  if (f.createdBefore !== undefined) q = q.where('users.created_at', '<', f.createdBefore);
  if (f.lastSignInAfter !== undefined) q = q.where('users.last_sign_in_at', '>', f.lastSignInAfter);
  if (f.lastSignInBefore !== undefined) q = q.where('users.last_sign_in_at', '<', f.lastSignInBefore);
  if (f.emails) {
    const emails = none(f.emails);
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('email_addresses')
          .select('email_addresses.id')
          .whereRef('email_addresses.user_id', '=', 'users.id')
          .where('email_addresses.email_normalized', 'in', emails),
      ),
    );
  }
  if (f.query) {
    const p = containsPattern(f.query);
    q = q.where(sql<boolean>`(lower(users.id) like ${p} escape '\\'
      or lower(coalesce(users.username, '')) like ${p} escape '\\'
      or lower(coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, '')) like ${p} escape '\\'
      or exists (select 1 from email_addresses where email_addresses.user_id = users.id
        and lower(email_addresses.email) like ${p} escape '\\'))`);
  }
  return q;
}

/** The sort value of each `order_by` field; `email_address` is the primary address. */
const SORT_KEYS = {
  created_at: sql`users.created_at`,
  updated_at: sql`users.updated_at`,
  first_name: sql`lower(users.first_name)`,
  last_name: sql`lower(users.last_name)`,
  username: sql`users.username`,
  last_sign_in_at: sql`users.last_sign_in_at`,
  // The primary address: the flagged one, else the oldest (as the user's addresses are listed).
  email_address: sql`(select e.email_normalized from email_addresses e where e.user_id = users.id
    order by e.is_primary desc, e.created_at, e.id limit 1)`,
} satisfies Record<UserOrder['field'], unknown>;

/**
 * Orders a user list as Clerk's `order_by`; users without the value (no name, never signed in)
 * come last either way, on both dialects (they disagree on where NULL sorts), then newest first.
 */
export function orderUsers<O>(q: SelectQueryBuilder<Database, 'users', O>, order: UserOrder | undefined) {
  const { field, direction } = order ?? { field: 'created_at', direction: 'desc' };
  const key = SORT_KEYS[field];
  // Ties (users created in the same millisecond) go by id, which grows with time, the same way.
  const then = field === 'created_at' ? direction : 'desc';
  return q
    .orderBy(sql`(${key}) is null`)
    .orderBy(key, direction)
    .orderBy('users.created_at', then)
    .orderBy('users.id', then);
}
