import type { Permission, RoleInput, RoleKey } from '@roster/react';

/**
 * The name of the cookie that carries the short-lived session token on the app's own origin.
 *
 * @example
 * ```ts
 * const token = (await cookies()).get(SESSION_COOKIE)?.value;
 * ```
 */
export const SESSION_COOKIE = '__session';

/**
 * What a Roster session token says (Clerk's claim names).
 *
 * @example
 * ```ts
 * const { sub, org_id, org_role }: SessionClaims = await verifySessionToken(token);
 * ```
 */
export interface SessionClaims {
  /** The user id. */
  sub: string;
  /** The session id. */
  sid: string;
  iss: string;
  exp: number;
  iat: number;
  /** The origin the token was minted from, when the browser sent one. */
  azp?: string;
  org_id?: string;
  org_slug?: string;
  org_role?: RoleKey;
  org_permissions?: Permission[];
}

/**
 * A role or permission check, as `has()` takes it.
 *
 * @example
 * ```ts
 * const check: AuthCheck = { role: 'org:admin' };
 * ```
 */
export type AuthCheck = { role: RoleInput; permission?: undefined } | { permission: Permission; role?: undefined };

const ROLE_KEYS: Record<RoleInput, RoleKey> = {
  'org:admin': 'org:admin',
  admin: 'org:admin',
  'org:member': 'org:member',
  basic_member: 'org:member',
};

/**
 * Who made a request, from a verified session token: `null`s when signed out.
 *
 * @example
 * ```ts
 * const { userId, orgId, has } = await auth();
 * if (!userId) return new Response('Sign in first', { status: 401 });
 * if (!has({ permission: 'org:sys_memberships:manage' })) return new Response('Admins only', { status: 403 });
 * ```
 */
export type AuthObject =
  | {
      userId: string;
      sessionId: string;
      orgId: string | null;
      orgSlug: string | null;
      orgRole: RoleKey | null;
      orgPermissions: Permission[] | null;
      /** True when the active organization's role or permissions satisfy the check. */
      has: (check: AuthCheck) => boolean;
      /** The verified token itself, to forward to another service. */
      getToken: () => Promise<string | null>;
    }
  | {
      userId: null;
      sessionId: null;
      orgId: null;
      orgSlug: null;
      orgRole: null;
      orgPermissions: null;
      has: (check: AuthCheck) => false;
      getToken: () => Promise<null>;
    };

/** The signed-out `AuthObject`. */
export function signedOutAuth(): AuthObject {
  return {
    userId: null,
    sessionId: null,
    orgId: null,
    orgSlug: null,
    orgRole: null,
    orgPermissions: null,
    has: () => false,
    getToken: async () => null,
  };
}

/** The `AuthObject` for verified claims. */
export function signedInAuth(claims: SessionClaims, token: string): AuthObject {
  const orgRole = claims.org_id && claims.org_role ? claims.org_role : null;
  const orgPermissions = orgRole ? [...(claims.org_permissions ?? [])] : null;
  return {
    userId: claims.sub,
    sessionId: claims.sid,
    orgId: orgRole ? (claims.org_id ?? null) : null,
    orgSlug: orgRole ? (claims.org_slug ?? null) : null,
    orgRole,
    orgPermissions,
    has: (check) =>
      orgRole !== null &&
      (check.role !== undefined
        ? ROLE_KEYS[check.role] === orgRole
        : (orgPermissions ?? []).includes(check.permission)),
    getToken: async () => token,
  };
}

/** Reads a JWT's payload without verifying it (the browser only needs `exp` and who it is for). */
export function decodeClaims(token: string): Partial<SessionClaims> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const json = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return json && typeof json === 'object' ? (json as Partial<SessionClaims>) : null;
  } catch {
    return null;
  }
}
