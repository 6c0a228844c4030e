import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createOrganizationBody,
  deletedObjectJSON,
  organizationJSON,
  organizationMetadataBody,
  pageJSON,
  paginationQuery,
  updateOrganizationBody,
} from '@roster/protocol';
import { z } from 'zod';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  mergeOrganizationMetadata,
  updateOrganization,
} from '../../domain/organizations/organizations.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeOrganizations } from '../serialize.js';
import { orderBy, signedIds } from './list-query.js';

const tags = ['Organizations'];
const orgParams = z.object({ organization_id: z.string().max(128) });
// Organizations always carry members_count, so the flag is accepted and needs no handling.
const includeMembersCount = z.enum(['true', 'false']).optional();
const secretKey = { kind: 'secret_key' } as const;

/** Backend API organizations: create, get (by id or slug), list, update, metadata, delete. */
export function registerOrganizationRoutes(app: OpenAPIHono<AppEnv>) {
  const one = async (c: { var: AppEnv['Variables'] }, id: string) =>
    (
      await serializeOrganizations(
        c.var.deps.store,
        [await getOrganization(c.var.deps.store, id)],
        'backend',
        c.var.deps.now(),
      )
    )[0]!;

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations',
      summary: 'Create an organization',
      tags,
      body: createOrganizationBody,
      response: organizationJSON,
    },
    async (c, { body }) => {
      const org = await createOrganization(c.var.deps, {
        name: body.name,
        slug: body.slug ?? null,
        createdBy: body.created_by ?? null,
        maxAllowedMemberships: body.max_allowed_memberships ?? null,
        publicMetadata: body.public_metadata ?? null,
        privateMetadata: body.private_metadata ?? null,
        roleSetKey: body.role_set_key ?? null,
      });
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations',
      summary: 'List organizations',
      tags,
      query: paginationQuery
        .extend({
          query: z.string().trim().max(256).optional(),
          user_id: signedIds(64),
          organization_id: signedIds(128),
          include_members_count: includeMembersCount,
          // Each organization already carries missing_member_with_elevated_permissions: nothing to add.
          include_missing_member_with_elevated_permissions: includeMembersCount,
          order_by: orderBy(['created_at', 'name', 'members_count']),
        })
        .strict(),
      response: pageJSON(organizationJSON),
    },
    async (c, { query }) => {
      const page = await listOrganizations(c.var.deps, {
        limit: query.limit,
        offset: query.offset,
        ...(query.query && { query: query.query }),
        ...(query.user_id.keep && { memberIds: query.user_id.keep }),
        ...(query.user_id.drop && { excludedMemberIds: query.user_id.drop }),
        ...(query.organization_id.keep && { ids: query.organization_id.keep }),
        ...(query.organization_id.drop && { excludedIds: query.organization_id.drop }),
        ...(query.order_by && { order: query.order_by }),
      });
      return {
        data: await serializeOrganizations(c.var.deps.store, page.data, 'backend', c.var.deps.now()),
        total_count: page.totalCount,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id',
      summary: 'Get an organization by id or slug',
      tags,
      params: orgParams,
      query: z.strictObject({ include_members_count: includeMembersCount }),
      response: organizationJSON,
    },
    async (c, { params }) => one(c, params.organization_id),
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organizations/:organization_id',
      summary: 'Update an organization',
      tags,
      params: orgParams,
      body: updateOrganizationBody,
      response: organizationJSON,
    },
    async (c, { params, body }) => {
      const org = await updateOrganization(c.var.deps, secretKey, params.organization_id, {
        name: body.name ?? null,
        slug: body.slug ?? null,
        maxAllowedMemberships: body.max_allowed_memberships ?? null,
        adminDeleteEnabled: body.admin_delete_enabled ?? null,
        publicMetadata: body.public_metadata ?? null,
        privateMetadata: body.private_metadata ?? null,
      });
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organizations/:organization_id/metadata',
      summary: "Merge an organization's metadata (null deletes a key)",
      tags,
      params: orgParams,
      body: organizationMetadataBody,
      response: organizationJSON,
    },
    async (c, { params, body }) => {
      const org = await mergeOrganizationMetadata(c.var.deps, params.organization_id, {
        publicMetadata: body.public_metadata ?? null,
        privateMetadata: body.private_metadata ?? null,
      });
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'put',
      path: '/v1/organizations/:organization_id/metadata',
      summary: "Replace an organization's metadata",
      tags,
      params: orgParams,
      body: organizationMetadataBody,
      response: organizationJSON,
    },
    async (c, { params, body }) => {
      const org = await updateOrganization(c.var.deps, secretKey, params.organization_id, {
        publicMetadata: body.public_metadata ?? null,
        privateMetadata: body.private_metadata ?? null,
      });
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organizations/:organization_id',
      summary: 'Delete an organization',
      tags,
      params: orgParams,
      response: deletedObjectJSON,
    },
    async (c, { params }) => {
      const org = await deleteOrganization(c.var.deps, secretKey, params.organization_id);
      return { object: 'organization', id: org.id, slug: org.slug, deleted: true as const };
    },
  );
}
