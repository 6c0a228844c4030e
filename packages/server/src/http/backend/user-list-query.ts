import { paginationQuery } from '@roster/protocol';
import { z } from 'zod';
import { normalizeEmail } from '../../domain/crypto.js';
import type { UserListFilters, UserOrder } from '../../domain/store.js';

const ids = (max: number) => z.array(z.string().trim().min(1).max(max)).max(100).optional();
const ms = z.coerce.number().int().min(0).optional();
const bool = z.enum(['true', 'false']).optional();

const ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email_address',
  'first_name',
  'last_name',
  'last_sign_in_at',
  'username',
] as const satisfies readonly UserOrder['field'][];

/**
 * Clerk's `GET /v1/users` filters, shared by `/v1/users/count` (which `@clerk/backend` calls with
 * the same ones). Strict: a filter Roster cannot apply (phone numbers, wallets, OAuth providers)
 * is refused with `form_param_unknown` rather than ignored, which would widen the result.
 */
export const userFilterQuery = z.strictObject({
  email_address: ids(320),
  external_id: ids(256),
  user_id: ids(65),
  username: ids(64),
  organization_id: ids(64),
  query: z.string().trim().max(256).optional(),
  banned: bool,
  created_at_before: ms,
  created_at_after: ms,
  last_sign_in_at_before: ms,
  last_sign_in_at_after: ms,
  // Roster's last activity is the last sign-in.
  last_active_at_before: ms,
  last_active_at_after: ms,
  last_active_at_since: ms,
});

/** `order_by`: a field of ORDER_FIELDS, `+` (or none) ascending, `-` descending; default `-created_at`. */
export const userOrderBy = z
  .string()
  .regex(new RegExp(`^[+-]?(${ORDER_FIELDS.join('|')})$`), `must be [+|-]${ORDER_FIELDS.join('|')}`)
  .optional()
  .transform((v): UserOrder | undefined =>
    v
      ? { field: v.replace(/^[+-]/, '') as UserOrder['field'], direction: v.startsWith('-') ? 'desc' : 'asc' }
      : undefined,
  );

export const userListQuery = paginationQuery.extend({ ...userFilterQuery.shape, order_by: userOrderBy }).strict();

/** Clerk's `+id` / `-id` lists: which to keep and which to leave out (no sign: keep). */
function signed(values: string[] | undefined): { keep?: string[]; drop?: string[] } {
  if (!values) return {};
  const keep = values.filter((v) => !v.startsWith('-')).map((v) => v.replace(/^\+/, ''));
  const drop = values.filter((v) => v.startsWith('-')).map((v) => v.slice(1));
  return { ...((keep.length > 0 || drop.length === 0) && { keep }), ...(drop.length > 0 && { drop }) };
}

/** The parsed query as the store's filters. */
export function userFilters(q: z.output<typeof userFilterQuery>): UserListFilters {
  const users = signed(q.user_id);
  const external = signed(q.external_id);
  const after = q.last_sign_in_at_after ?? q.last_active_at_after ?? q.last_active_at_since;
  const before = q.last_sign_in_at_before ?? q.last_active_at_before;
  return {
    ...(q.email_address && { emails: q.email_address.map(normalizeEmail) }),
    ...(users.keep && { userIds: users.keep }),
    ...(users.drop && { excludedUserIds: users.drop }),
    ...(external.keep && { externalIds: external.keep }),
    ...(external.drop && { excludedExternalIds: external.drop }),
    ...(q.username && { usernames: q.username.map((u) => u.toLowerCase()) }),
    ...(q.organization_id && { organizationIds: q.organization_id }),
    ...(q.query && { query: q.query }),
    ...(q.banned && { banned: q.banned === 'true' }),
    ...(q.created_at_after !== undefined && { createdAfter: q.created_at_after }),
    ...(q.created_at_before !== undefined && { createdBefore: q.created_at_before }),
    ...(after !== undefined && { lastSignInAfter: after }),
    ...(before !== undefined && { lastSignInBefore: before }),
  };
}
