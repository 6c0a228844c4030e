import { normalizeEmail } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { queuedMail } from '../mail.js';
import { enrollVerifiedAddress } from '../org-domains/enrollment.js';
import type { EmailAddress, PendingEmailAddress, UserWithEmails } from '../records.js';
import { addEmailAddress, primaryEmailError, provePendingEmailAddress, removeEmailAddress } from './email-addresses.js';
import { getUser, hasVerifiedEmail, recordUserUpdated } from './users.js';

/**
 * Clerk's Backend API `/v1/email_addresses`: an address given to a user by the secret key.
 * A verified one is an identity at once; an unverified one waits with the user's added addresses
 * (no identity, blocks no one, decision 019) until PATCH `verified: true` or its code proves it.
 */

/** One of the user's addresses: verified/held (`EmailAddress`) or added (`PendingEmailAddress`). */
export type UserEmailAddress = { userId: string } & (
  | { kind: 'held'; address: EmailAddress; primary: boolean }
  | { kind: 'added'; address: PendingEmailAddress }
);

function notFound(id: string): AppError {
  return new AppError('resource_not_found', { meta: { param_name: 'email_address_id', id: id.slice(0, 64) } });
}

function addressOf(user: UserWithEmails, pending: PendingEmailAddress[], id: string): UserEmailAddress | null {
  const held = user.emailAddresses.find((e) => e.id === id);
  if (held) return { userId: user.id, kind: 'held', address: held, primary: user.emailAddresses[0]?.id === id };
  const added = pending.find((p) => p.id === id);
  return added ? { userId: user.id, kind: 'added', address: added } : null;
}

export async function getEmailAddress(deps: Deps, id: string): Promise<UserEmailAddress> {
  const owner = id.length <= 64 ? await deps.store.findEmailAddressOwner(id) : null;
  const user = owner ? await deps.store.findUser(owner) : null;
  const found = user && addressOf(user, await deps.store.listPendingEmailAddresses(user.id), id);
  if (!found) throw notFound(id);
  return found;
}

async function updated(deps: Deps, userId: string, id: string): Promise<UserEmailAddress> {
  await deps.store.transaction((tx) => recordUserUpdated(deps, tx, userId));
  return getEmailAddress(deps, id);
}

/**
 * Gives a user an address. Taken by anyone as a verified address, or by this user in any form:
 * `form_identifier_exists`. `primary` needs `verified` (`email_address_not_verified`).
 */
export async function createEmailAddressFor(
  deps: Deps,
  input: { userId: string; email: string; verified: boolean; primary: boolean },
): Promise<UserEmailAddress> {
  const user = await getUser(deps.store, input.userId);
  const emailNormalized = normalizeEmail(input.email);
  const taken = () => new AppError('form_identifier_exists', { meta: { param_name: 'email_address' } });
  if (user.emailAddresses.some((e) => normalizeEmail(e.email) === emailNormalized)) throw taken();
  const pending = await deps.store.listPendingEmailAddresses(user.id);
  if (pending.some((p) => p.emailNormalized === emailNormalized)) throw taken();
  if (input.primary && !input.verified) {
    throw new AppError('email_address_not_verified', { meta: { param_name: 'primary' } });
  }
  const added = await addEmailAddress(deps, user, input.email);
  let id = added.id;
  if (input.verified) id = (await provePendingEmailAddress(deps, user.id, added, 'admin')).id;
  if (input.primary && !(await deps.store.setPrimaryEmailAddress(user.id, id))) {
    throw await primaryEmailError(deps.store, user.id, id);
  }
  return updated(deps, user.id, id);
}

/**
 * `verified: true` proves an added address (as the secret key's word); `verified: false` of a
 * verified one is refused (Roster keeps no unproven identities, decision 021). `primary: true`
 * makes a verified address the primary one.
 */
export async function updateEmailAddress(
  deps: Deps,
  id: string,
  patch: { verified?: boolean; primary?: boolean },
): Promise<UserEmailAddress> {
  let found = await getEmailAddress(deps, id);
  if (patch.verified === false && found.kind === 'held' && found.address.verified) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'verified', reason: 'a verified address stays verified' },
    });
  }
  if (patch.verified === true && found.kind === 'added') {
    await provePendingEmailAddress(deps, found.userId, found.address, 'admin');
    found = await getEmailAddress(deps, id);
  }
  if (patch.primary === true && !(found.kind === 'held' && found.primary)) {
    if (!(await deps.store.setPrimaryEmailAddress(found.userId, id))) {
      throw new AppError('email_address_not_verified', { meta: { param_name: 'primary' } });
    }
  }
  return updated(deps, found.userId, id);
}

