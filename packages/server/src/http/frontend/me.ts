import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  attemptEmailVerificationBody,
  changePasswordBody,
  createEmailAddressBody,
  deletedObjectJSON,
  type EmailAddressJSON,
  emailAddressJSON,
  invitationStatus,
  organizationMembershipJSON,
  pageJSON,
  paginationQuery,
  prepareEmailVerificationBody,
  sessionJSON as sessionSchema,
  updateMeBody,
  userOrganizationInvitationJSON,
  userJSON as userSchema,
} from '@roster/protocol';
import type { Context } from 'hono';
import { z } from 'zod';
import { acceptUserInvitation, declineUserInvitation, listUserInvitations } from '../../domain/invitations/accept.js';
import { listUserMemberships, removeMember } from '../../domain/memberships/memberships.js';
import { changePassword } from '../../domain/passwords/change.js';
import type { PendingEmailAddress, UserWithEmails } from '../../domain/records.js';
import { enterOrganization, setActiveOrganization } from '../../domain/sessions/sessions.js';
import { updateUserProfile } from '../../domain/users/admin.js';
import {
  addEmailAddress,
  attemptEmailAddressVerification,
  getOwnEmailAddress,
  listEmailAddresses,
  prepareEmailAddressVerification,
  removeEmailAddress,
} from '../../domain/users/email-addresses.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import { serializeMemberships, serializeUserInvitations, sessionJSON, userJSON } from '../serialize.js';
import type { FrontendOptions } from './index.js';

const tags = ['Frontend: me'];
const invitationParams = z.object({ invitation_id: z.string().max(64) });
const emailParams = z.object({ email_address_id: z.string().max(64) });

/** An added address that is not proved yet, as Clerk shows one (`verification.status: 'unverified'`). */
export function pendingEmailJSON(p: PendingEmailAddress): EmailAddressJSON {
  return {
    object: 'email_address',
    id: p.id,
    email_address: p.email,
    verification: {
      object: 'verification_email_code',
      status: 'unverified',
      strategy: 'email_code',
      attempts: p.codeHash ? p.attempts : null,
      expire_at: p.expiresAt,
    },
    linked_to: [],
    reserved: false,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

/** The signed-in user's address `id`, verified or added, as JSON. */
async function emailAddressOf(c: Context<AppEnv>, user: UserWithEmails, id: string): Promise<EmailAddressJSON> {
  const found = await getOwnEmailAddress(c.var.deps, user, id);
  if (found.pending) return pendingEmailJSON(found.pending);
  return userJSON(found.user, 'frontend').email_addresses.find((e) => e.id === id)!;
}

/**
 * Frontend API for the signed-in user: memberships, leaving, active organization, invitations
 * received, password change, and email addresses (add, verify by code, make primary, remove).
 */
export function registerMeRoutes(app: OpenAPIHono<AppEnv>, options: Pick<FrontendOptions, 'ip'>) {
  defineRoute(
    app,
    {
      method: 'patch',
      path: '/fapi/v1/me',
      summary: 'Update my names or primary email address',
      tags,
      body: updateMeBody,
      response: userSchema,
      security: 'session',
    },
    async (c, { body, user }) => {
      const updated = await updateUserProfile(c.var.deps, user.id, {
        firstName: body.first_name,
        lastName: body.last_name,
        primaryEmailAddressId: body.primary_email_address_id,
      });
      return userJSON(updated, 'frontend');
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/change_password',
      summary: 'Change my password (the current one required); other sessions end unless told otherwise',
      tags,
      body: changePasswordBody,
      response: userSchema,
      security: 'session',
    },
    async (c, { body, user, session }) => {
      await consume(c.var.limits, c.var.limits.signInPerAccount, `user:${user.id}`);
      const changed = await changePassword(c.var.deps, {
        user,
        sessionId: session.id,
        currentPassword: body.current_password ?? null,
        newPassword: body.new_password,
        signOutOfOtherSessions: body.sign_out_of_other_sessions ?? true,
      });
      return userJSON(changed, 'frontend');
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/me/email_addresses',
      summary: 'My email addresses: verified (primary first), then added ones waiting for their code',
      tags,
      response: pageJSON(emailAddressJSON),
      security: 'session',
    },
    async (c, { user }) => {
      const { pending } = await listEmailAddresses(c.var.deps, user);
      const data = [...userJSON(user, 'frontend').email_addresses, ...pending.map(pendingEmailJSON)];
      return { data, total_count: data.length };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/email_addresses',
      summary: 'Add an email address (unverified until its code comes back; it blocks no one)',
      tags,
      body: createEmailAddressBody,
      response: emailAddressJSON,
      security: 'session',
    },
    async (c, { body, user }) => {
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      return pendingEmailJSON(await addEmailAddress(c.var.deps, user, body.email_address));
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/email_addresses/:email_address_id/prepare_verification',
      summary: 'Mail a six-digit code to an added address (strategy email_code)',
      tags,
      params: emailParams,
      body: prepareEmailVerificationBody,
      response: emailAddressJSON,
      security: 'session',
    },
    async (c, { params, user }) => {
      const limits = c.var.limits;
      await consume(limits, limits.codesPerIp, options.ip(c));
      const sent = await prepareEmailAddressVerification(c.var.deps, user, params.email_address_id, {
        throttle: (addressKey) => consume(limits, limits.codeMailsPerAddress, addressKey),
      });
      return pendingEmailJSON(sent);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/email_addresses/:email_address_id/attempt_verification',
      summary: 'Prove an added address with its code; refused if another account verified it first',
      tags,
      params: emailParams,
      body: attemptEmailVerificationBody,
      response: emailAddressJSON,
      security: 'session',
    },
    async (c, { params, body, user }) => {
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      const verified = await attemptEmailAddressVerification(c.var.deps, user, {
        id: params.email_address_id,
        code: body.code,
      });
      return emailAddressOf(c, user, verified.id);
    },
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/fapi/v1/me/email_addresses/:email_address_id',
      summary: 'Remove one of my email addresses (never the last verified one)',
      tags,
      params: emailParams,
      response: deletedObjectJSON,
      security: 'session',
    },
    async (c, { params, user }) => {
      const { id } = await removeEmailAddress(c.var.deps, user, params.email_address_id);
      return { object: 'email_address', id, deleted: true as const };
    },
  );

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
    async (c, { query, user }) => {
      const page = await listUserMemberships(c.var.deps, {
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
    async (c, { params, user }) => {
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
    async (c, { body, session }) =>
      sessionJSON(await setActiveOrganization(c.var.deps, { session, organizationId: body.organization_id })),
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
    async (c, { query, user }) => {
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
    async (c, { params, user, session }) => {
      await consume(c.var.limits, c.var.limits.acceptPerAccount, user.id);
      const { membership } = await acceptUserInvitation(c.var.deps, user.id, params.invitation_id);
      // Joining from the personal account moves you into the organization (decision 027); from
      // another organization you stay where you are.
      if (!session.activeOrganizationId) {
        await enterOrganization(c.var.deps, { session, organizationId: membership.organizationId });
      }
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
    async (c, { params, user }) => {
      const invitation = await declineUserInvitation(c.var.deps, user, params.invitation_id);
      return (await serializeUserInvitations(c.var.deps.store, [invitation], c.var.deps.now()))[0]!;
    },
  );
}
