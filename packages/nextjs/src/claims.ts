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
 * What a Roster session token says: Clerk's version 2 claims. The active organization is `o`
 * (`rol` without its `org:` prefix; permissions packed in `per`/`fpm` against the features in
 * `fea`); read it with `organizationOf`. Tokens from before version 2 carried `org_id`,
 * `org_slug`, `org_role` and `org_permissions` instead, still understood here.
 *
 * @example
 * ```ts
 * const claims: SessionClaims = await verifySessionToken(token);
 * organizationOf(claims)?.orgRole; // 'org:admin'
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
  nbf?: number;
  /** The origin the token was minted from, when the browser sent one. */
  azp?: string;
  /** The claim format: 2. */
  v?: number;
  /** The session's status (`active`). */
  sts?: string;
  /** Minutes since the first and second factor were verified (-1: never). */
  fva?: [number, number];
  /** The features the claims refer to, scoped: `o:sys_memberships,o:sys_profile`. */
  fea?: string;
  /** The active organization: id, slug, role (no `org:`), actions (`per`) and one bitmask per feature (`fpm`). */
  o?: { id: string; slg?: string; rol?: string; per?: string; fpm?: string };
  /** Before version 2. */
  org_id?: string;
  org_slug?: string;
  org_role?: RoleKey;
  org_permissions?: Permission[];
}

/**
 * The active organization a token names, with its permissions unpacked (`org:<feature>:<action>`),
 * or `null` when it names none.
 *
 * @example
 * ```ts
 * organizationOf(claims); // { orgId: 'org_…', orgSlug: 'acme', orgRole: 'org:admin', orgPermissions: [...] }
 * ```
 */
export function organizationOf(
  claims: Partial<SessionClaims>,
): { orgId: string; orgSlug: string | null; orgRole: RoleKey; orgPermissions: Permission[] } | null {
  if (claims.v !== 2) {
    if (!claims.org_id || !claims.org_role) return null;
    return {
      orgId: claims.org_id,
      orgSlug: claims.org_slug ?? null,
      orgRole: claims.org_role,
      orgPermissions: [...(claims.org_permissions ?? [])],
    };
  }
  const o = claims.o;
  if (!o?.id || !o.rol) return null;
  const features = (claims.fea ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => /^(o|org|ou|uo):/.test(f))
    .map((f) => f.slice(f.indexOf(':') + 1));
  const actions = (o.per ?? '').split(',').map((a) => a.trim());
  const masks = (o.fpm ?? '').split(',').map((m) => (/^\d+$/.test(m.trim()) ? BigInt(m.trim()) : 0n));
  const permissions: string[] = [];
  features.forEach((feature, f) => {
    actions.forEach((action, a) => {
      if (action && ((masks[f] ?? 0n) >> BigInt(a)) & 1n) permissions.push(`org:${feature}:${action}`);
    });
  });
  return {
    orgId: o.id,
    orgSlug: o.slg ?? null,
    orgRole: `org:${o.rol}` as RoleKey,
    orgPermissions: permissions as Permission[],
  };
}

/**
 * A role or permission check, as `has()` takes it.
 *
 * @example
 * ```ts
 * const check: AuthCheck = { role: 'org:admin' };
 * ```
 */
export type AuthCheck =
  | { role: RoleInput | RoleKey; permission?: undefined }
  | { permission: Permission; role?: undefined };

const ROLE_KEYS: Record<RoleInput, RoleKey> = {
  'org:admin': 'org:admin',
  admin: 'org:admin',
  'org:member': 'org:member',
  basic_member: 'org:member',
};

/** A role as checked: Clerk's older names resolved, any other key (a custom role's) as it is. */
const roleKeyOf = (role: string): RoleKey =>
  (Object.hasOwn(ROLE_KEYS, role) ? ROLE_KEYS[role as RoleInput] : undefined) ?? role;

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
  const org = organizationOf(claims);
  const orgRole = org?.orgRole ?? null;
  const orgPermissions = org ? org.orgPermissions : null;
  return {
    userId: claims.sub,
    sessionId: claims.sid,
    orgId: org?.orgId ?? null,
    orgSlug: org?.orgSlug ?? null,
    orgRole,
    orgPermissions,
    has: (check) =>
      orgRole !== null &&
      (check.role !== undefined
        ? roleKeyOf(check.role) === orgRole
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
