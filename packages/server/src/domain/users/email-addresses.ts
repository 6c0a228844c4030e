import { newCode, newId, normalizeEmail, sameSecret, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { queuedMail } from '../mail.js';
import { enrollVerifiedAddress } from '../org-domains/enrollment.js';
import type { EmailAddress, PendingEmailAddress, UserWithEmails } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { releaseUnprovenEmails } from './removal.js';
import { hasVerifiedEmail } from './users.js';

/**
 * A signed-in user's further addresses (Clerk's `user.createEmailAddress`, then
 * `prepareVerification({strategy: 'email_code'})` and `attemptVerification({code})`).
 * An added address waits in its own table until its code comes back: it is no identity, no one can
 * sign in with it or be invited through it, and it blocks no one (decision 019). Proving it moves it
 * into `email_addresses`, whose unique index then refuses it if another account proved it first.
 */

const MAX_CODE_ATTEMPTS = 5;
/** How many unproved addresses one account may hold at once. */
const MAX_PENDING = 10;

const codeHashOf = (pending: PendingEmailAddress, code: string) => sha256(`${pending.id}:${code.trim()}`);

function notFound(id: string): AppError {
  return new AppError('resource_not_found', { meta: { param_name: 'email_address_id', id: id.slice(0, 64) } });
}

async function pendingOf(deps: Deps, user: UserWithEmails, id: string): Promise<PendingEmailAddress> {
  const pending = id.length <= 64 ? await deps.store.findPendingEmailAddress(user.id, id) : null;
  if (!pending) throw notFound(id);
  return pending;
}

/** Adds an unproved address to the user. An address any account already proved is `form_identifier_exists`. */
export async function addEmailAddress(deps: Deps, user: UserWithEmails, email: string): Promise<PendingEmailAddress> {
  const emailNormalized = normalizeEmail(email);
  // An address held without proof (from a shown link, before decision 021) blocks no one: its owner,
  // or the account itself, may prove it.
  const holder = await deps.store.findUserByEmail(emailNormalized);
  if (holder && hasVerifiedEmail(holder, emailNormalized)) {
    throw new AppError('form_identifier_exists', { meta: { param_name: 'email_address' } });
  }
  const existing = await deps.store.listPendingEmailAddresses(user.id);
  const same = existing.find((p) => p.emailNormalized === emailNormalized);
  if (same) return same;
  if (existing.length >= MAX_PENDING) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'email_address', reason: `at most ${MAX_PENDING} unverified addresses` },
    });
  }
  const now = deps.now();
  const pending: PendingEmailAddress = {
    id: newId('idn'),
    userId: user.id,
    email: email.trim(),
    emailNormalized,
    codeHash: null,
    attempts: 0,
    expiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.createPendingEmailAddress(pending);
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    const raced = (await deps.store.listPendingEmailAddresses(user.id)).find(
      (p) => p.emailNormalized === emailNormalized,
    );
    if (!raced) throw error;
    return raced;
  }
  return pending;
}

/**
 * Mails a fresh six-digit code to an added address (10 minutes, five tries). `throttle` is called
 * with the address (normalized) before anything is written: the caller's per-address mail limit,
 * which throws to refuse.
 */
export async function prepareEmailAddressVerification(
  deps: Deps,
  user: UserWithEmails,
  id: string,
  options: { throttle?: (addressKey: string) => Promise<void> } = {},
): Promise<PendingEmailAddress> {
  const pending = await pendingOf(deps, user, id);
  await options.throttle?.(pending.emailNormalized);
  const now = deps.now();
  const code = newCode();
  const expiresAt = now + deps.settings.signUpCodeTtlMs;
  const codeHash = codeHashOf(pending, code);
  await deps.store.transaction(async (tx) => {
    await tx.updatePendingEmailAddressCode(pending.id, { codeHash, expiresAt, now });
    await tx.enqueueMail(
      queuedMail(
        {
          kind: 'verification_code',
          toAddress: pending.email,
          payload: {
            code: deps.secrets.seal(code),
            expiresAt,
            purpose: 'add_email_address',
            ...(user.locale && { locale: user.locale }),
          },
          invitationId: null,
        },
        now,
      ),
    );
  });
  deps.mailQueued();
  return { ...pending, codeHash, expiresAt, attempts: 0, updatedAt: now };
}

/**
 * Proves an added address with its code: it becomes a verified address of the user (and an
 * identity: sign-in, invitations). Refused with `form_identifier_exists` if another account
 * proved it meanwhile.
 */
