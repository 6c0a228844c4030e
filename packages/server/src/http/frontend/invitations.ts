import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  bulkInvitationsJSON,
  fapiCreateInvitationBody,
  fapiCreateInvitationBulkBody,
  invitationStatus,
  organizationInvitationJSON,
  pageJSON,
  paginationQuery,
  resendInvitationBody,
} from '@roster/protocol';
import { z } from 'zod';
import { createInvitations } from '../../domain/invitations/bulk.js';
import {
  authorizeInviting,
  createInvitation,
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

const tags = ['Frontend: invitations'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const invitationParams = orgParams.extend({ invitation_id: z.string().max(64) });

/** Frontend API invitations for admins: invite one or many, list (paginated, by status), revoke, resend, copy-link. */
export function registerFrontendInvitationRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/invitations',
      summary: 'Invite an address',
      tags,
      params: orgParams,
      body: fapiCreateInvitationBody,
      response: organizationInvitationJSON,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      // Authorize before spending the organization's budget, so outsiders cannot exhaust it.
      const inviting = await authorizeInviting(c.var.deps, actor, params.organization_id);
      await consume(c.var.limits, c.var.limits.invitationsPerUser, actor.userId);
      await consume(c.var.limits, c.var.limits.invitationsPerOrganization, inviting.org.id);
      const created = await createInvitation(c.var.deps, inviting, {
        emailAddress: body.email_address,
        role: body.role,
        // A browser is never shown a link (url is null): anyone signed in could invite any address
        // and sign up with it. Its invitations are always mailed (decision 021).
        notify: body.notify ?? null,
      });
      return createdInvitationJSON(c, created, 'frontend');
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/invitations/bulk',
      summary: 'Invite many addresses with one role; each address succeeds or fails on its own (errors[])',
      tags,
      params: orgParams,
      body: fapiCreateInvitationBulkBody,
      response: bulkInvitationsJSON,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      // One caller for the whole batch: refuse it as a whole (403), not address by address.
      const batch = await authorizeInviting(c.var.deps, actor, params.organization_id);
      const role = await requireRole(c.var.deps.store, body.role);
      await requireRoleInOrganization(c.var.deps.store, batch.org.id, role);
      await consume(c.var.limits, c.var.limits.invitationsPerUser, actor.userId, body.email_address.length);
      await consume(c.var.limits, c.var.limits.invitationsPerOrganization, batch.org.id, body.email_address.length);
      const outcomes = await createInvitations(
        c.var.deps,
        actor,
        batch,
        body.email_address.map((emailAddress) => ({ emailAddress, role: body.role, notify: body.notify ?? null })),
        // Per address: the Frontend API's only client (@roster/client) throws the 200's `errors`
        // as a RosterBulkInvitationError, so no partial success passes for a full one (decision 041).
        { partial: true },
      );
      return toBulkJSON(c, outcomes, 'frontend');
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/invitations',
      summary: 'List invitations (pending by default)',
      tags,
      params: orgParams,
      query: paginationQuery.extend({ status: z.array(invitationStatus).max(4).optional() }),
      response: pageJSON(organizationInvitationJSON),
      security: 'session',
    },
    async (c, { params, query, actor }) => {
      const page = await listInvitations(c.var.deps, actor, params.organization_id, {
        statuses: query.status ?? ['pending'],
        limit: query.limit,
        offset: query.offset,
      });
      const data = await serializeInvitations(c.var.deps.store, page.data, {
        audience: 'frontend',
        now: c.var.deps.now(),
      });
      return { data, total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/invitations/:invitation_id/revoke',
      summary: 'Revoke a pending invitation',
      tags,
      params: orgParams.extend({ invitation_id: z.string().max(64) }),
      response: organizationInvitationJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const invitation = await revokeInvitation(c.var.deps, actor, params.organization_id, params.invitation_id);
      return (
        await serializeInvitations(c.var.deps.store, [invitation], { audience: 'frontend', now: c.var.deps.now() })
      )[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/invitations/:invitation_id/resend',
      summary: 'Mail a pending or expired invitation again with a new link (role and metadata kept)',
      tags,
      params: invitationParams,
      body: resendInvitationBody,
      response: organizationInvitationJSON,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      // Each resend is a mail this user makes Roster send: it spends their budget as an invitation does.
      await consume(c.var.limits, c.var.limits.invitationsPerUser, actor.userId);
      // No link in the answer (url is null), as on create: the new ticket goes to the mailbox only.
      const resent = await resendInvitation(c.var.deps, actor, params.organization_id, params.invitation_id, {
        expiresInDays: body?.expires_in_days ?? null,
      });
      return createdInvitationJSON(c, resent, 'frontend');
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/invitations/:invitation_id/link',
      summary: 'Copy-link: a new shareable link that lets its holder join, never prove the address (decision 029)',
      tags,
      params: invitationParams,
      response: organizationInvitationJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const made = await createInvitationLink(c.var.deps, actor, params.organization_id, params.invitation_id);
      return (
        await serializeInvitations(c.var.deps.store, [made.invitation], {
          audience: 'frontend',
          now: c.var.deps.now(),
          url: made.url,
        })
      )[0]!;
    },
  );
}
