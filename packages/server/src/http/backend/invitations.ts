import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  bulkInvitationsJSON,
  createInvitationBody,
  createInvitationBulkBody,
  ERROR_CODES,
  invitationStatus,
  newestFirstOrder,
  organizationInvitationJSON,
  pageJSON,
  paginationQuery,
  resendInvitationBody,
  revokeInvitationBody,
} from '@roster/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Deps } from '../../domain/deps.js';
import { createInvitations } from '../../domain/invitations/bulk.js';
import {
  authorizeInviting,
  type CreateInvitationInput,
  createInvitation,
  getInvitation,
  listInvitations,
  revokeInvitation,
} from '../../domain/invitations/invitations.js';
import { createInvitationLink, resendInvitation } from '../../domain/invitations/resend.js';
import { requireRole } from '../../domain/roles/catalog.js';
import { requireRoleInOrganization } from '../../domain/roles/role-sets.js';
import type { AppEnv } from '../env.js';
import { createdInvitationJSON, bulkInvitationsJSON as toBulkJSON } from '../invitation-responses.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import { serializeInvitations } from '../serialize.js';

const tags = ['Organization invitations'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const invitationParams = orgParams.extend({ invitation_id: z.string().max(64) });
const secretKey = { kind: 'secret_key' } as const;

type Body = z.output<typeof createInvitationBody>;
const toInput = (body: Body): CreateInvitationInput => ({
  emailAddress: body.email_address,
  role: body.role,
  inviterUserId: body.inviter_user_id ?? null,
  publicMetadata: body.public_metadata ?? null,
  privateMetadata: body.private_metadata ?? null,
  redirectUrl: body.redirect_url ?? null,
  expiresInDays: body.expires_in_days ?? null,
  notify: body.notify ?? null,
  // The app's own server holds the secret key: it may see the link (`url`), as in Clerk (decision 021).
  showLink: true,
});

/** Backend API organization invitations: create, bulk create, list, get, revoke, resend, link. */
/** A page of an organization's invitations as the Backend API answers it, `{ data, total_count }`. */
async function invitationPage(deps: Deps, orgId: string, options: Parameters<typeof listInvitations>[3]) {
  const page = await listInvitations(deps, secretKey, orgId, options);
  const data = await serializeInvitations(deps.store, page.data, { audience: 'backend', now: deps.now() });
  return { data, total_count: page.totalCount };
}

export function registerInvitationRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/invitations',
      summary: 'Create an invitation (mails the link unless notify is false)',
      tags,
      params: orgParams,
      body: createInvitationBody,
      response: organizationInvitationJSON,
    },
    async (c, { params, body }) => {
      const inviting = await authorizeInviting(c.var.deps, secretKey, params.organization_id, body.inviter_user_id);
      await consume(c.var.limits, c.var.limits.invitationsPerOrganization, inviting.org.id);
      return createdInvitationJSON(c, await createInvitation(c.var.deps, inviting, toInput(body)), 'backend');
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/invitations/bulk',
      summary:
        'Create many invitations, all or none as Clerk (any address that cannot be invited refuses the call, listed in meta.email_addresses); with partial=true (Roster) each address succeeds or fails on its own',
      tags,
      params: orgParams,
      query: z.strictObject({ partial: z.enum(['true', 'false']).optional() }),
      body: createInvitationBulkBody,
      response: bulkInvitationsJSON,
    },
    async (c, { params, query, body }) => {
      const batch = await authorizeInviting(c.var.deps, secretKey, params.organization_id);
      // An unknown role, or one outside the organization's role set, refuses the whole batch,
      // naming the entry, as a malformed one does.
      for (const [i, entry] of body.entries()) {
        const role = await requireRole(c.var.deps.store, entry.role, `${i}.role`);
        await requireRoleInOrganization(c.var.deps.store, batch.org.id, role, `${i}.role`);
      }
      await consume(c.var.limits, c.var.limits.invitationsPerOrganization, batch.org.id, body.length);
      const partial = query.partial === 'true';
      const outcomes = await createInvitations(c.var.deps, secretKey, batch, body.map(toInput), { partial });
      const result = await toBulkJSON(c, outcomes, 'backend');
      // Even with `partial`, a bulk that created nothing fails as a request (status of the first
      // failure, every failure listed): Clerk's client reads only `data` and `total_count` of a 200.
      const first = outcomes.find((o) => !o.ok);
      if (result.data.length === 0 && first && !first.ok) {
        const status = ERROR_CODES[first.error.code].status as ContentfulStatusCode;
        // Refused for rate limits: say when the soonest address may be tried again.
        const waits = outcomes.flatMap((o) =>
          o.ok || o.error.retryAfterSeconds === undefined ? [] : [o.error.retryAfterSeconds],
        );
        if (status === 429 && waits.length > 0) c.header('Retry-After', String(Math.min(...waits)));
        return c.json({ errors: result.errors, clerk_trace_id: c.var.traceId }, status);
      }
      return result;
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/invitations',
      summary: "List an organization's invitations",
      tags,
      params: orgParams,
      query: paginationQuery
        .extend({
          status: z.array(invitationStatus).max(4).optional(),
          email_address: z.array(z.string().max(320)).max(100).optional(),
          order_by: newestFirstOrder,
        })
        .strict(),
      response: pageJSON(organizationInvitationJSON),
    },
    (c, { params, query }) =>
      invitationPage(c.var.deps, params.organization_id, {
        limit: query.limit,
        offset: query.offset,
        ...(query.status && { statuses: query.status }),
        ...(query.email_address && { emails: query.email_address }),
      }),
  );

  // Registered before `…/invitations/:invitation_id`, which would otherwise take `pending` for an id.
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/invitations/pending',
      summary: "List an organization's pending invitations (deprecated, as Clerk's)",
      tags,
      params: orgParams,
      query: paginationQuery.strict(),
      response: pageJSON(organizationInvitationJSON),
    },
    (c, { params, query }) =>
      invitationPage(c.var.deps, params.organization_id, {
        limit: query.limit,
        offset: query.offset,
        statuses: ['pending'],
      }),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/invitations/:invitation_id',
      summary: 'Get an invitation',
      tags,
      params: invitationParams,
      response: organizationInvitationJSON,
    },
    async (c, { params }) => {
      const invitation = await getInvitation(c.var.deps, secretKey, params.organization_id, params.invitation_id);
      return (
        await serializeInvitations(c.var.deps.store, [invitation], { audience: 'backend', now: c.var.deps.now() })
      )[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/invitations/:invitation_id/revoke',
      summary: 'Revoke a pending invitation',
      tags,
      params: invitationParams,
      body: revokeInvitationBody,
      response: organizationInvitationJSON,
    },
    async (c, { params, body }) => {
      const invitation = await revokeInvitation(
        c.var.deps,
        secretKey,
        params.organization_id,
        params.invitation_id,
        body?.requesting_user_id ?? null,
      );
      return (
        await serializeInvitations(c.var.deps.store, [invitation], { audience: 'backend', now: c.var.deps.now() })
      )[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/invitations/:invitation_id/resend',
      summary: 'Mail a pending or expired invitation again with a new link (role and metadata kept)',
      tags,
      params: invitationParams,
      body: resendInvitationBody,
      response: organizationInvitationJSON,
    },
    async (c, { params, body }) => {
      const resent = await resendInvitation(c.var.deps, secretKey, params.organization_id, params.invitation_id, {
        expiresInDays: body?.expires_in_days ?? null,
        // The app's server may see a link, as on create: a new shown ticket, in this answer only.
        showLink: true,
      });
      return createdInvitationJSON(c, resent, 'backend');
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/invitations/:invitation_id/link',
      summary: 'Make a new shareable link for a pending invitation (the previous shared link stops working)',
      tags,
      params: invitationParams,
      response: organizationInvitationJSON,
    },
    async (c, { params }) => {
      const made = await createInvitationLink(c.var.deps, secretKey, params.organization_id, params.invitation_id);
      return (
        await serializeInvitations(c.var.deps.store, [made.invitation], {
          audience: 'backend',
          now: c.var.deps.now(),
          url: made.url,
        })
      )[0]!;
    },
  );
}