export async function attemptEmailAddressVerification(
  deps: Deps,
  user: UserWithEmails,
  input: { id: string; code: string },
): Promise<EmailAddress> {
  const pending = await pendingOf(deps, user, input.id);
  if (!pending.codeHash) throw new AppError('verification_not_found', { meta: { param_name: 'code' } });
  const taken = await deps.store.takePendingEmailAddress(pending.id, {
    now: deps.now(),
    maxAttempts: MAX_CODE_ATTEMPTS,
  });
  if (!taken?.codeHash) throw new AppError('verification_expired', { meta: { param_name: 'code' } });
  if (!sameSecret(codeHashOf(taken, input.code), taken.codeHash)) {
    throw new AppError('form_code_incorrect', {
      meta: { param_name: 'code', attempts_remaining: MAX_CODE_ATTEMPTS - taken.attempts },
    });
  }
  return provePendingEmailAddress(deps, user.id, taken, 'email_code');
}

/**
 * Moves an added address into the user's verified ones (`strategy`: how it was proven). Anyone else
 * holding it without proof loses it (decision 021); one who proved it first: `form_identifier_exists`.
 */
export async function provePendingEmailAddress(
  deps: Deps,
  userId: string,
  pending: PendingEmailAddress,
  strategy: 'email_code' | 'admin',
): Promise<EmailAddress> {
  const now = deps.now();
  const verified: EmailAddress = {
    id: pending.id,
    userId,
    email: pending.email,
    verified: true,
    verificationStrategy: strategy,
    createdAt: now,
    updatedAt: now,
  };
  const proven = await deps.store.transaction(async (tx) => {
    if (!(await tx.deletePendingEmailAddress(userId, pending.id))) throw notFound(pending.id);
    // The account already held it without proof: now it is proven, with what it joined through it.
    const own = await tx.proveEmailAddress(userId, pending.emailNormalized, strategy);
    if (own) return own;
    // Anyone else who held it without proof loses it (decision 021).
    await releaseUnprovenEmails(deps, tx, [pending.emailNormalized]);
    try {
      await tx.createEmailAddress({ ...verified, emailNormalized: pending.emailNormalized });
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw new AppError('form_identifier_exists', { meta: { param_name: 'email_address' } });
      }
      throw error;
    }
    return verified;
  });
  // A verified address on a verified domain: its automatic invitation or suggestion (decision 047).
  await enrollVerifiedAddress(deps, { userId, email: proven.email });
  return proven;
}

/** Makes a verified address of the user the primary one. */
export async function setPrimaryEmailAddress(deps: Deps, user: UserWithEmails, id: string): Promise<void> {
  if (id.length > 64 || !(await deps.store.setPrimaryEmailAddress(user.id, id))) {
    throw await primaryEmailError(deps.store, user.id, id);
  }
}

/**
 * Why an address cannot be made the user's primary one: `email_address_not_verified` for one of
 * theirs not proven yet (added, or held unverified), else `resource_not_found`.
 */
export async function primaryEmailError(store: Store, userId: string, id: string): Promise<AppError> {
  const pending = await store.findPendingEmailAddress(userId, id.slice(0, 64));
  const unproven = (await store.findUser(userId))?.emailAddresses.some((e) => e.id === id && !e.verified);
  if (pending || unproven) {
    return new AppError('email_address_not_verified', { meta: { param_name: 'primary_email_address_id' } });
  }
  return new AppError('resource_not_found', { meta: { param_name: 'primary_email_address_id', id: id.slice(0, 64) } });
}

/**
 * Removes one of the user's addresses, added or verified. The last verified address stays (an
 * account always has one way to sign in and be reached): `identification_deletion_failed`.
 */
export async function removeEmailAddress(deps: Deps, user: UserWithEmails, id: string): Promise<{ id: string }> {
  if (id.length > 64) throw notFound(id);
  if (await deps.store.deletePendingEmailAddress(user.id, id)) return { id };
  const outcome = await deps.store.deleteEmailAddress(user.id, id);
  if (outcome === 'not_found') throw notFound(id);
  if (outcome === 'last') throw new AppError('identification_deletion_failed', { meta: { param_name: 'id' } });
  return { id };
}

/** The user's addresses as the account shows them: verified first (primary first), then the added ones. */
export async function listEmailAddresses(
  deps: Deps,
  user: UserWithEmails,
): Promise<{ verified: EmailAddress[]; pending: PendingEmailAddress[] }> {
  return { verified: user.emailAddresses, pending: await deps.store.listPendingEmailAddresses(user.id) };
}

/**
 * One of the user's addresses: verified (in `user`, read afresh) or added and waiting for its code
 * (`pending`); an id that is not theirs is `resource_not_found`.
 */
export async function getOwnEmailAddress(
  deps: Deps,
  user: UserWithEmails,
  id: string,
): Promise<{ user: UserWithEmails; pending: PendingEmailAddress | null }> {
  const fresh = (await deps.store.findUser(user.id)) ?? user;
  if (fresh.emailAddresses.some((e) => e.id === id)) return { user: fresh, pending: null };
  const pending = await deps.store.findPendingEmailAddress(user.id, id);
  if (!pending) throw new AppError('resource_not_found', { meta: { param_name: 'email_address_id' } });
  return { user: fresh, pending };
}
