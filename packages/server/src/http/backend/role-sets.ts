import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  addRolesToRoleSetBody,
  createRoleSetBody,
  deletedObjectJSON,
  pageJSON,
  type RoleSetJSON,
  replaceRoleInRoleSetBody,
  replaceRoleSetBody,
  roleSetJSON,
  roleSetListQuery,
  updateRoleSetBody,
} from '@roster/protocol';
import { z } from 'zod';
import type { RoleSetRecord, RoleSetRole } from '../../domain/roles/role-set-store.js';
import {
  addRolesToRoleSet,
  createRoleSet,
  getRoleSet,
  listRoleSets,
  replaceRoleInRoleSet,
  replaceRoleSet,
  updateRoleSet,
} from '../../domain/roles/role-sets.js';
import { listOrder } from '../../domain/roles/roles.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

const params = z.object({ role_set_key_or_id: z.string().max(128) });

const itemJSON = (r: RoleSetRole) => ({
  object: 'role_set_item' as const,
  id: r.id,
  name: r.name,
  key: r.key,
  description: r.description,
  members_count: r.membersCount,
  has_members: r.membersCount > 0,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function roleSetToJSON(s: RoleSetRecord): RoleSetJSON {
  const item = (id: string) => {
    const role = s.roles.find((r) => r.id === id);
    return role ? itemJSON(role) : null;
  };
  return {
    object: 'role_set',
    id: s.id,
    name: s.name,
    key: s.key,
    description: s.description,
    roles: s.roles.map(itemJSON),
    default_role: item(s.defaultRoleId),
    creator_role: item(s.creatorRoleId),
    type: s.type,
    role_set_migration: null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

/** Backend API `/v1/role_sets`: Clerk's seven operations (decision 040). */
export function registerRoleSetRoutes(app: OpenAPIHono<AppEnv>) {
  const tags = ['Role Sets'];
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/role_sets',
      summary: 'List the role sets (newest first by default)',
      tags,
      query: roleSetListQuery.strict(),
      response: pageJSON(roleSetJSON),
    },
    async (c, { query }) => {
      const page = await listRoleSets(c.var.deps, {
        ...(query.query && { query: query.query }),
        order: listOrder(query.order_by),
        limit: query.limit,
        offset: query.offset,
      });
      return { data: page.data.map(roleSetToJSON), total_count: page.totalCount };
    },
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/role_sets',
      summary: 'Create a role set (its roles, default role and creator role)',
      tags,
      body: createRoleSetBody,
      response: roleSetJSON,
    },
    async (c, { body }) =>
      roleSetToJSON(
        await createRoleSet(c.var.deps, {
          name: body.name,
          ...(body.key && { key: body.key }),
          description: body.description ?? null,
          defaultRoleKey: body.default_role_key,
          creatorRoleKey: body.creator_role_key,
          ...(body.type && { type: body.type }),
          roles: body.roles,
        }),
      ),
  );
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/role_sets/:role_set_key_or_id',
      summary: 'Get a role set by key or id',
      tags,
      params,
      response: roleSetJSON,
    },
    async (c, { params }) => roleSetToJSON(await getRoleSet(c.var.deps, params.role_set_key_or_id)),
  );
  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/role_sets/:role_set_key_or_id',
      summary: 'Update a role set (type initial makes it the one new organizations get)',
      tags,
      params,
      body: updateRoleSetBody,
      response: roleSetJSON,
    },
    async (c, { params, body }) =>
      roleSetToJSON(
        await updateRoleSet(c.var.deps, params.role_set_key_or_id, {
          name: body.name,
          key: body.key,
          description: body.description,
          type: body.type,
          defaultRoleKey: body.default_role_key,
          creatorRoleKey: body.creator_role_key,
        }),
      ),
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/role_sets/:role_set_key_or_id/replace',
      summary: 'Delete a role set, moving its organizations (and remapping their roles) to another',
      tags,
      params,
      body: replaceRoleSetBody,
      response: deletedObjectJSON,
    },
    async (c, { params, body }) => {
      const replaced = await replaceRoleSet(c.var.deps, params.role_set_key_or_id, {
        destKey: body.dest_role_set_key,
        ...(body.reassignment_mappings && { mappings: body.reassignment_mappings }),
      });
      return { object: 'role_set', id: replaced.id, deleted: true as const };
    },
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/role_sets/:role_set_key_or_id/roles',
      summary: 'Add roles to a role set',
      tags,
      params,
      body: addRolesToRoleSetBody,
      response: roleSetJSON,
    },
    async (c, { params, body }) =>
      roleSetToJSON(
        await addRolesToRoleSet(c.var.deps, params.role_set_key_or_id, {
          roleKeys: body.role_keys,
          ...(body.default_role_key && { defaultRoleKey: body.default_role_key }),
          ...(body.creator_role_key && { creatorRoleKey: body.creator_role_key }),
        }),
      ),
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/role_sets/:role_set_key_or_id/roles/replace',
      summary: 'Take a role out of a role set, moving its holders to another role of the set',
      tags,
      params,
      body: replaceRoleInRoleSetBody,
      response: roleSetJSON,
    },
    async (c, { params, body }) =>
      roleSetToJSON(
        await replaceRoleInRoleSet(c.var.deps, params.role_set_key_or_id, {
          roleKey: body.role_key,
          toRoleKey: body.to_role_key,
        }),
      ),
  );
}
