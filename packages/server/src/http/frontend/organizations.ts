import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  fapiCreateOrganizationBody,
  organizationJSON,
  organizationMembershipJSON,
  organizationRoleJSON,
  pageJSON,
  paginationQuery,
  roleKey,
  updateMembershipBody,
} from '@roster/protocol';
import { z } from 'zod';
import { listMembers, removeMember, updateMemberRole } from '../../domain/memberships/memberships.js';
import { requirePermission } from '../../domain/memberships/policy.js';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  updateOrganization,
} from '../../domain/organizations/organizations.js';
import { listOrganizationRoles } from '../../domain/roles/organization-roles.js';
import { enterOrganization } from '../../domain/sessions/sessions.js';
import { roleToJSON } from '../backend/roles.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeMemberships, serializeOrganizations } from '../serialize.js';

const tags = ['Frontend: organizations'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const memberParams = orgParams.extend({ user_id: z.string().max(64) });

/** Frontend API organizations and members, acting as the signed-in user (checked by permission). */
export function registerFrontendOrganizationRoutes(app: OpenAPIHono<AppEnv>) {
  const one = async (c: { var: AppEnv['Variables'] }, id: string) =>
    (
      await serializeOrganizations(
        c.var.deps.store,
        [await getOrganization(c.var.deps.store, id)],
        'frontend',
        c.var.deps.now(),
      )
    )[0]!;

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations',
      summary: 'Create an organization (you become its admin)',
      tags,
      body: fapiCreateOrganizationBody,
      response: organizationJSON,
      security: 'session',
    },
    async (c, { body, user, session }) => {
      const org = await createOrganization(c.var.deps, {
        name: body.name,
        slug: body.slug ?? null,
        createdBy: user.id,
        capped: true,
      });
      await enterOrganization(c.var.deps, { session, organizationId: org.id });
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id',
      summary: 'Get an organization you belong to',
      tags,
      params: orgParams,
      response: organizationJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const org = await getOrganization(c.var.deps.store, params.organization_id);
      await requirePermission(c.var.deps.store, actor, org.id, 'org:sys_memberships:read');
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/fapi/v1/organizations/:organization_id',
      summary: 'Rename an organization',
      tags,
      params: orgParams,
      body: fapiCreateOrganizationBody.partial(),
      response: organizationJSON,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      const org = await updateOrganization(c.var.deps, actor, params.organization_id, {
        name: body.name ?? null,
        slug: body.slug ?? null,
      });
      return one(c, org.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/fapi/v1/organizations/:organization_id',
      summary: 'Delete an organization',
      tags,
      params: orgParams,
      response: z.object({ object: z.string(), id: z.string(), deleted: z.literal(true) }),
      security: 'session',
    },
    async (c, { params, actor }) => {
      const org = await deleteOrganization(c.var.deps, actor, params.organization_id);
      return { object: 'organization', id: org.id, deleted: true as const };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/memberships',
      summary: 'List members',
      tags,
      params: orgParams,
      query: paginationQuery.extend({
        role: z.array(roleKey).max(10).optional(),
        /** Members whose name, email address or user id contains it (ignoring case). */
        query: z.string().trim().max(256).optional(),
      }),
      response: pageJSON(organizationMembershipJSON),
      security: 'session',
    },
    async (c, { params, query, actor }) => {
      const page = await listMembers(c.var.deps, actor, params.organization_id, {
        limit: query.limit,
        offset: query.offset,
        ...(query.role && { roles: query.role }),
        ...(query.query && { query: query.query }),
      });
      return {
        data: await serializeMemberships(c.var.deps.store, page.data, 'frontend', c.var.deps.now()),
        total_count: page.totalCount,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/roles',
      summary: 'List the roles a member can be given (for role selects)',
      tags,
      params: orgParams,
      query: paginationQuery,
      response: pageJSON(organizationRoleJSON),
      security: 'session',
    },
    async (c, { params, query, actor }) => {
      const page = await listOrganizationRoles(c.var.deps, actor, params.organization_id, query);
      return { data: page.data.map(roleToJSON), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/fapi/v1/organizations/:organization_id/memberships/:user_id',
      summary: "Change a member's role",
      tags,
      params: memberParams,
      body: updateMembershipBody,
      response: organizationMembershipJSON,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      const m = await updateMemberRole(c.var.deps, actor, params.organization_id, params.user_id, body.role);
      return (await serializeMemberships(c.var.deps.store, [m], 'frontend', c.var.deps.now()))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/fapi/v1/organizations/:organization_id/memberships/:user_id',
      summary: 'Remove a member',
      tags,
      params: memberParams,
      response: organizationMembershipJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const m = await removeMember(c.var.deps, actor, params.organization_id, params.user_id);
      return (await serializeMemberships(c.var.deps.store, [m], 'frontend', c.var.deps.now()))[0]!;
    },
  );
}
