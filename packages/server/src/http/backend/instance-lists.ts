import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  invitationStatus,
  organizationInvitationJSON,
  organizationMembershipJSON,
  pageJSON,
  paginationQuery,
} from '@roster/protocol';
import { z } from 'zod';
import { listAllInvitations } from '../../domain/invitations/invitations.js';
import { listAllMemberships } from '../../domain/memberships/memberships.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeInvitations, serializeMemberships } from '../serialize.js';
import { orderBy } from './list-query.js';
import { membershipOrderBy } from './memberships.js';

/**
 * Backend API lists across every organization of the instance: Clerk's
 * `GET /v1/organization_memberships` and `GET /v1/organization_invitations` (each invitation
 * with its organization's `public_organization_data`). Both `{ data, total_count }`, newest first
 * by default, refusing parameters Clerk does not define for them.
 */
export function registerInstanceListRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organization_memberships',
      summary: 'List the memberships of every organization',
      tags: ['Memberships'],
      query: paginationQuery.extend({ order_by: membershipOrderBy }).strict(),
      response: pageJSON(organizationMembershipJSON),
    },
    async (c, { query }) => {
      const page = await listAllMemberships(c.var.deps, {
        limit: query.limit,
        offset: query.offset,
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
      method: 'get',
      path: '/v1/organization_invitations',
      summary: 'List the invitations of every organization (with each one’s public organization data)',
      tags: ['Organization invitations'],
      query: paginationQuery
        .extend({
          // Clerk's spec shows one status; its description (and Roster) takes several.
          status: z.array(invitationStatus).max(4).optional(),
          query: z.string().trim().max(320).optional(),
          order_by: orderBy(['created_at', 'email_address']),
        })
        .strict(),
      response: pageJSON(organizationInvitationJSON),
    },
    async (c, { query }) => {
      const now = c.var.deps.now();
      const page = await listAllInvitations(c.var.deps, {
        limit: query.limit,
        offset: query.offset,
        now,
        ...(query.status && { statuses: query.status }),
        ...(query.query && { query: query.query }),
        ...(query.order_by && { order: query.order_by }),
      });
      const data = await serializeInvitations(c.var.deps.store, page.data, {
        audience: 'backend',
        now,
        withOrganization: true,
      });
      return { data, total_count: page.totalCount };
    },
  );
}
