import type { Permission, RoleKey } from '@roster/protocol';
import type { Session } from '../records.js';

/**
 * The claims of a session token, in Clerk's version 2 format (what `@clerk/backend` 3.x decodes):
 * `sub`, `sid`, `iss`, `azp`, `iat`, `nbf`, `exp`, `fva`, `sts`, `v: 2`, and for the active
 * organization `o: { id, slg, rol, per, fpm }` with the organization's features in `fea`.
 *
 * Permissions are packed as Clerk packs them: `org:<feature>:<action>` keys are split into the
 * features (`fea`, `o:`-scoped, in order) and the distinct actions (`o.per`); `o.fpm` holds one
 * decimal bitmask per feature whose bit i says "this feature has action i".
 * `org:sys_memberships:read` and `org:sys_profile:manage` give `fea: 'o:sys_memberships,o:sys_profile'`,
 * `per: 'read,manage'`, `fpm: '1,2'`.
 */
export interface SessionTokenClaims {
  sub: string;
  sid: string;
  iss: string;
  azp?: string;
  iat: number;
  nbf: number;
  exp: number;
  /** Minutes since the first factor and the second factor were verified (-1: never). */
  fva: [number, number];
  sts: 'active';
  v: 2;
  fea?: string;
  o?: { id: string; slg: string; rol: string; per: string; fpm: string };
}

/** The `o` claim and `fea` for an active organization. */
export function organizationClaims(org: {
  id: string;
  slug: string;
  role: RoleKey | string;
  permissions: readonly (Permission | string)[];
}): { o: NonNullable<SessionTokenClaims['o']>; fea?: string } {
  const features: string[] = [];
  const actions: string[] = [];
  const masks: bigint[] = [];
  for (const permission of org.permissions) {
    const match = /^org:([^:,]+):([^:,]+)$/.exec(permission);
    if (!match) continue;
    const [, feature = '', action = ''] = match;
    let f = features.indexOf(feature);
    if (f === -1) {
      f = features.push(feature) - 1;
      masks.push(0n);
    }
    let a = actions.indexOf(action);
    if (a === -1) a = actions.push(action) - 1;
    masks[f] = (masks[f] ?? 0n) | (1n << BigInt(a));
  }
  return {
    o: {
      id: org.id,
      slg: org.slug,
      rol: org.role.replace(/^org:/, ''),
      per: actions.join(','),
      fpm: masks.map(String).join(','),
    },
    ...(features.length > 0 && { fea: features.map((f) => `o:${f}`).join(',') }),
  };
}

/** Every claim of a token for `session`, issued at `now` (ms) for `ttlSeconds`. */
export function sessionTokenClaims(options: {
  session: Session;
  issuer: string;
  now: number;
  ttlSeconds: number;
  azp?: string | null;
  organization?: Parameters<typeof organizationClaims>[0] | null;
}): SessionTokenClaims {
  const { session } = options;
  const iat = Math.floor(options.now / 1000);
  const firstFactorAge = Math.max(0, Math.floor((options.now - session.createdAt) / 60_000));
  return {
    ...(options.azp && { azp: options.azp }),
    exp: iat + options.ttlSeconds,
    fva: [firstFactorAge, -1],
    iat,
    iss: options.issuer,
    nbf: iat - 5,
    ...(options.organization && organizationClaims(options.organization)),
    sid: session.id,
    sts: 'active',
    sub: session.userId,
    v: 2,
  };
}
