import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  attemptFirstFactorBody,
  authResultJSON,
  clientJSON,
  meJSON,
  prepareFirstFactorBody,
  resetPasswordBody,
  signUpBody,
  startSignInBody,
  verifyEmailBody,
} from '@roster/protocol';
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { listUserMemberships } from '../../domain/memberships/memberships.js';
import {
  attemptResetPasswordCode,
  prepareResetPassword,
  resetPassword,
  signInAttemptIdentifier,
  startSignIn,
} from '../../domain/passwords/reset.js';
import type { Session, UserWithEmails } from '../../domain/records.js';
import { startSession } from '../../domain/sessions/sessions.js';
import { completeResult, needsEmailVerification } from '../auth-results.js';
import type { AppEnv } from '../env.js';
import { passwordSignIn } from '../password-sign-in.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import { serializeMemberships, sessionJSON, userJSON } from '../serialize.js';
import { clearSession, setSession } from '../session.js';
import { forgetSignInId, keepSignInId, signInIdOf } from '../sign-in-cookie.js';
import { startSignUpWithCookie, verifySignUpFromCookie } from '../sign-up-cookie.js';
import type { FrontendOptions } from './index.js';

const tags = ['Frontend: sessions'];

/** A started sign-in, the same for every address (whether or not it has an account). */
function signInStep(status: 'needs_first_factor' | 'needs_new_password', emailAddress: string, signInId: string) {
  return {
    status,
    user: null,
    session: null,
    organization_membership: null,
    redirect_url: null,
    email_address: emailAddress,
    sign_in_id: signInId,
    supported_first_factors: [
      { strategy: 'password' as const, safe_identifier: emailAddress },
      { strategy: 'reset_password_email_code' as const, safe_identifier: emailAddress },
    ],
  };
}

/** Replaces any current session with a new one for `user` (cookie set) and answers `complete`. */
async function signInAs(c: Context<AppEnv>, user: UserWithEmails) {
  await clearSession(c);
  const { session, token } = await startSession(c.var.deps, c.var.deps.store, user);
  setSession(c, token, session);
  return completeResult(c, { user, session });
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
        locale: body.locale ?? null,
      });
      return needsEmailVerification(started.emailAddress, started.signUpId);
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
      summary: 'Sign in with email and password, or start a sign-in (then prepare/attempt_first_factor)',
      tags,
      body: startSignInBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      if (body.password !== undefined) {
        const { user, session } = await passwordSignIn(c, {
          identifier: body.identifier,
          password: body.password,
          ip: options.ip(c),
        });
        return completeResult(c, { user, session });
      }
      await consume(c.var.limits, c.var.limits.signInPerIp, options.ip(c));
      const started = await startSignIn(c.var.deps, { identifier: body.identifier });
      keepSignInId(c, started.signInId);
      return signInStep('needs_first_factor', started.emailAddress, started.signInId);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_ins/prepare_first_factor',
      summary: 'Mail a password reset code (reset_password_email_code); the same answer for every address',
      tags,
      body: prepareFirstFactorBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      const limits = c.var.limits;
      await consume(limits, limits.codesPerIp, options.ip(c));
      const signInId = signInIdOf(c, body.sign_in_id);
      const prepared = await prepareResetPassword(c.var.deps, {
        signInId,
        throttle: (addressKey) => consume(limits, limits.codeMailsPerAddress, addressKey),
      });
      return signInStep('needs_first_factor', prepared.emailAddress, signInId);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_ins/attempt_first_factor',
      summary: 'Send back the mailed reset code (then reset_password), or the password',
      tags,
      body: attemptFirstFactorBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      const signInId = signInIdOf(c, body.sign_in_id);
      if (body.strategy === 'password') {
        if (!body.password) throw new AppError('form_param_missing', { meta: { param_name: 'password' } });
        const identifier = await signInAttemptIdentifier(c.var.deps, signInId);
        const { user, session } = await passwordSignIn(c, { identifier, password: body.password, ip: options.ip(c) });
        forgetSignInId(c);
        return completeResult(c, { user, session });
      }
      if (!body.code) throw new AppError('form_param_missing', { meta: { param_name: 'code' } });
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      const { emailAddress } = await attemptResetPasswordCode(c.var.deps, { signInId, code: body.code });
      return signInStep('needs_new_password', emailAddress, signInId);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sign_ins/reset_password',
      summary: 'Set a new password after the reset code; every other session of the account ends',
      tags,
      body: resetPasswordBody,
      response: authResultJSON,
      security: 'none',
    },
    async (c, { body }) => {
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      const signInId = signInIdOf(c, body.sign_in_id);
      const { user, session, token } = await resetPassword(c.var.deps, { signInId, password: body.password });
      await clearSession(c);
      setSession(c, token, session);
      forgetSignInId(c);
      return completeResult(c, { user, session });
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
      security: 'optional_session',
      idempotent: false, // it clears the session cookie, which a replay would not
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
    async (c, { user, session }) => meOf(c, user, session),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/client',
      summary: 'Who this browser is: the user, session and memberships, or `me: null` when signed out (200 either way)',
      tags,
      response: clientJSON,
      security: 'optional_session',
    },
    async (c) => {
      const { user, session } = c.var;
      return { object: 'client' as const, me: user && session ? await meOf(c, user, session) : null };
    },
  );
}

/** `GET /fapi/v1/me`'s body: the user, the session and every membership. */
async function meOf(c: Context<AppEnv>, user: UserWithEmails, session: Session) {
  const page = await listUserMemberships(c.var.deps, { userId: user.id, limit: 500, offset: 0 });
  return {
    user: userJSON(user, 'frontend'),
    session: sessionJSON(session),
    organization_memberships: await serializeMemberships(c.var.deps.store, page.data, 'frontend', c.var.deps.now()),
  };
}
