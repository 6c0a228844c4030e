import type { Metadata } from '@roster/protocol';
import { newCode, newId, newToken, normalizeEmail, sameSecret, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordEvents } from '../events/events.js';
import { queuedMail } from '../mail.js';
import { enrollVerifiedAddress } from '../org-domains/enrollment.js';
import { requireAcceptablePassword } from '../passwords/policy.js';
import type { UserWithEmails } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { lockLeavers, releaseUnprovenEmails } from './removal.js';

const MAX_CODE_ATTEMPTS = 5;

/** A person's name as stored: control characters removed, trimmed, at most 256 characters, or null. */
export function cleanName(name: string | null | undefined): string | null {
  const cleaned = (name ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 256);
  return cleaned || null;
}

/** A user, or null (one deleted meanwhile, say). */
export function findUser(deps: Deps, id: string): Promise<UserWithEmails | null> {
  return deps.store.findUser(id);
}

/** Users as the list filters say (the Backend API's `GET /v1/users`, the console). */
export function listUsers(deps: Deps, options: Parameters<Store['listUsers']>[0]): Promise<UserWithEmails[]> {
  return deps.store.listUsers(options);
}

/** How many users the list filters keep. */
export function countUsers(deps: Deps, filters: Parameters<Store['countUsers']>[0]): Promise<number> {
  return deps.store.countUsers(filters);
}

/** Finds a user or throws `user_not_found`. */
export async function getUser(store: Store, id: string): Promise<UserWithEmails> {
  const user = await store.findUser(id);
  if (!user) throw new AppError('user_not_found', { meta: { user_id: id.slice(0, 64) } });
  return user;
}

/** True when the user holds `email` as a verified address. */
export function hasVerifiedEmail(user: UserWithEmails, emailNormalized: string): boolean {
  return user.emailAddresses.some((e) => e.verified && normalizeEmail(e.email) === emailNormalized);
}

export interface NewUserInput {
  emailAddresses: string[];
  password?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  publicMetadata?: Metadata | null;
  privateMetadata?: Metadata | null;
  /** How the addresses were proven: `admin` (secret key), `email_code`, or `ticket` (invitation link). */
  verification: 'admin' | 'email_code' | 'ticket';
  /** An already computed password hash (sign-up attempts store one). */
  passwordHash?: string | null;
  /** Backend API imports: the id elsewhere, a username, a locale and when the user was created. */
  externalId?: string | null;
  username?: string | null;
  locale?: string | null;
  createdAt?: number | null;
}

/** A unique user field taken by another user (`external_id`, `username`): `form_identifier_exists`. */
export function identifierTaken(paramName: string): AppError {
  return new AppError('form_identifier_exists', { meta: { param_name: paramName } });
}

/**
 * Creates a user with verified email addresses, inside the caller's transaction when given one.
 * An address that belongs to another account is `form_identifier_exists`.
 */
