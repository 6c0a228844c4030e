import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type {
  MembershipFilters,
  MembershipOrder,
  OrganizationFilters,
  OrganizationOrder,
} from '../domain/lists/filters.js';
import type { Membership, Organization, Page } from '../domain/records.js';
import { membershipFromRow, organizationFromRow } from './rows.js';
import type { Database } from './schema.js';

/**
 * The Backend API's filtered lists of memberships and organizations (decision 037). Each default
 * order (newest first) reads an index in order (migrations 0035, 0036): an organization's members through
 * `memberships_org_created_id`, the instance's through `memberships_created_id`, organizations
 * through `organizations_created_id` (`organizations_name_id` for `name`). Orders by a user's name
 * or address, and by members_count, sort what the filters kept.
 */

/** `%text%` for LIKE with `\` as the escape, lower-cased: the same meaning on SQLite and PostgreSQL. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const like = (expression: Expression<unknown>, pattern: string) =>
  sql<SqlBool>`lower(${expression}) like ${pattern} escape '\\'`;

const fullName = sql`coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, '')`;

/** The conditions on a member's user, as one `user_id in (select … from users …)`, or null when none. */
function userConditions(eb: ExpressionBuilder<Database, 'memberships'>, f: MembershipFilters) {
  const conditions: Expression<SqlBool>[] = [];
  // Correlated with the `users` of the subquery these conditions end up in.
  const anyEmail = (condition: Expression<SqlBool>) =>
    eb.exists(
      eb
        .selectFrom('email_addresses')
        .select('email_addresses.id')
        .where(sql<SqlBool>`email_addresses.user_id = users.id`)
        .where(condition),
    );
  if (f.emails) {
    const emails = f.emails.length ? f.emails : [''];
    conditions.push(anyEmail(sql<SqlBool>`email_addresses.email_normalized in (${sql.join(emails)})`));
  }
  if (f.query) {
    const pattern = containsPattern(f.query);
    conditions.push(
      eb.or([
        like(sql.ref('users.id'), pattern),
        like(fullName, pattern),
        anyEmail(like(sql.ref('email_addresses.email'), pattern)),
      ]),
    );
  }
  if (f.emailQuery) {
    const pattern = containsPattern(f.emailQuery);
    conditions.push(anyEmail(like(sql.ref('email_addresses.email'), pattern)));
  }
  if (f.nameQuery) conditions.push(like(fullName, containsPattern(f.nameQuery)));
  if (f.createdAfter !== undefined) conditions.push(sql<SqlBool>`users.created_at > ${f.createdAfter}`);
  if (f.createdBefore !== undefined) conditions.push(sql<SqlBool>`users.created_at < ${f.createdBefore}`);
  if (f.lastActiveAfter !== undefined) conditions.push(sql<SqlBool>`users.last_sign_in_at > ${f.lastActiveAfter}`);
  if (f.lastActiveBefore !== undefined) conditions.push(sql<SqlBool>`users.last_sign_in_at < ${f.lastActiveBefore}`);
  if (conditions.length === 0) return null;
  return eb('memberships.user_id', 'in', eb.selectFrom('users').select('users.id').where(eb.and(conditions)));
}

/** What a membership sorts by for `order` (a correlated lookup of its user, or its own column). */
function membershipSortKey(field: MembershipOrder['field']) {
  switch (field) {
    case 'created_at':
      return sql.ref('memberships.created_at');
    case 'first_name':
      return sql`(select users.first_name from users where users.id = memberships.user_id)`;
    case 'last_name':
      return sql`(select users.last_name from users where users.id = memberships.user_id)`;
    case 'email_address':
      // The primary address, as the member's `identifier` shows it.
      return sql`(select e.email_normalized from email_addresses e where e.user_id = memberships.user_id
        order by e.is_primary desc, e.created_at limit 1)`;
  }
}

export async function listMemberships(
  db: Kysely<Database>,
  options: MembershipFilters & { order?: MembershipOrder; limit: number; offset: number },
): Promise<Page<Membership>> {
  if (options.matchNone) return { data: [], totalCount: 0 };
  let q = db.selectFrom('memberships');
  if (options.orgId) q = q.where('memberships.organization_id', '=', options.orgId);
  if (options.userId) q = q.where('memberships.user_id', '=', options.userId);
  if (options.userIds) q = q.where('memberships.user_id', 'in', options.userIds.length ? options.userIds : ['']);
  if (options.excludedUserIds?.length) q = q.where('memberships.user_id', 'not in', options.excludedUserIds);
  if (options.roles?.length) q = q.where('memberships.role', 'in', options.roles);
  const o = options;
  const byUser = [
    o.emails,
    o.query,
    o.emailQuery,
    o.nameQuery,
    o.createdAfter,
    o.createdBefore,
    o.lastActiveAfter,
    o.lastActiveBefore,
  ];
  if (byUser.some((f) => f !== undefined)) q = q.where((eb) => userConditions(eb, options)!);
  const order = options.order ?? { field: 'created_at', direction: 'desc' };
  // Absent names sort last either way, on both databases.
  const nulls = order.field === 'created_at' ? undefined : 'last';
  const [rows, count] = await Promise.all([
    q
      .selectAll('memberships')
      .orderBy(membershipSortKey(order.field), (ob) => {
        const o = order.direction === 'asc' ? ob.asc() : ob.desc();
        return nulls ? o.nullsLast() : o;
      })
      .orderBy('memberships.id', order.direction)
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { data: rows.map(membershipFromRow), totalCount: Number(count.n) };
}

const membersCount = sql<number>`(select count(*) from memberships m where m.organization_id = organizations.id)`;

export async function listOrganizations(
  db: Kysely<Database>,
  options: OrganizationFilters & { order?: OrganizationOrder; limit: number; offset: number },
): Promise<Page<Organization>> {
  let q = db.selectFrom('organizations');
  if (options.ids) q = q.where('organizations.id', 'in', options.ids.length ? options.ids : ['']);
  if (options.excludedIds?.length) q = q.where('organizations.id', 'not in', options.excludedIds);
  if (options.query) {
    const pattern = containsPattern(options.query);
    const query = options.query;
    q = q.where((eb) =>
      eb.or([
        like(sql.ref('organizations.name'), pattern),
        like(sql.ref('organizations.slug'), pattern),
        eb('organizations.id', '=', query),
      ]),
    );
  }
  const memberOf = (eb: ExpressionBuilder<Database, 'organizations'>, userIds: string[]) =>
    eb.exists(
      eb
        .selectFrom('memberships')
        .select('memberships.id')
        .whereRef('memberships.organization_id', '=', 'organizations.id')
        .where('memberships.user_id', 'in', userIds),
    );
  const { memberIds, excludedMemberIds } = options;
  if (memberIds) q = q.where((eb) => (memberIds.length ? memberOf(eb, memberIds) : eb.lit(false)));
  if (excludedMemberIds?.length) q = q.where((eb) => eb.not(memberOf(eb, excludedMemberIds)));
  const order = options.order ?? { field: 'created_at', direction: 'desc' };
  const key =
    order.field === 'members_count'
      ? membersCount
      : sql.ref(order.field === 'name' ? 'organizations.name' : 'organizations.created_at');
  const [rows, count] = await Promise.all([
    q
      .selectAll('organizations')
      .orderBy(key, order.direction)
      .orderBy('organizations.id', order.direction)
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { data: rows.map(organizationFromRow), totalCount: Number(count.n) };
}
