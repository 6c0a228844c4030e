import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  appInvitationJSON,
  appInvitationListQuery,
  createAppInvitationBody,
  createAppInvitationBulkBody,
  pageJSON,
} from '@roster/protocol';
import { z } from 'zod';
import {
  type CreateAppInvitationInput,
  createAppInvitation,
  createAppInvitations,
  listAppInvitations,
  revokeAppInvitation,
} from '../../domain/app-invitations/app-invitations.js';
import { appInvitationJSON as toJSON } from '../app-invitation-json.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

const tags = ['Invitations'];

const toInput = (body: z.output<typeof createAppInvitationBody>): CreateAppInvitationInput => ({
  emailAddress: body.email_address,
  publicMetadata: body.public_metadata ?? null,
  redirectUrl: body.redirect_url ?? null,
  notify: body.notify ?? null,
  ignoreExisting: body.ignore_existing ?? null,
  expiresInDays: body.expires_in_days ?? null,
});

/** Backend API application invitations (Clerk's `/v1/invitations`): create, bulk create, list, revoke. */
export function registerAppInvitationRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/invitations',
      summary: 'Invite someone to sign up (mails the link unless notify is false)',
      tags,
      body: createAppInvitationBody,
      response: appInvitationJSON,
    },
    async (c, { body }) => {
      const { invitation, url } = await createAppInvitation(c.var.deps, toInput(body));
      return toJSON(invitation, c.var.deps.now(), url);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/invitations/bulk',
      summary: 'Invite up to 10 addresses; all are created or none (duplicate_record names the addresses)',
      tags,
      body: createAppInvitationBulkBody,
      response: z.array(appInvitationJSON),
    },
    async (c, { body }) => {
      const created = await createAppInvitations(c.var.deps, body.map(toInput));
      const now = c.var.deps.now();
      return created.map(({ invitation, url }) => toJSON(invitation, now, url));
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/invitations',
      summary: 'List invitations (without status: all but revoked), by address or id, in Clerk’s orders',
      tags,
      query: appInvitationListQuery,
      response: z.union([pageJSON(appInvitationJSON), z.array(appInvitationJSON)]),
    },
    async (c, { query }) => {
      const page = await listAppInvitations(c.var.deps, {
        ...(query.status && { status: query.status }),
        ...(query.query && { query: query.query }),
        orderBy: query.order_by,
        limit: query.limit,
        offset: query.offset,
      });
      const now = c.var.deps.now();
      const data = page.data.map((i) => toJSON(i, now));
      return query.paginated === 'true' ? { data, total_count: page.totalCount } : data;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/invitations/:invitation_id/revoke',
      summary: 'Revoke an invitation: its links sign up no one',
      tags,
      params: z.object({ invitation_id: z.string().max(64) }),
      response: appInvitationJSON,
    },
    async (c, { params }) => toJSON(await revokeAppInvitation(c.var.deps, params.invitation_id), c.var.deps.now()),
  );
}
