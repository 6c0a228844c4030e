import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createMembershipBody,
  newestFirstOrder,
  organizationMembershipJSON,
  organizationMetadataBody,
  pageJSON,
  paginationQuery,
  roleKey,
  updateMembershipBody,
} from '@roster/protocol';
import { z } from 'zod';
import { normalizeEmail } from '../../domain/crypto.js';
import {
  addMember,
  listMembers,
  mergeMembershipMetadata,
  removeMember,
  updateMemberRole,
} from '../../domain/memberships/memberships.js';
import type { Membership } from '../../domain/records.js';
import type { Store } from '../../domain/store.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeMemberships } from '../serialize.js';

const tags = ['Memberships'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const memberParams = orgParams.extend({ user_id: z.string().max(64) });
const secretKey = { kind: 'secret_key' } as const;

/**
 * The users a membership list is narrowed to: those named by `user_id`, and those holding one of
 * `email_address` (both given: users matching both). `undefined` when neither filter is given.
 */
async function filterUserIds(
  store: Store,
  userIds: string[] | undefined,
  emails: string[] | undefined,
): Promise<string[] | undefined> {
  if (!emails) return userIds;
  const owners = emails.length
    ? (await store.listUsers({ emails: emails.map(normalizeEmail), limit: emails.length, offset: 0 })).map((u) => u.id)
    : [];
  return userIds ? owners.filter((id) => userIds.includes(id)) : owners;
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
      // Strict: the Clerk filters Roster lacks (query, username, phone_number, …) are refused, not ignored.
      query: paginationQuery
        .extend({
          role: z.array(roleKey).max(10).optional(),
          user_id: z.array(z.string().max(64)).max(100).optional(),
          email_address: z.array(z.string().max(320)).max(100).optional(),
          order_by: newestFirstOrder,
        })
        .strict(),
      response: pageJSON(organizationMembershipJSON),
    },
    async (c, { params, query }) => {
      const userIds = await filterUserIds(c.var.deps.store, query.user_id, query.email_address);
      const page = await listMembers(c.var.deps, secretKey, params.organization_id, {
        limit: query.limit,
        offset: query.offset,
        ...(query.role && { roles: query.role }),
        ...(userIds && { userIds }),
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
