'use client';
import type { ReactNode } from 'react';
import { type HasCheck, useAuth } from './use-auth.js';

/** The check `<Protect>` and `<Show>` make: a role, a permission, or your own test over `has()`. */
type Condition = (has: (check: HasCheck) => boolean) => boolean;

/**
 * Props of `<Protect>`, as Clerk's: one of `role`, `permission` or `condition`, or none (then
 * being signed in is enough).
 *
 * @example
 * ```tsx
 * const props: ProtectProps = { permission: 'org:invoices:create', fallback: <p>Ask an admin.</p>, children: null };
 * ```
 */
export type ProtectProps = {
  children?: ReactNode;
  /** Shown to a signed-in user who fails the check, and to a signed-out one. Nothing by default. */
  fallback?: ReactNode;
} & (
  | { role: HasCheck['role'] & string; permission?: undefined; condition?: undefined }
  | { permission: HasCheck['permission'] & string; role?: undefined; condition?: undefined }
  | { condition: Condition; role?: undefined; permission?: undefined }
  | { role?: undefined; permission?: undefined; condition?: undefined }
);

/**
 * Renders its children only for a signed-in user whose active organization role or permissions
 * pass the check (Clerk's `<Protect>`); `fallback` otherwise, nothing while the session loads.
 * It hides, it does not secure: check again on the server (`auth().has()` in `@roster/nextjs/server`).
 *
 * @example
 * ```tsx
 * <Protect permission="org:sys_memberships:manage" fallback={<p>Only admins can invite.</p>}>
 *   <InviteForm />
 * </Protect>
 * ```
 */
export function Protect(props: ProtectProps): ReactNode {
  const { isLoaded, isSignedIn, has } = useAuth();
  if (!isLoaded) return null;
  const passes =
    isSignedIn &&
    (props.condition
      ? props.condition(has)
      : props.role !== undefined
        ? has({ role: props.role })
        : props.permission !== undefined
          ? has({ permission: props.permission })
          : true);
  return passes ? props.children : (props.fallback ?? null);
}

/**
 * What `<Show when>` takes (Clerk's newer control component): `'signed-in'`, `'signed-out'`, a
 * role or permission check, or a function over `has()`.
 *
 * @example
 * ```ts
 * const when: ShowWhen = { permission: 'org:invoices:create' };
 * ```
 */
export type ShowWhen = 'signed-in' | 'signed-out' | HasCheck | Condition;

/**
 * Props of `<Show>`.
 *
 * @example
 * ```tsx
 * const props: ShowProps = { when: 'signed-out', children: <SignIn /> };
 * ```
 */
export interface ShowProps {
  when: ShowWhen;
  children?: ReactNode;
  /** Shown when `when` does not hold (once the session has loaded). Nothing by default. */
  fallback?: ReactNode;
}

/**
 * Renders its children when `when` holds, `fallback` otherwise, nothing while the session loads.
 *
 * @example
 * ```tsx
 * <Show when="signed-out" fallback={<UserButton />}><SignIn /></Show>
 * <Show when={{ role: 'org:admin' }}><OrganizationProfile /></Show>
 * ```
 */
export function Show({ when, children, fallback }: ShowProps): ReactNode {
  const { isLoaded, isSignedIn, has } = useAuth();
  if (!isLoaded) return null;
  const holds =
    when === 'signed-in'
      ? isSignedIn
      : when === 'signed-out'
        ? !isSignedIn
        : isSignedIn && (typeof when === 'function' ? when(has) : has(when));
  return holds ? children : (fallback ?? null);
}
