import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createPermissionBody,
  createRoleBody,
  deletedObjectJSON,
  type OrganizationRoleJSON,
  organizationRoleJSON,
  type PermissionJSON,
  pageJSON,
  permissionJSON,
  roleListQuery,
  updatePermissionBody,
  updateRoleBody,
} from '@roster/protocol';
import { z } from 'zod';
import {
  assignPermission,
  createPermission,
  createRole,
  deletePermission,
  deleteRole,
  getPermission,
  getRole,
  listOrder,
  listPermissions,
  listRoles,
  removePermission,
  updatePermission,
  updateRole,
} from '../../domain/roles/roles.js';
import type { PermissionRecord, RoleRecord } from '../../domain/roles/store.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

const permissionParams = z.object({ permission_id: z.string().max(128) });
const roleParams = z.object({ organization_role_id: z.string().max(128) });
const grantParams = roleParams.merge(permissionParams);

export function permissionToJSON(p: PermissionRecord): PermissionJSON {
  return {
    object: 'permission',
    id: p.id,
    name: p.name,
    key: p.key,
    description: p.description,
    type: p.type,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function roleToJSON(r: RoleRecord): OrganizationRoleJSON {
  return {
    object: 'role',
    id: r.id,
    name: r.name,
    key: r.key,
    description: r.description,
    // A creator must be able to manage the organization's members.
    is_creator_eligible: r.permissions.some((p) => p.key === 'org:sys_memberships:manage'),
    permissions: r.permissions.map(permissionToJSON),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

const listOptions = (query: z.output<typeof roleListQuery>) => ({
  ...(query.query && { query: query.query }),
  order: listOrder(query.order_by),
  limit: query.limit,
  offset: query.offset,
});

/** Backend API `/v1/organization_permissions` (Clerk's CRUD; system permissions read-only). */
function registerPermissionRoutes(app: OpenAPIHono<AppEnv>) {
  const tags = ['Organization Permissions'];
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organization_permissions',
      summary: 'List the instance’s organization permissions (system and custom)',
      tags,
      query: roleListQuery.strict(),
      response: pageJSON(permissionJSON),
    },
    async (c, { query }) => {
      const page = await listPermissions(c.var.deps, listOptions(query));
      return { data: page.data.map(permissionToJSON), total_count: page.totalCount };
    },
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organization_permissions',
      summary: 'Create a custom permission (org:feature:action)',
      tags,
      body: createPermissionBody,
      response: permissionJSON,
    },
    async (c, { body }) => permissionToJSON(await createPermission(c.var.deps, body)),
  );
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organization_permissions/:permission_id',
      summary: 'Get a permission',
      tags,
      params: permissionParams,
      response: permissionJSON,
    },
    async (c, { params }) => permissionToJSON(await getPermission(c.var.deps, params.permission_id)),
  );
  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organization_permissions/:permission_id',
      summary: 'Update a custom permission',
      tags,
      params: permissionParams,
      body: updatePermissionBody,
      response: permissionJSON,
    },
    async (c, { params, body }) => permissionToJSON(await updatePermission(c.var.deps, params.permission_id, body)),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organization_permissions/:permission_id',
      summary: 'Delete a custom permission (roles stop granting it)',
      tags,
      params: permissionParams,
      response: deletedObjectJSON,
    },
    async (c, { params }) => {
      const deleted = await deletePermission(c.var.deps, params.permission_id);
      return { object: 'permission', id: deleted.id, deleted: true as const };
    },
  );
}

/** Backend API `/v1/organization_roles`, with assigning and removing one permission. */
export function registerRoleRoutes(app: OpenAPIHono<AppEnv>) {
  registerPermissionRoutes(app);
  const tags = ['Organization Roles'];
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organization_roles',
      summary: 'List the instance’s organization roles',
      tags,
      query: roleListQuery.strict(),
      response: pageJSON(organizationRoleJSON),
    },
    async (c, { query }) => {
      const page = await listRoles(c.var.deps, listOptions(query));
      return { data: page.data.map(roleToJSON), total_count: page.totalCount };
    },
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organization_roles',
      summary: 'Create a role with permissions',
      tags,
      body: createRoleBody,
      response: organizationRoleJSON,
    },
    async (c, { body }) => roleToJSON(await createRole(c.var.deps, body)),
  );
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organization_roles/:organization_role_id',
      summary: 'Get a role',
      tags,
      params: roleParams,
      response: organizationRoleJSON,
    },
    async (c, { params }) => roleToJSON(await getRole(c.var.deps, params.organization_role_id)),
  );
  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organization_roles/:organization_role_id',
      summary: 'Update a role (permissions, when given, replace its own)',
      tags,
      params: roleParams,
      body: updateRoleBody,
      response: organizationRoleJSON,
    },
    async (c, { params, body }) => roleToJSON(await updateRole(c.var.deps, params.organization_role_id, body)),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organization_roles/:organization_role_id',
      summary: 'Delete a role nobody holds',
      tags,
      params: roleParams,
      response: deletedObjectJSON,
    },
    async (c, { params }) => {
      const deleted = await deleteRole(c.var.deps, params.organization_role_id);
      return { object: 'role', id: deleted.id, deleted: true as const };
    },
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organization_roles/:organization_role_id/permissions/:permission_id',
      summary: 'Give a role one more permission',
      tags,
      params: grantParams,
      response: organizationRoleJSON,
    },
    async (c, { params }) =>
      roleToJSON(await assignPermission(c.var.deps, params.organization_role_id, params.permission_id)),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organization_roles/:organization_role_id/permissions/:permission_id',
      summary: 'Take one permission from a role',
      tags,
      params: grantParams,
      response: organizationRoleJSON,
    },
    async (c, { params }) =>
      roleToJSON(await removePermission(c.var.deps, params.organization_role_id, params.permission_id)),
  );
}
