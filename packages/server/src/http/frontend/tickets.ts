import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  authResultJSON,
  type InvitationPreviewJSON,
  invitationPreviewJSON,
  organizationMembershipJSON,
  signInBody,
  ticketBody,
  ticketSignUpBody,
  verifyEmailBody,
} from '@roster/protocol';
import type { Context } from 'hono';
import { findAppInvitationByTicket, signUpWithAppTicket } from '../../domain/app-invitations/accept.js';
import {
  acceptTicket,
  findByTicket,
  previewTicket,
  requirePending,
  signUpWithTicket,
} from '../../domain/invitations/accept.js';
import { getOrganization } from '../../domain/organizations/organizations.js';
import { roleCatalog } from '../../domain/roles/catalog.js';
import { displayName, findUser, hasVerifiedEmail } from '../../domain/users/users.js';
import { completeResult, needsEmailVerification } from '../auth-results.js';
import type { AppEnv } from '../env.js';
import { passwordSignIn } from '../password-sign-in.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import { publicOrganizationData, serializeMemberships } from '../serialize.js';
import { clearSession, setSession } from '../session.js';
import { completeTicketSignUpFromCookie, keepSignUpId } from '../sign-up-cookie.js';
import type { FrontendOptions } from './index.js';

const tags = ['Frontend: invitation links'];

/** What the accept page shows for a link: reading it changes nothing. */
export async function invitationPreview(c: Context<AppEnv>, ticket: string): Promise<InvitationPreviewJSON> {
  const { invitation, status, accountExists, provesAddress } = await previewTicket(c.var.deps, ticket);
  const org = await getOrganization(c.var.deps.store, invitation.organizationId);
  const inviter = invitation.inviterId ? await findUser(c.var.deps, invitation.inviterId) : null;
  const user = c.var.user;
  const nextStep =
    status !== 'pending'
      ? 'none'
      : user
        ? hasVerifiedEmail(user, invitation.emailNormalized)
          ? 'accept'
          : 'wrong_account'
        : accountExists
          ? 'sign_in'
          : 'sign_up';
  return {
    object: 'invitation_preview',
    status,
    email_address: invitation.emailAddress,
    role: invitation.role,
    role_name: (await roleCatalog(c.var.deps.store)).nameOf(invitation.role),
    organization: publicOrganizationData(org),
    inviter_name: inviter ? displayName(inviter) : null,
    expires_at: invitation.expiresAt,
    next_step: nextStep,
    signed_in_as: user?.emailAddresses[0]?.email ?? null,
    sign_up_needs_email_code: !provesAddress,
  };
}

/** Frontend API for invitation links: preview, accept (signed in), sign up from the link, sign in and accept. */
export function registerTicketRoutes(app: OpenAPIHono<AppEnv>, options: FrontendOptions) {
  const redirectOf = (redirectUrl: string | null) => redirectUrl ?? options.afterAcceptUrl;

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/tickets/preview',
      summary: 'What an invitation link is for (changes nothing)',
      tags,
      query: ticketBody,
      response: invitationPreviewJSON,
      security: 'none',
    },
    async (c, { query }) => {
      await consume(c.var.limits, c.var.limits.ticketsPerIp, options.ip(c));
      return invitationPreview(c, query.ticket);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/tickets/accept',
      summary: 'Accept a link as the signed-in user',
      tags,
      body: ticketBody,
      response: organizationMembershipJSON,
      security: 'session',
    },
    async (c, { body, user }) => {
      await consume(c.var.limits, c.var.limits.ticketsPerIp, options.ip(c));
      await consume(c.var.limits, c.var.limits.acceptPerAccount, user.id);
      const { membership } = await acceptTicket(c.var.deps, body.ticket, user.id);
      return (await serializeMemberships(c.var.deps.store, [membership], 'frontend', c.var.deps.now()))[0]!;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/tickets/sign_up',
      summary:
        'Sign up from a link: from the mailed link, account, verified email, membership and session at once; from a shown link, a code is mailed first',
      tags,
      body: ticketSignUpBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.ticketsPerIp, options.ip(c));
      const input = {
        ticket: body.ticket,
        password: body.password,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null,
      };
      // An application invitation's link signs up under the same rules (decision 031).
      const appInvitation = await findAppInvitationByTicket(c.var.deps.store, body.ticket);
      const result = appInvitation
        ? { membership: null, ...(await signUpWithAppTicket(c.var.deps, appInvitation, input)) }
        : await signUpWithTicket(c.var.deps, input);
      if (result.status === 'needs_email_verification') {
        keepSignUpId(c, result.signUpId);
        return needsEmailVerification(result.emailAddress, result.signUpId);
      }
      await clearSession(c);
      setSession(c, result.token, result.session);
      return completeResult(c, { ...result, redirectUrl: redirectOf(result.invitation.redirectUrl) });
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/tickets/sign_up/verify',
      summary: 'Finish a sign-up from a shown link with the mailed code: account, then membership and session',
      tags,
      body: verifyEmailBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const result = await completeTicketSignUpFromCookie(c, { signUpId: body.sign_up_id, code: body.code });
      await clearSession(c);
      setSession(c, result.token, result.session);
      if (result.joinError) throw result.joinError;
      return completeResult(c, {
        user: result.user,
        session: result.session,
        membership: result.joined?.membership ?? null,
        redirectUrl: result.joined ? redirectOf(result.joined.invitation.redirectUrl) : null,
      });
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/tickets/sign_in',
      summary: 'Sign in as the invited address and accept the link',
      tags,
      body: ticketBody.extend({ password: signInBody.shape.password }),
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.ticketsPerIp, options.ip(c));
      const invitation = await findByTicket(c.var.deps.store, body.ticket);
      requirePending(invitation, c.var.deps.now());
      const joined: { accepted?: Awaited<ReturnType<typeof acceptTicket>> } = {};
      const { user, session } = await passwordSignIn(c, {
        identifier: invitation.emailAddress,
        password: body.password,
        ip: options.ip(c),
        beforeSession: async (u) => {
          joined.accepted = await acceptTicket(c.var.deps, body.ticket, u.id);
          return joined.accepted.organization.id;
        },
      });
      const accepted = joined.accepted!;
      return completeResult(c, {
        user,
        session,
        membership: accepted.membership,
        redirectUrl: redirectOf(accepted.invitation.redirectUrl),
      });
    },
  );
}
