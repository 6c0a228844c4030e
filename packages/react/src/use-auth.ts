'use client';
import type { GetTokenOptions, Permission, RoleInput, RoleKey, RosterClient, User } from '@roster/client';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { AuthSnapshot } from './auth-store.js';
import { useRosterContext } from './context.js';

const ROLE_KEYS: Record<RoleInput, RoleKey> = {
  'org:admin': 'org:admin',
  admin: 'org:admin',
  'org:member': 'org:member',
  basic_member: 'org:member',
};

/** A role as checked: Clerk's older names resolved, any other key (a custom role's) as it is. */
const roleKeyOf = (role: string): RoleKey =>
  (Object.hasOwn(ROLE_KEYS, role) ? ROLE_KEYS[role as RoleInput] : undefined) ?? role;

/** Internal: the provider's signed-in state, re-rendering on change. */
export function useAuthSnapshot(hook: string): { client: RosterClient; snapshot: AuthSnapshot } {
  const { client, auth } = useRosterContext(hook);
  const snapshot = useSyncExternalStore(auth.subscribe, auth.getSnapshot, auth.getSnapshot);
  return { client, snapshot };
}

/**
 * The Roster client from the nearest `<RosterProvider>`, for calls the hooks don't wrap.
 *
 * @example
 * ```tsx
 * const roster = useRoster();
 * await roster.signIn.create({ identifier, password });
 * ```
 */
export function useRoster(): RosterClient {
  return useRosterContext('useRoster').client;
}

/**
 * Checks the active organization's role or permission, as Clerk's `has()`.
 *
 * @example
 * ```ts
 * const check: HasCheck = { permission: 'org:sys_memberships:manage' };
 * ```
 */
export type HasCheck =
  | { role: RoleInput | RoleKey; permission?: undefined }
  | { permission: Permission; role?: undefined };

/**
 * What `useAuth()` returns: `undefined`s until loaded, `null`s when signed out.
 *
 * @example
 * ```ts
 * const auth: UseAuthReturn = useAuth();
 * if (auth.isSignedIn) console.log(auth.userId);
 * ```
 */
export type UseAuthReturn = {
  signOut: () => Promise<void>;
  has: (check: HasCheck) => boolean;
  /** A short-lived signed session token for your own server (`null` when signed out); see `RosterClient.getToken`. */
  getToken: (options?: GetTokenOptions) => Promise<string | null>;
} & (
  | {
      isLoaded: false;
      isSignedIn: undefined;
      userId: undefined;
      sessionId: undefined;
      orgId: undefined;
      orgRole: undefined;
      orgSlug: undefined;
    }
  | { isLoaded: true; isSignedIn: false; userId: null; sessionId: null; orgId: null; orgRole: null; orgSlug: null }
  | {
      isLoaded: true;
      isSignedIn: true;
      userId: string;
      sessionId: string;
      orgId: string | null;
      orgRole: RoleKey | null;
      orgSlug: string | null;
    }
);

/**
 * Who is signed in and their active organization, as ids (Clerk's `useAuth`).
 *
 * @example
 * ```tsx
 * const { isLoaded, isSignedIn, orgRole, signOut, getToken } = useAuth();
 * if (!isLoaded) return null;
 * return isSignedIn ? <button onClick={() => signOut()}>Sign out ({orgRole})</button> : <SignIn />;
 * ```
 */
export function useAuth(): UseAuthReturn {
  const { client, snapshot } = useAuthSnapshot('useAuth');
  const signOut = useCallback(() => client.signOut(), [client]);
  const getToken = useCallback((options?: GetTokenOptions) => client.getToken(options), [client]);
  const active = snapshot.status === 'signed_in' ? snapshot.active : null;
  const has = useCallback(
    (check: HasCheck) =>
      active !== null &&
      (check.role !== undefined
        ? active.role === roleKeyOf(check.role)
        : active.permissions.includes(check.permission)),
    [active],
  );
  return useMemo((): UseAuthReturn => {
    if (snapshot.status === 'loading') {
      return {
        isLoaded: false,
        isSignedIn: undefined,
        userId: undefined,
        sessionId: undefined,
        orgId: undefined,
        orgRole: undefined,
        orgSlug: undefined,
        signOut,
        has,
        getToken,
      };
    }
    if (snapshot.status === 'signed_out') {
      return {
        isLoaded: true,
        isSignedIn: false,
        userId: null,
        sessionId: null,
        orgId: null,
        orgRole: null,
        orgSlug: null,
        signOut,
        has,
        getToken,
      };
    }
    const { me } = snapshot;
    return {
      isLoaded: true,
      isSignedIn: true,
      userId: me.user.id,
      sessionId: me.session.id,
      orgId: active?.organization.id ?? null,
      orgRole: active?.role ?? null,
      orgSlug: active?.organization.slug ?? null,
      signOut,
      has,
      getToken,
    };
  }, [snapshot, active, signOut, has, getToken]);
}

/**
 * What `useUser()` returns.
 *
 * @example
 * ```ts
 * const { user }: UseUserReturn = useUser();
 * ```
 */
export type UseUserReturn =
  | { isLoaded: false; isSignedIn: undefined; user: undefined }
  | { isLoaded: true; isSignedIn: false; user: null }
  | { isLoaded: true; isSignedIn: true; user: User };

/**
 * The signed-in user (Clerk's `useUser`).
 *
 * @example
 * ```tsx
 * const { isLoaded, user } = useUser();
 * if (!isLoaded) return null;
 * return <p>Hello {user?.firstName ?? 'stranger'}</p>;
 * ```
 */
export function useUser(): UseUserReturn {
  const { snapshot } = useAuthSnapshot('useUser');
  return useMemo((): UseUserReturn => {
    if (snapshot.status === 'loading') return { isLoaded: false, isSignedIn: undefined, user: undefined };
    if (snapshot.status === 'signed_out') return { isLoaded: true, isSignedIn: false, user: null };
    return { isLoaded: true, isSignedIn: true, user: snapshot.me.user };
  }, [snapshot]);
}
