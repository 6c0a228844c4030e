import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createMembershipBody,
  organizationMembershipJSON,
  organizationMetadataBody,
  pageJSON,
  paginationQuery,
  roleKey,
  updateMembershipBody,
} from '@roster/protocol';
import { z } from 'zod';
import { normalizeEmail } from '../../domain/crypto.js';
import type { MembershipFilters } from '../../domain/lists/filters.js';
import {
  addMember,
  listMembers,
  mergeMembershipMetadata,
  removeMember,
  updateMemberRole,
} from '../../domain/memberships/memberships.js';
import type { Membership } from '../../domain/records.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeMemberships } from '../serialize.js';
import { msBound, orderBy, signedIds } from './list-query.js';

const tags = ['Memberships'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const memberParams = orgParams.extend({ user_id: z.string().max(64) });
const secretKey = { kind: 'secret_key' } as const;

/** Clerk's member orders Roster can honour (it has no phone numbers or usernames to sort by). */
export const membershipOrderBy = orderBy(['created_at', 'first_name', 'last_name', 'email_address']);

/**
 * Clerk's member-list filters. Strict: those Roster lacks (`username`, `web3_wallet`, their
 * `*_query`) are refused, not ignored. `phone_number` is accepted: no Roster user has one, so it
 * matches nobody, as Clerk's would for an instance without phone numbers.
 */
const memberListQuery = paginationQuery
  .extend({
    role: z.array(roleKey).max(100).optional(),
    user_id: signedIds(64),
    email_address: z.array(z.string().max(320)).max(100).optional(),
    phone_number: z.array(z.string().max(32)).max(100).optional(),
    query: z.string().trim().max(256).optional(),
    email_address_query: z.string().trim().max(320).optional(),
    name_query: z.string().trim().max(256).optional(),
    created_at_before: msBound,
    created_at_after: msBound,
    last_active_at_before: msBound,
    last_active_at_after: msBound,
    order_by: membershipOrderBy,
  })
  .strict();

/** The parsed query as the store's filters. */
function memberFilters(q: z.output<typeof memberListQuery>): Omit<MembershipFilters, 'orgId'> {
  return {
    ...(q.role && { roles: q.role }),
    ...(q.user_id.keep && { userIds: q.user_id.keep }),
    ...(q.user_id.drop && { excludedUserIds: q.user_id.drop }),
    ...(q.email_address && { emails: q.email_address.map(normalizeEmail) }),
    ...(q.phone_number?.length && { matchNone: true }),
    ...(q.query && { query: q.query }),
    ...(q.email_address_query && { emailQuery: q.email_address_query }),
    ...(q.name_query && { nameQuery: q.name_query }),
    ...(q.created_at_after !== undefined && { createdAfter: q.created_at_after }),
    ...(q.created_at_before !== undefined && { createdBefore: q.created_at_before }),
    ...(q.last_active_at_after !== undefined && { lastActiveAfter: q.last_active_at_after }),
    ...(q.last_active_at_before !== undefined && { lastActiveBefore: q.last_active_at_before }),
  };
}

/** Backend API memberships: add, list, change role, metadata, remove (answers the removed membership). */
export function registerMembershipRoutes(app: OpenAPIHono<AppEnv>) {
  const one = async (c: { var: AppEnv['Variables'] }, m: Membership) =>
    (await serializeMemberships(c.var.deps.store, [m], 'backend', c.var.deps.now()))[0]!;

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/memberships',
      summary: 'Add a user to an organization',
      tags,
      params: orgParams,
      body: createMembershipBody,
      response: organizationMembershipJSON,
    },
    async (c, { params, body }) =>
      one(
        c,
        await addMember(c.var.deps, params.organization_id, {
          userId: body.user_id,
          role: body.role,
          publicMetadata: body.public_metadata ?? null,
          privateMetadata: body.private_metadata ?? null,
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/memberships',
      summary: "List an organization's members",
      tags,
      params: orgParams,
      query: memberListQuery,
      response: pageJSON(organizationMembershipJSON),
    },
    async (c, { params, query }) => {
      const page = await listMembers(c.var.deps, secretKey, params.organization_id, {
        limit: query.limit,
        offset: query.offset,
        ...memberFilters(query),
        ...(query.order_by && { order: query.order_by }),
      });
      return {
        data: await serializeMemberships(c.var.deps.store, page.data, 'backend', c.var.deps.now()),
        total_count: page.totalCount,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organizations/:organization_id/memberships/:user_id',
      summary: "Change a member's role",
      tags,
      params: memberParams,
      body: updateMembershipBody.strict(),
      response: organizationMembershipJSON,
    },
    async (c, { params, body }) =>
      one(c, await updateMemberRole(c.var.deps, secretKey, params.organization_id, params.user_id, body.role)),
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organizations/:organization_id/memberships/:user_id/metadata',
      summary: "Merge a membership's metadata",
      tags,
      params: memberParams,
      body: organizationMetadataBody,
      response: organizationMembershipJSON,
    },
    async (c, { params, body }) =>
      one(
        c,
        await mergeMembershipMetadata(c.var.deps, params.organization_id, params.user_id, {
          publicMetadata: body.public_metadata ?? null,
          privateMetadata: body.private_metadata ?? null,
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organizations/:organization_id/memberships/:user_id',
      summary: 'Remove a member',
      tags,
      params: memberParams,
      response: organizationMembershipJSON,
    },
    async (c, { params }) => {
      const removed = await removeMember(c.var.deps, secretKey, params.organization_id, params.user_id);
      // The organization still exists, so the removed membership serializes with its current counts.
      return one(c, removed);
    },
  );
}
