import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { User, UserWithEmails } from '../records.js';
import { getUser, recordUserUpdated } from './users.js';

/**
 * Refuses a sign-in (any way in: password, ticket, reset, a session still in use) for a banned
 * user or one whose lock has not run out. `user_locked` says how long is left, as Clerk's does.
 */
export function requireMaySignIn(user: Pick<User, 'banned' | 'lockedUntil'>, now: number): void {
  if (user.banned) throw new AppError('user_banned');
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    throw new AppError('user_locked', {
      meta: { lockout_expires_in_seconds: Math.ceil((user.lockedUntil - now) / 1000) },
    });
  }
}

/** Whether `requireMaySignIn` lets the user in. */
export function maySignIn(user: Pick<User, 'banned' | 'lockedUntil'>, now: number): boolean {
  return !user.banned && (user.lockedUntil === null || user.lockedUntil <= now);
}

/**
 * Bans or locks a user (Backend API) and ends every session they have, in one transaction: no
 * session made before the change outlives it, and one a sign-in makes at the same moment is refused
 * the next time it is used (sessions check the user on every lookup).
 */
async function restrict(deps: Deps, id: string, patch: { banned?: boolean; lockedUntil?: number | null }) {
  await getUser(deps.store, id);
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.lockUser(id);
    await tx.updateUser(id, { ...patch, updatedAt: now });
    const ending = patch.banned === true || (patch.lockedUntil ?? 0) > now;
    if (ending) {
      await tx.deleteSessionsOfUser(id);
      await tx.deleteSignInAttemptsOfUser(id);
    }
    await recordUserUpdated(deps, tx, id);
  });
  return getUser(deps.store, id);
}

/** Bans a user: every session ends and no sign-in succeeds until `unbanUser`. */
export function banUser(deps: Deps, id: string): Promise<UserWithEmails> {
  return restrict(deps, id, { banned: true });
}

export function unbanUser(deps: Deps, id: string): Promise<UserWithEmails> {
  return restrict(deps, id, { banned: false });
}

/** Locks a user for the configured lockout (`ROSTER_LOCKOUT_MINUTES`, an hour by default): sessions end. */
export function lockUser(deps: Deps, id: string): Promise<UserWithEmails> {
  return restrict(deps, id, { lockedUntil: deps.now() + deps.settings.lockoutMs });
}

export function unlockUser(deps: Deps, id: string): Promise<UserWithEmails> {
  return restrict(deps, id, { lockedUntil: null });
}
