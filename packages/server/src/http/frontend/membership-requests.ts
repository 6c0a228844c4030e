import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  membershipRequestListQuery,
  organizationMembershipRequestJSON,
  organizationSuggestionJSON,
  organizationSuggestionListQuery,
  pageJSON,
} from '@roster/protocol';
import { z } from 'zod';
import {
  acceptMembershipRequest,
  acceptSuggestion,
  listMembershipRequests,
  listUserSuggestions,
  rejectMembershipRequest,
} from '../../domain/membership-requests/membership-requests.js';
import type { AppEnv } from '../env.js';
import { serializeMembershipRequests, serializeSuggestions } from '../membership-request-json.js';
import { defineRoute } from '../route.js';

const tags = ['Frontend: membership requests'];
const suggestionParams = z.object({ suggestion_id: z.string().max(64) });
const orgParams = z.object({ organization_id: z.string().max(128) });
const requestParams = orgParams.extend({ request_id: z.string().max(64) });

/**
 * Frontend API suggestions (the user's) and membership requests (an organization's managers'),
 * as issue 14's contract gives them: thin, the rules in domain/membership-requests.
 */
export function registerFrontendMembershipRequestRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/me/organization_suggestions',
      summary: 'Organizations my verified domains suggest (pending by default)',
      tags,
      query: organizationSuggestionListQuery,
      response: pageJSON(organizationSuggestionJSON),
      security: 'session',
    },
    async (c, { query, user }) => {
      const page = await listUserSuggestions(c.var.deps, user.id, {
        ...(query.status && { statuses: query.status }),
        limit: query.limit,
        offset: query.offset,
      });
      return { data: await serializeSuggestions(c.var.deps.store, page.data), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/organization_suggestions/:suggestion_id/accept',
      summary: 'Accept a suggestion: a membership request for its organization’s managers',
      tags,
      params: suggestionParams,
      response: organizationSuggestionJSON,
      security: 'session',
    },
    async (c, { params, user }) => {
      const { suggestion } = await acceptSuggestion(c.var.deps, user, params.suggestion_id);
      return (await serializeSuggestions(c.var.deps.store, [suggestion]))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/membership_requests',
      summary: 'List membership requests (pending by default)',
      tags,
      params: orgParams,
      query: membershipRequestListQuery,
      response: pageJSON(organizationMembershipRequestJSON),
      security: 'session',
    },
    async (c, { params, query, actor }) => {
      const page = await listMembershipRequests(c.var.deps, actor, params.organization_id, {
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
      path: '/fapi/v1/organizations/:organization_id/membership_requests/:request_id/accept',
      summary: 'Accept a membership request: the user joins with the default role',
      tags,
      params: requestParams,
      response: organizationMembershipRequestJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const { request } = await acceptMembershipRequest(c.var.deps, actor, params.organization_id, params.request_id);
      return (await serializeMembershipRequests(c.var.deps.store, [request]))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/membership_requests/:request_id/reject',
      summary: 'Reject a membership request',
      tags,
      params: requestParams,
      response: organizationMembershipRequestJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const request = await rejectMembershipRequest(c.var.deps, actor, params.organization_id, params.request_id);
      return (await serializeMembershipRequests(c.var.deps.store, [request]))[0]!;
    },
  );
}
