import type { OpenAPIHono } from '@hono/zod-openapi';
import { permissionsOf } from '@roster/protocol';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { Session } from '../../domain/records.js';
import type { Store } from '../../domain/store.js';
import type { SigningKeys } from '../../signing-keys.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { requireUser } from '../session.js';

/** Lifetime of a session token: short, so a revoked session or removed member stops working within a minute. */
export const SESSION_TOKEN_TTL_SECONDS = 60;

/**
 * Mints the short-lived signed token an app's server verifies without calling Roster: who the
 * user is, the session, and the active organization with role and permissions (Clerk's claim
 * names: `sub`, `sid`, `org_id`, `org_slug`, `org_role`, `org_permissions`).
 */
export async function mintSessionToken(
  store: Store,
  keys: SigningKeys,
  session: Session,
  options: { issuer: string; now: number; azp?: string | null },
): Promise<string> {
  let org: { org_id: string; org_slug: string; org_role: string; org_permissions: string[] } | null = null;
  if (session.activeOrganizationId) {
    const [organization, membership] = await Promise.all([
      store.findOrganization(session.activeOrganizationId),
      store.findMembership(session.activeOrganizationId, session.userId),
    ]);
    if (organization && membership) {
      org = {
        org_id: organization.id,
        org_slug: organization.slug,
        org_role: membership.role,
        org_permissions: [...permissionsOf(membership.role)],
      };
    }
  }
  const iat = Math.floor(options.now / 1000);
  return new SignJWT({ sid: session.id, ...(options.azp && { azp: options.azp }), ...org, v: 1 })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.kid, typ: 'JWT' })
    .setSubject(session.userId)
    .setIssuer(options.issuer)
    .setIssuedAt(iat)
    .setNotBefore(iat - 5)
    .setExpirationTime(iat + SESSION_TOKEN_TTL_SECONDS)
    .sign(keys.privateKey);
}

/**
 * The session id that stands for "the session making this request": an app's server that holds
 * only the session's credential (the `@roster/nextjs` middleware refreshing an expired token,
 * decision 024) does not know the id, and asking `/fapi/v1/me` first would cost a second request.
 */
export const CURRENT_SESSION = 'current';

/**
 * `POST /fapi/v1/client/sessions/:session_id/tokens` (Clerk's path; `:session_id` may be
 * `current`) and `GET /.well-known/jwks.json`.
 */
export function registerSessionTokenRoutes(app: OpenAPIHono<AppEnv>, keys: SigningKeys) {
  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/client/sessions/:session_id/tokens',
      summary:
        'Mint a short-lived signed session token (verify it with /.well-known/jwks.json); `current` names the session making the request',
      tags: ['Frontend: sessions'],
      params: z.object({ session_id: z.string().max(64) }),
      response: z.object({ object: z.literal('token'), jwt: z.string(), expires_in: z.number() }),
      security: 'session',
      idempotent: false, // a retry wants a fresh token, not a stored copy of a signed one
    },
    async (c, { params }) => {
      const { session } = requireUser(c);
      if (params.session_id !== session.id && params.session_id !== CURRENT_SESSION) {
        throw new AppError('session_invalid');
      }
      const jwt = await mintSessionToken(c.var.deps.store, keys, session, {
        issuer: c.var.deps.settings.publicUrl,
        now: c.var.deps.now(),
        azp: c.req.header('origin') ?? null,
      });
      return { object: 'token' as const, jwt, expires_in: SESSION_TOKEN_TTL_SECONDS };
    },
  );

  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await keys.jwks());
  });
}