/**
 * Removes an address. The primary one is refused (`identification_deletion_failed`): make another
 * primary first, as Clerk's dashboard asks; so is the last verified one.
 */
export async function deleteEmailAddressOf(deps: Deps, id: string): Promise<{ id: string }> {
  const found = await getEmailAddress(deps, id);
  if (found.kind === 'held' && found.primary) {
    throw new AppError('identification_deletion_failed', { meta: { param_name: 'email_address_id' } });
  }
  const user = await getUser(deps.store, found.userId);
  await removeEmailAddress(deps, user, id);
  await deps.store.transaction((tx) => recordUserUpdated(deps, tx, user.id));
  return { id };
}

/** What `PUT /v1/users/{id}/email_address` asks the replacement to be (Clerk's `identification_status`). */
export type IdentificationStatus = 'verified' | 'reserved' | 'unverified';

/**
 * Replaces all of a user's addresses with one, verified by the secret key's word (strategy
 * `admin`) and primary (Clerk's ReplaceUserEmailAddress). The address may be one the user already
 * has (kept, proven if it was not); held verified by another account it is `form_identifier_exists`,
 * and anyone holding it unproven loses it (decision 021). Every other address of the user, held or
 * added, is removed in the same transaction as the `user.updated` event and, with
 * `notifyPrimaryChanged`, the notice mailed to the previous primary address (when it was another).
 *
 * `reserved` (an unproven address that still signs in and locks out everyone else) is refused:
 * Roster keeps no unproven identities (decision 021). `unverified` is refused as removing the
 * user's last verified address would be (`identification_deletion_failed`): an added address is no
 * way to sign in, and Roster keeps every account reachable.
 */
export async function replaceEmailAddressOf(
  deps: Deps,
  input: { userId: string; email: string; status: IdentificationStatus; notifyPrimaryChanged: boolean },
): Promise<UserEmailAddress> {
  const user = await getUser(deps.store, input.userId);
  if (input.status === 'reserved') {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'identification_status', reason: 'Roster keeps no unverified identity: use verified' },
    });
  }
  if (input.status === 'unverified') {
    throw new AppError('identification_deletion_failed', { meta: { param_name: 'identification_status' } });
  }
  const emailNormalized = normalizeEmail(input.email);
  const holder = await deps.store.findUserByEmail(emailNormalized);
  if (holder && holder.id !== user.id && hasVerifiedEmail(holder, emailNormalized)) {
    throw new AppError('form_identifier_exists', { meta: { param_name: 'email_address' } });
  }
  const previous = user.emailAddresses[0] ?? null;
  const kept = await provenAddressOf(deps, user, input.email);
  await deps.store.transaction(async (tx) => {
    if (!(await tx.keepOnlyEmailAddress(user.id, kept))) throw await primaryEmailError(tx, user.id, kept);
    await recordUserUpdated(deps, tx, user.id);
    if (input.notifyPrimaryChanged && previous && previous.id !== kept) {
      await tx.enqueueMail(
        queuedMail(
          {
            kind: 'primary_email_address_changed',
            toAddress: previous.email,
            payload: {
              siteName: new URL(deps.settings.publicUrl).host,
              changedAt: deps.now(),
              // In the account's language (decision 039).
              ...(user.locale && { locale: user.locale }),
            },
            invitationId: null,
          },
          deps.now(),
        ),
      );
    }
  });
  if (input.notifyPrimaryChanged) deps.mailQueued();
  return getEmailAddress(deps, kept);
}

/** The id of `email` as a verified address of the user: theirs already (proven now if it was not), or added and proven as the secret key's word. */
async function provenAddressOf(deps: Deps, user: UserWithEmails, email: string): Promise<string> {
  const emailNormalized = normalizeEmail(email);
  const held = user.emailAddresses.find((e) => normalizeEmail(e.email) === emailNormalized);
  if (held?.verified) return held.id;
  if (held) {
    const proven = await deps.store.proveEmailAddress(user.id, emailNormalized, 'admin');
    if (proven) await enrollVerifiedAddress(deps, { userId: user.id, email: proven.email });
    return proven?.id ?? held.id;
  }
  const pending = await deps.store.listPendingEmailAddresses(user.id);
  const added =
    pending.find((p) => p.emailNormalized === emailNormalized) ?? (await addEmailAddress(deps, user, email));
  return (await provePendingEmailAddress(deps, user.id, added, 'admin')).id;
}
