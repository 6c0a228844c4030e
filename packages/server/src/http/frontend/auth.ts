import type { OpenAPIHono } from '@hono/zod-openapi';
import { authResultJSON, meJSON, signInBody, signUpBody, verifyEmailBody } from '@roster/protocol';
import type { Context } from 'hono';
import { z } from 'zod';
import { normalizeEmail } from '../../domain/crypto.js';
import type { UserWithEmails } from '../../domain/records.js';
import { startSession } from '../../domain/sessions/sessions.js';
import { authenticate } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import { serializeMemberships, sessionJSON, userJSON } from '../serialize.js';
import { clearSession, requireUser, setSession } from '../session.js';
import { startSignUpWithCookie, verifySignUpFromCookie } from '../sign-up-cookie.js';
import type { FrontendOptions } from './index.js';

const tags = ['Frontend: sessions'];

/** Replaces any current session with a new one for `user` (cookie set) and answers `complete`. */
async function signInAs(c: Context<AppEnv>, user: UserWithEmails) {
  await clearSession(c);
  const { session, token } = await startSession(c.var.deps, c.var.deps.store, user);
  setSession(c, token, session);
  return {
    status: 'complete' as const,
    user: userJSON(user, 'frontend'),
    session: sessionJSON(session),
    organization_membership: null,
    redirect_url: null,
    email_address: null,
  };
}

/** Frontend API: sign up (with an emailed code), sign in, sign out, and the current user. */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, options: FrontendOptions) {
  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_ups',
      summary: 'Start a sign-up; a code is mailed to the address',
      tags,
      body: signUpBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const started = await startSignUpWithCookie(c, {
        emailAddress: body.email_address,
        password: body.password,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null,
      });
      return {
        status: 'needs_email_verification' as const,
        user: null,
        session: null,
        organization_membership: null,
        redirect_url: null,
        email_address: started.emailAddress,
        sign_up_id: started.signUpId,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_ups/verify',
      summary: 'Finish a sign-up with the mailed code',
      tags,
      body: verifyEmailBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const user = await verifySignUpFromCookie(c, { signUpId: body.sign_up_id, code: body.code });
      return signInAs(c, user);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_ins',
      summary: 'Sign in with email and password',
      tags,
      body: signInBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.signInPerIp, options.ip(c));
      await consume(c.var.limits, c.var.limits.signInPerAccount, normalizeEmail(body.identifier));
      const user = await authenticate(c.var.deps, body);
      return signInAs(c, user);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_out',
      summary: 'Sign out',
      tags,
      response: z.object({ signed_out: z.boolean() }),
      security: 'session',
    },
    async (c) => {
      const had = c.var.session !== null;
      await clearSession(c);
      return { signed_out: had };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/me',
      summary: 'The signed-in user, session and memberships',
      tags,
      response: meJSON,
      security: 'session',
    },
    async (c) => {
      const { user, session } = requireUser(c);
      const page = await c.var.deps.store.listMemberships({ userId: user.id, limit: 500, offset: 0 });
      return {
        user: userJSON(user, 'frontend'),
        session: sessionJSON(session),
        organization_memberships: await serializeMemberships(c.var.deps.store, page.data, 'frontend', c.var.deps.now()),
      };
    },
  );
}
