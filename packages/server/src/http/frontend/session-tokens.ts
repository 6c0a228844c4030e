import { sign } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { Session } from '../../domain/records.js';
import { roleCatalog } from '../../domain/roles/catalog.js';
import { type SessionTokenClaims, sessionTokenClaims } from '../../domain/sessions/token-claims.js';
import type { Store } from '../../domain/store.js';
import type { SigningKeys } from '../../signing-keys.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

/** Lifetime of a session token: short, so a revoked session or removed member stops working within a minute. */
export const SESSION_TOKEN_TTL_SECONDS = 60;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS of `claims`, signed with the cached key object (RS256: RSASSA-PKCS1-v1_5 with
 * SHA-256; EdDSA: Ed25519). Signed here rather than through jose: nothing to parse or import per
 * token, and the few lines are the whole format.
 */
export async function signSessionToken(keys: SigningKeys, claims: SessionTokenClaims): Promise<string> {
  const { privateKey, kid } = await keys.signer();
  const input = `${b64({ alg: keys.alg, kid, typ: 'JWT' })}.${b64(claims)}`;
  const signature = sign(keys.alg === 'RS256' ? 'sha256' : null, Buffer.from(input), privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * Mints the short-lived signed token an app's server verifies without calling Roster, in Clerk's
 * version 2 claim format (see `sessionTokenClaims`): who the user is, the session, and the active
 * organization with role and permissions.
 */
export async function mintSessionToken(
  store: Pick<Store, 'findOrganization' | 'findMembership' | 'roles'>,
  keys: SigningKeys,
  session: Session,
  options: { issuer: string; now: number; azp?: string | null },
): Promise<string> {
  let organization: Parameters<typeof sessionTokenClaims>[0]['organization'] = null;
  if (session.activeOrganizationId) {
    const [org, membership, catalog] = await Promise.all([
      store.findOrganization(session.activeOrganizationId),
      store.findMembership(session.activeOrganizationId, session.userId),
      roleCatalog(store),
    ]);
    if (org && membership) {
      const permissions = catalog.permissionsOf(membership.role);
      organization = { id: org.id, slug: org.slug, role: membership.role, permissions };
    }
  }
  return signSessionToken(
    keys,
    sessionTokenClaims({
      session,
      issuer: options.issuer,
      now: options.now,
      ttlSeconds: SESSION_TOKEN_TTL_SECONDS,
      azp: options.azp ?? null,
      organization,
    }),
  );
}

/**
 * The session id that stands for "the session making this request": an app's server that holds
 * only the session's credential (the `@roster/nextjs` middleware refreshing an expired token,
 * decision 024) does not know the id, and asking `/fapi/v1/me` first would cost a second request.
 */
export const CURRENT_SESSION = 'current';

/** The published key set: Clerk's `{ keys: [...] }` with `kid`, `alg` and `use` on each key. */
const jwksResponse = z.object({ keys: z.array(z.looseObject({ kid: z.string(), alg: z.string(), use: z.string() })) });

/**
 * `POST /fapi/v1/client/sessions/:session_id/tokens` (Clerk's path; `:session_id` may be
 * `current`), the key set at `GET /.well-known/jwks.json` (public) and at `GET /v1/jwks` (Clerk's
 * Backend API path, secret key, where `@clerk/backend`'s `verifyToken({ secretKey, apiUrl })` reads it).
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
    async (c, { params, session }) => {
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

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/jwks',
      summary: 'The keys that verify session tokens (JWKS)',
      tags: ['JWKS'],
      response: jwksResponse,
    },
    async (c) => {
      c.header('Cache-Control', 'private, max-age=300');
      return keys.jwks() as Promise<z.input<typeof jwksResponse>>;
    },
  );

  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await keys.jwks());
  });
}
