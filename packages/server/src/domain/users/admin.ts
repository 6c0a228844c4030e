import type { Metadata } from '@roster/protocol';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { mergeMetadata } from '../metadata.js';
import { enrollVerifiedAddresses } from '../org-domains/enrollment.js';
import { type ImportedHasher, importedPasswordHash } from '../passwords/digests.js';
import { requireAcceptablePassword } from '../passwords/policy.js';
import type { UserWithEmails } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { primaryEmailError } from './email-addresses.js';
import { cleanName, getUser, identifierTaken, insertUser, type NewUserInput, recordUserUpdated } from './users.js';

/**
 * The Backend API's user administration (secret key): create (with Clerk's import fields),
 * update, metadata, password check. The unique fields Clerk has (`external_id`, `username`) are
 * checked first for a clear error and kept by unique indexes, which decide a race.
 */

/** Refuses an `external_id` or `username` another user holds (the unique index decides a race). */
export async function requireFreeIdentifiers(
  store: Store,
  input: { externalId?: string | null; username?: string | null },
  self?: string,
): Promise<void> {
  const checks = [
    ['external_id', input.externalId && { externalIds: [input.externalId] }],
    ['username', input.username && { usernames: [input.username] }],
  ] as const;
  for (const [param, filter] of checks) {
    if (!filter) continue;
    const holders = await store.listUsers({ ...filter, limit: 1, offset: 0 });
    if (holders.some((u) => u.id !== self)) throw identifierTaken(param);
  }
}

/**
 * Backend API: creates a user (addresses count as verified, since the secret key vouches for them).
 * The password policy applies unless the app's server passes `skipPasswordChecks` (Clerk's
 * `skip_password_checks`, for passwords it imports and has checked itself).
 */
export async function createUser(
  deps: Deps,
  input: Omit<NewUserInput, 'verification'> & {
    skipPasswordChecks?: boolean | null;
    /** Clerk's `password_digest` with `password_hasher`: kept until the first sign-in re-hashes it. */
    passwordDigest?: { hasher: ImportedHasher; digest: string };
  },
): Promise<UserWithEmails> {
  const { skipPasswordChecks, passwordDigest, ...rest } = input;
  await requireFreeIdentifiers(deps.store, rest);
  if (rest.password && !skipPasswordChecks) await requireAcceptablePassword(deps, rest.password);
  const passwordHash = passwordDigest
    ? importedPasswordHash(passwordDigest.hasher, passwordDigest.digest)
    : (rest.passwordHash ?? (rest.password ? await deps.passwords.hash(rest.password) : null));
  const user = await deps.store.transaction((tx) =>
    insertUser(deps, tx, { ...rest, passwordHash, verification: 'admin' }),
  );
  // Its addresses are verified (the secret key's word): verified domains enroll them (decision 047).
  await enrollVerifiedAddresses(
    deps,
    user.id,
    user.emailAddresses.filter((e) => e.verified).map((e) => e.email),
  );
  return user;
}

/**
 * Updates a user's names, primary address or password (Backend API; the Frontend API's `PATCH /me`
 * for names and primary address), in one transaction. A new password follows the
 * policy unless `skipPasswordChecks`; `signOutOfAllSessions` ends every session of the user.
 */
export async function updateUserProfile(
  deps: Deps,
  id: string,
  input: {
    firstName?: string | null | undefined;
    lastName?: string | null | undefined;
    externalId?: string | null | undefined;
    username?: string | null | undefined;
    locale?: string | null | undefined;
    password?: string | null | undefined;
    skipPasswordChecks?: boolean | null | undefined;
    signOutOfAllSessions?: boolean | null | undefined;
    primaryEmailAddressId?: string | null | undefined;
  },
): Promise<UserWithEmails> {
  const user = await getUser(deps.store, id);
  await requireFreeIdentifiers(deps.store, input, id);
  if (input.password && !input.skipPasswordChecks) await requireAcceptablePassword(deps, input.password);
  const passwordHash = input.password ? await deps.passwords.hash(input.password) : null;
  const primary = input.primaryEmailAddressId;
  if (primary && !user.emailAddresses.some((e) => e.id === primary))
    throw await primaryEmailError(deps.store, id, primary);
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    // Only a verified address can be primary; the check and the change are one statement.
    if (primary && !(await tx.setPrimaryEmailAddress(id, primary))) throw await primaryEmailError(tx, id, primary);
    try {
      await tx.updateUser(id, {
        updatedAt: now,
        ...(input.firstName !== undefined && { firstName: cleanName(input.firstName) }),
        ...(input.lastName !== undefined && { lastName: cleanName(input.lastName) }),
        ...(input.externalId !== undefined && { externalId: input.externalId }),
        ...(input.username !== undefined && { username: input.username }),
        ...(input.locale !== undefined && { locale: input.locale }),
      });
    } catch (error) {
      if (error instanceof UniqueViolation) throw identifierTaken(input.externalId ? 'external_id' : 'username');
      throw error;
    }
    if (passwordHash) {
      await tx.updateUserPassword(id, passwordHash, now);
      await tx.deleteSignInAttemptsOfUser(id);
    }
    if (input.signOutOfAllSessions) await tx.deleteSessionsOfUser(id);
    await recordUserUpdated(deps, tx, id);
  });
  return getUser(deps.store, id);
}

/**
 * The Backend API's metadata calls: `merge` deep-merges (a `null` deletes a key at any depth), as
 * Clerk's PATCH; otherwise each given field replaces the stored one whole (PUT). The user's row is
 * locked while it is read and written, so two concurrent merges both take effect.
 */
export async function updateUserMetadata(
  deps: Deps,
  id: string,
  input: { publicMetadata?: Metadata | null; privateMetadata?: Metadata | null; merge: boolean },
): Promise<UserWithEmails> {
  await getUser(deps.store, id);
  await deps.store.transaction(async (tx) => {
    await tx.lockUser(id);
    const user = await getUser(tx, id);
    const next = (base: Metadata, given: Metadata | null | undefined) =>
      given == null ? undefined : input.merge ? mergeMetadata(base, given) : given;
    const publicMetadata = next(user.publicMetadata, input.publicMetadata);
    const privateMetadata = next(user.privateMetadata, input.privateMetadata);
    await tx.updateUser(id, {
      updatedAt: deps.now(),
      ...(publicMetadata && { publicMetadata }),
      ...(privateMetadata && { privateMetadata }),
    });
    await recordUserUpdated(deps, tx, id);
  });
  return getUser(deps.store, id);
}

/**
 * Checks a user's password for the app's own server (re-verification before a sensitive action).
 * A user without a password is `password_not_set`; a wrong one `form_password_incorrect`.
 */
export async function verifyUserPassword(deps: Deps, id: string, password: string): Promise<void> {
  const user = await getUser(deps.store, id);
  if (!user.passwordHash) throw new AppError('password_not_set');
  if (!(await deps.passwords.verify(user.passwordHash, password))) {
    throw new AppError('form_password_incorrect', { meta: { param_name: 'password' } });
  }
}
