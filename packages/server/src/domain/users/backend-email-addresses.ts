import { normalizeEmail } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { EmailAddress, PendingEmailAddress, UserWithEmails } from '../records.js';
import { addEmailAddress, primaryEmailError, provePendingEmailAddress, removeEmailAddress } from './email-addresses.js';
import { getUser, recordUserUpdated } from './users.js';

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