export async function insertUser(deps: Deps, tx: Store, input: NewUserInput): Promise<UserWithEmails> {
  const now = input.createdAt ?? deps.now();
  const id = newId('user');
  const passwordHash = input.passwordHash ?? (input.password ? await deps.passwords.hash(input.password) : null);
  try {
    await tx.createUser({
      id,
      firstName: cleanName(input.firstName),
      lastName: cleanName(input.lastName),
      passwordHash,
      publicMetadata: input.publicMetadata ?? {},
      privateMetadata: input.privateMetadata ?? {},
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
      banned: false,
      lockedUntil: null,
      imageUrl: null,
      externalId: input.externalId ?? null,
      username: input.username ?? null,
      locale: input.locale ?? null,
      passwordLastUpdatedAt: passwordHash ? now : null,
    });
  } catch (error) {
    // Only external_id and username can collide (the id is fresh); the pre-check named which.
    if (error instanceof UniqueViolation) throw identifierTaken(input.externalId ? 'external_id' : 'username');
    throw error;
  }
  const seen = new Set<string>();
  // Whoever proves an address (code, mailed link, secret key) takes it from accounts that only
  // claimed it (decision 021), all of them under one set of locks.
  await releaseUnprovenEmails(deps, tx, input.emailAddresses.map(normalizeEmail));
  for (const email of input.emailAddresses) {
    const emailNormalized = normalizeEmail(email);
    if (seen.has(emailNormalized)) continue;
    seen.add(emailNormalized);
    try {
      await tx.createEmailAddress({
        id: newId('idn'),
        userId: id,
        email: email.trim(),
        emailNormalized,
        verified: true,
        verificationStrategy: input.verification,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw new AppError('form_identifier_exists', { meta: { param_name: 'email_address' } });
      }
      throw error;
    }
  }
  const user = (await tx.findUser(id))!;
  await recordEvents(deps.events, tx, [
    { type: 'user.created', organizationId: null, subject: { kind: 'user', user } },
  ]);
  return user;
}

/**
 * A signed-in user changes their own names (Frontend API), with its `user.updated` event in the
 * same transaction. Returns the user as changed.
 */
export async function updateOwnNames(
  deps: Deps,
  userId: string,
  input: { firstName?: string | null | undefined; lastName?: string | null | undefined },
): Promise<UserWithEmails> {
  return deps.store.transaction(async (tx) => {
    await tx.updateUser(userId, {
      updatedAt: deps.now(),
      ...(input.firstName !== undefined && { firstName: cleanName(input.firstName) }),
      ...(input.lastName !== undefined && { lastName: cleanName(input.lastName) }),
    });
    return recordUserUpdated(deps, tx, userId);
  });
}

/**
 * Deletes a user, their sessions and memberships, unless they are the last admin of an
 * organization that has other members (an organization they are alone in goes admin-less, as in
 * Clerk, and reports `missing_member_with_elevated_permissions`). It first takes the lock of every
 * organization the user belongs to, in id order (`lockLeavers`): the same locks role changes and
 * removals take, so the admins it counts cannot be demoted or removed before the delete commits.
 */
export async function deleteUser(deps: Deps, id: string): Promise<UserWithEmails> {
  return deps.store.transaction(async (tx) => {
    const user = await getUser(tx, id);
    await lockLeavers(deps, tx, new Map([[id, null]]));
    await tx.deleteUser(id);
    await recordEvents(deps.events, tx, [
      { type: 'user.deleted', organizationId: null, subject: { kind: 'deleted', object: 'user', id } },
    ]);
    return user;
  });
}

/**
 * Starts a sign-up without an invitation: stores the attempt (password already hashed) and
 * mails a six-digit code. The account is created only when the code comes back, so an address
 * nobody proved never blocks its owner. The returned `signUpId` binds the attempt to the client
 * that started it: only that client can finish it, so someone who starts a sign-up for another
 * person's address cannot get their own password onto the account by having the owner type in a
 * code (each start has its own code, and the newest mail is not the one that counts).
 */
export async function startSignUp(
  deps: Deps,
  input: {
    emailAddress: string;
    password: string;
    firstName?: string | null;
    lastName?: string | null;
    /** The invitation the sign-up joins once the code proves the address (a shown link's sign-up). */
    invitationId?: string | null;
    /** A BCP 47 tag (Clerk's sign-up `locale`): the code mail's language, then the account's. */
    locale?: string | null;
  },
): Promise<{ emailAddress: string; expiresAt: number; signUpId: string }> {
  const emailNormalized = normalizeEmail(input.emailAddress);
  await requireAcceptablePassword(deps, input.password);
  // An account that holds the address unverified does not block its owner (decision 021).
  const holder = await deps.store.findUserByEmail(emailNormalized);
  if (holder && hasVerifiedEmail(holder, emailNormalized)) {
    throw new AppError('form_identifier_exists', { meta: { param_name: 'email_address' } });
  }
  const now = deps.now();
  const code = newCode();
  const signUpId = `su_${newToken()}`;
  const passwordHash = await deps.passwords.hash(input.password);
  const expiresAt = now + deps.settings.signUpCodeTtlMs;
  await deps.store.transaction(async (tx) => {
    await tx.saveSignUpAttempt({
      id: sha256(signUpId),
      emailNormalized,
      email: input.emailAddress.trim(),
      passwordHash,
      firstName: cleanName(input.firstName),
      lastName: cleanName(input.lastName),
      codeHash: sha256(`${signUpId}:${code}`),
      attempts: 0,
      expiresAt,
      createdAt: now,
      invitationId: input.invitationId ?? null,
      locale: input.locale ?? null,
    });
    await tx.enqueueMail(
      queuedMail(
        {
          kind: 'verification_code',
          toAddress: input.emailAddress.trim(),
          payload: { code: deps.secrets.seal(code), expiresAt, ...(input.locale && { locale: input.locale }) },
          invitationId: null,
        },
        now,
      ),
    );
  });
  deps.mailQueued();
  return { emailAddress: input.emailAddress.trim(), expiresAt, signUpId };
}

/**
 * Completes a sign-up with the emailed code, for the client holding `signUpId`: creates the user
 * with the address verified. Every check takes one of the attempt's tries first, atomically, so
 * parallel guesses share five tries. Answers the user and the invitation the sign-up was started
 * for (a shown link's sign-up), if any.
 */
export async function verifySignUp(
  deps: Deps,
  input: { signUpId: string; code: string },
): Promise<{ user: UserWithEmails; invitationId: string | null }> {
  const id = sha256(input.signUpId);
  const attempt = await deps.store.takeSignUpAttempt(id, { now: deps.now(), maxAttempts: MAX_CODE_ATTEMPTS });
  if (!attempt) {
    // No try left: tell an attempt that is over from one that never was (a read only on this path).
    if (!(await deps.store.findSignUpAttempt(id))) {
      throw new AppError('verification_not_found', { meta: { param_name: 'sign_up_id' } });
    }
    throw new AppError('verification_expired', { meta: { param_name: 'code' } });
  }
  if (!sameSecret(sha256(`${input.signUpId}:${input.code.trim()}`), attempt.codeHash)) {
    throw new AppError('form_code_incorrect', {
      meta: { param_name: 'code', attempts_remaining: MAX_CODE_ATTEMPTS - attempt.attempts },
    });
  }
  const user = await deps.store.transaction(async (tx) => {
    const created = await insertUser(deps, tx, {
      emailAddresses: [attempt.email],
      passwordHash: attempt.passwordHash,
      firstName: attempt.firstName,
      lastName: attempt.lastName,
      verification: 'email_code',
      locale: attempt.locale,
    });
    await tx.deleteSignUpAttempts(attempt.emailNormalized);
    return created;
  });
  // A verified address on a verified domain: its automatic invitation or suggestion (decision 047).
  await enrollVerifiedAddress(deps, { userId: user.id, email: attempt.email });
  return { user, invitationId: attempt.invitationId };
}

/** A hash to verify against when no account matches, so a miss takes as long as a hit. */
let dummyHash: Promise<string> | null = null;

/** Checks email and password; the same error whether the account is missing or the password wrong. */
export async function authenticate(
  deps: Deps,
  input: { identifier: string; password: string },
): Promise<UserWithEmails> {
  const user = await deps.store.findUserByEmail(normalizeEmail(input.identifier));
  if (!user?.passwordHash) {
    dummyHash ??= deps.passwords.hash('not-a-real-password-but-the-same-work');
    await deps.passwords.verify(await dummyHash, input.password);
    throw new AppError('form_password_incorrect', { meta: { param_name: 'password' } });
  }
  if (!(await deps.passwords.verify(user.passwordHash, input.password))) {
    throw new AppError('form_password_incorrect', { meta: { param_name: 'password' } });
  }
  // An imported digest (bcrypt, other argon2 parameters) becomes Roster's own hash now that the
  // password is known; only if no one changed the password meanwhile.
  if (deps.passwords.needsRehash?.(user.passwordHash)) {
    await deps.store.replacePasswordHash(user.id, user.passwordHash, await deps.passwords.hash(input.password));
  }
  return user;
}

/** A display name for emails and pages: "First Last", or the primary address. */
export function displayName(user: UserWithEmails): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ').trim();
  return name || user.emailAddresses[0]?.email || user.id;
}

/** Records `user.updated` with the user as it now is, inside the change's transaction; returns that user. */
export async function recordUserUpdated(deps: Deps, tx: Store, id: string): Promise<UserWithEmails> {
  const user = await getUser(tx, id);
  await recordEvents(deps.events, tx, [
    { type: 'user.updated', organizationId: null, subject: { kind: 'user', user } },
  ]);
  return user;
}
