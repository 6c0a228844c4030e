import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { type AuthObject, type SessionClaims, signedInAuth, signedOutAuth } from './claims.js';

/**
 * Where the server finds Roster and what it accepts.
 *
 * - `rosterUrl`: Roster's URL; the keys are read from `${rosterUrl}/.well-known/jwks.json`.
 *   Default: `ROSTER_URL`, else `NEXT_PUBLIC_ROSTER_URL`.
 * - `issuer`: the `iss` a token must carry, Roster's public URL. Default: `ROSTER_ISSUER`, else `rosterUrl`.
 * - `authorizedParties`: if given, a token minted from a browser must name one of these origins in `azp`.
 * - `clockToleranceSeconds`: leeway for clock drift between the two servers (default 5).
 *
 * @example
 * ```ts
 * const options: RosterServerOptions = { rosterUrl: 'http://localhost:3000', authorizedParties: ['http://localhost:3100'] };
 * ```
 */
export interface RosterServerOptions {
  rosterUrl?: string;
  issuer?: string;
  authorizedParties?: readonly string[];
  clockToleranceSeconds?: number;
}

interface Resolved {
  issuer: string;
  jwks: JWTVerifyGetKey;
  authorizedParties: readonly string[] | null;
  clockTolerance: number;
}

const keySets = new Map<string, JWTVerifyGetKey>();

function env(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value?.trim() ? value.trim() : undefined;
}

/** Roster's URL from the options or the environment (never from a request); throws when unset. */
export function rosterUrlOf(options: RosterServerOptions = {}): string {
  const rosterUrl = options.rosterUrl ?? env('ROSTER_URL') ?? env('NEXT_PUBLIC_ROSTER_URL');
  if (!rosterUrl) {
    throw new Error(
      '@roster/nextjs: set ROSTER_URL (or NEXT_PUBLIC_ROSTER_URL) to your Roster server, e.g. http://localhost:3000',
    );
  }
  return rosterUrl;
}

function resolve(options: RosterServerOptions = {}): Resolved {
  const rosterUrl = rosterUrlOf(options);
  const jwksUrl = new URL('/.well-known/jwks.json', rosterUrl).toString();
  let jwks = keySets.get(jwksUrl);
  if (!jwks) {
    // jose caches the keys (and refetches, at most every 30 s, when a token names an unknown kid).
    jwks = createRemoteJWKSet(new URL(jwksUrl));
    keySets.set(jwksUrl, jwks);
  }
  return {
    issuer: (options.issuer ?? env('ROSTER_ISSUER') ?? rosterUrl).replace(/\/+$/, ''),
    jwks,
    authorizedParties: options.authorizedParties ?? null,
    clockTolerance: options.clockToleranceSeconds ?? 5,
  };
}

/**
 * Verifies a Roster session token (signature against Roster's published keys, issuer, expiry)
 * and returns its claims; throws (a `jose` error) when it does not verify.
 *
 * @example
 * ```ts
 * const claims = await verifySessionToken(token, { rosterUrl: 'http://localhost:3000' });
 * claims.sub; // 'user_…'
 * ```
 */
export async function verifySessionToken(token: string, options?: RosterServerOptions): Promise<SessionClaims> {
  const { issuer, jwks, authorizedParties, clockTolerance } = resolve(options);
  // RS256 is what Roster signs by default (as Clerk does); EdDSA when configured so (decision 025).
  const { payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256', 'EdDSA'], clockTolerance });
  if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
    throw new errors.JWTClaimValidationFailed('a Roster session token has sub and sid', payload, 'sid', 'missing');
  }
  if (authorizedParties && typeof payload.azp === 'string' && !authorizedParties.includes(payload.azp)) {
    throw new errors.JWTClaimValidationFailed(
      `minted for another origin (${payload.azp})`,
      payload,
      'azp',
      'check_failed',
    );
  }
  return payload as unknown as SessionClaims;
}

/**
 * The `AuthObject` for a token: signed in when it verifies, signed out (all `null`s) when it is
 * missing, expired, forged or from another Roster. Never throws for a bad token.
 *
 * @example
 * ```ts
 * const { userId } = await authenticateToken(request.headers.get('x-roster-token'));
 * ```
 */
export async function authenticateToken(
  token: string | null | undefined,
  options?: RosterServerOptions,
): Promise<AuthObject> {
  if (!token) return signedOutAuth();
  try {
    return signedInAuth(await verifySessionToken(token, options), token);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('@roster/nextjs:')) throw error;
    const code = (error as { code?: unknown }).code;
    // An expired or bad token is an ordinary signed-out request; anything else (Roster unreachable
    // for its keys) is worth a line in the log, and still fails closed.
    if (typeof code !== 'string' || !/^ERR_(JWT|JWS|JWK)/.test(code) || code === 'ERR_JWKS_TIMEOUT') {
      console.warn(`@roster/nextjs: session token not verified: ${String(error)}`);
    }
    return signedOutAuth();
  }
}
