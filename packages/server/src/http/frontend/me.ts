import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  invitationStatus,
  organizationMembershipJSON,
  pageJSON,
  paginationQuery,
  sessionJSON as sessionSchema,
  userOrganizationInvitationJSON,
} from '@roster/protocol';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { acceptUserInvitation, declineUserInvitation, listUserInvitations } from '../../domain/invitations/accept.js';
import { removeMember } from '../../domain/memberships/memberships.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import { serializeMemberships, serializeUserInvitations, sessionJSON } from '../serialize.js';
import { requireUser } from '../session.js';

const tags = ['Frontend: me'];
const invitationParams = z.object({ invitation_id: z.string().max(64) });

/** Frontend API for the signed-in user: memberships, leaving, active organization, invitations received. */
export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/me/organization_memberships',
      summary: 'My memberships',
      tags,
      query: paginationQuery,
      response: pageJSON(organizationMembershipJSON),
      security: 'session',
    },
    async (c, { query }) => {
      const { user } = requireUser(c);
      const page = await c.var.deps.store.listMemberships({
        userId: user.id,
        limit: query.limit,
        offset: query.offset,
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
      method: 'delete',
      path: '/fapi/v1/me/organization_memberships/:organization_id',
      summary: 'Leave an organization',
      tags,
      params: z.object({ organization_id: z.string().max(128) }),
      response: organizationMembershipJSON,
      security: 'session',
    },
    async (c, { params }) => {
      const { user } = requireUser(c);
      const removed = await removeMember(
        c.var.deps,
        { kind: 'user', userId: user.id },
        params.organization_id,
        user.id,
      );
      return (await serializeMemberships(c.var.deps.store, [removed], 'frontend', c.var.deps.now()))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/active_organization',
      summary: 'Set the active organization of this session',
      tags,
      body: z.object({ organization_id: z.string().max(128).nullable() }),
      response: sessionSchema,
      security: 'session',
    },
    async (c, { body }) => {
      const { user, session } = requireUser(c);
      let orgId: string | null = null;
      if (body.organization_id) {
        const org = await c.var.deps.store.findOrganization(body.organization_id);
        if (!org || !(await c.var.deps.store.findMembership(org.id, user.id))) {
          throw new AppError('not_a_member_in_organization', { meta: { organization_id: body.organization_id } });
        }
        orgId = org.id;
      }
      await c.var.deps.store.updateSession(session.id, { activeOrganizationId: orgId });
      return sessionJSON({ ...session, activeOrganizationId: orgId });
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/me/organization_invitations',
      summary: 'Invitations sent to my verified addresses',
      tags,
      query: paginationQuery.extend({ status: z.array(invitationStatus).max(4).optional() }),
      response: pageJSON(userOrganizationInvitationJSON),
      security: 'session',
    },
    async (c, { query }) => {
      const { user } = requireUser(c);
      const page = await listUserInvitations(c.var.deps, user, {
        statuses: query.status ?? [],
        limit: query.limit,
        offset: query.offset,
      });
      return {
        data: await serializeUserInvitations(c.var.deps.store, page.data, c.var.deps.now()),
        total_count: page.totalCount,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/organization_invitations/:invitation_id/accept',
      summary: 'Accept an invitation sent to me (no link needed)',
      tags,
      params: invitationParams,
      response: organizationMembershipJSON,
      security: 'session',
    },
    async (c, { params }) => {
      const { user } = requireUser(c);
      await consume(c.var.limits, c.var.limits.acceptPerAccount, user.id);
      const { membership } = await acceptUserInvitation(c.var.deps, user.id, params.invitation_id);
      return (await serializeMemberships(c.var.deps.store, [membership], 'frontend', c.var.deps.now()))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/organization_invitations/:invitation_id/decline',
      summary: 'Decline an invitation sent to me',
      tags,
      params: invitationParams,
      response: userOrganizationInvitationJSON,
      security: 'session',
    },
    async (c, { params }) => {
      const { user } = requireUser(c);
      const invitation = await declineUserInvitation(c.var.deps, user, params.invitation_id);
      return (await serializeUserInvitations(c.var.deps.store, [invitation], c.var.deps.now()))[0]!;
    },
  );
}
