import type { OpenAPIHono } from '@hono/zod-openapi';
import { membershipRequestListQuery, organizationMembershipRequestJSON, pageJSON } from '@roster/protocol';
import { z } from 'zod';
import {
  acceptMembershipRequest,
  listMembershipRequests,
  rejectMembershipRequest,
} from '../../domain/membership-requests/membership-requests.js';
import type { AppEnv } from '../env.js';
import { serializeMembershipRequests } from '../membership-request-json.js';
import { defineRoute } from '../route.js';

const tags = ['Membership requests'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const requestParams = orgParams.extend({ request_id: z.string().max(64) });
const secretKey = { kind: 'secret_key' } as const;

/** Backend API membership requests (Roster's addition, Clerk has none): the Frontend API's list, accept and reject with the secret key. */
export function registerMembershipRequestRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/membership_requests',
      summary: 'List membership requests (pending by default)',
      tags,
      params: orgParams,
      query: membershipRequestListQuery.strict(),
      response: pageJSON(organizationMembershipRequestJSON),
    },
    async (c, { params, query }) => {
      const page = await listMembershipRequests(c.var.deps, secretKey, params.organization_id, {
        ...(query.status && { statuses: query.status }),
        limit: query.limit,
        offset: query.offset,
      });
      return { data: await serializeMembershipRequests(c.var.deps.store, page.data), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/membership_requests/:request_id/accept',
      summary: 'Accept a membership request: the user joins with the default role',
      tags,
      params: requestParams,
      response: organizationMembershipRequestJSON,
    },
    async (c, { params }) => {
      const { request } = await acceptMembershipRequest(
        c.var.deps,
        secretKey,
        params.organization_id,
        params.request_id,
      );
      return (await serializeMembershipRequests(c.var.deps.store, [request]))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/membership_requests/:request_id/reject',
      summary: 'Reject a membership request',
      tags,
      params: requestParams,
      response: organizationMembershipRequestJSON,
    },
    async (c, { params }) => {
      const request = await rejectMembershipRequest(c.var.deps, secretKey, params.organization_id, params.request_id);
      return (await serializeMembershipRequests(c.var.deps.store, [request]))[0]!;
    },
  );
}
