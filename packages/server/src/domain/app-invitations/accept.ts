import { sameSecret, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordEvents } from '../events/events.js';
import { enrollVerifiedAddress } from '../org-domains/enrollment.js';
import { requireAcceptablePassword } from '../passwords/policy.js';
import type { UserWithEmails } from '../records.js';
import { startSession } from '../sessions/sessions.js';
import type { Store } from '../store.js';
import { hasVerifiedEmail, insertUser, startSignUp } from '../users/users.js';
import { appInvitationEvent, appInvitationStatus } from './app-invitations.js';
import type { AppInvitation } from './store.js';

/**
 * Accepting an application invitation signs its invitee up, under the organization invitations'
 * link rules (decision 021): the mailed ticket proves the address, so the account is created with
 * it verified at once; a shown ticket (the Backend API's `url`) starts a code sign-up first.
 */

/** True when `id` names an application invitation (`inv_…`), not an organization's (`orginv_…`). */
export const isAppInvitationId = (id: string) => id.startsWith('inv_');

/** The application invitation behind a link token, or null (it may be an organization's). */
export function findAppInvitationByTicket(store: Store, ticket: string): Promise<AppInvitation | null> {
  return ticket.length <= 512 ? store.findAppInvitationByTokenHash(sha256(ticket)) : Promise.resolve(null);
}

/** The status-specific error unless the invitation can still be accepted. */
function requirePending(invitation: AppInvitation, now: number): void {
  const status = appInvitationStatus(invitation, now);
  if (status === 'accepted') throw new AppError('invitation_already_accepted');
  if (status === 'revoked') throw new AppError('invitation_revoked');
  if (status === 'expired') throw new AppError('invitation_expired', { meta: { expires_at: invitation.expiresAt } });
}

/**
 * Marks the invitation accepted by `user` (who must hold its address verified) in `tx`, with one
 * conditional update: of racing accepts and revokes one wins. Its public metadata becomes the
 * user's, as in Clerk.
 */
async function acceptFor(deps: Deps, tx: Store, invitation: AppInvitation, user: UserWithEmails): Promise<void> {
  const now = deps.now();
  requirePending(invitation, now);
  if (!hasVerifiedEmail(user, invitation.emailNormalized)) {
    throw new AppError('invitation_email_mismatch', { meta: { invited_email_address: invitation.emailAddress } });
  }
  if (!(await tx.transitionAppInvitation({ id: invitation.id, to: 'accepted', now, acceptedUserId: user.id }))) {
    requirePending((await tx.findAppInvitation(invitation.id)) ?? { ...invitation, status: 'revoked' }, now);
    throw new AppError('invitation_not_pending');
  }
  if (Object.keys(invitation.publicMetadata).length > 0) {
    await tx.updateUser(user.id, { publicMetadata: { ...user.publicMetadata, ...invitation.publicMetadata } });
  }
  const accepted: AppInvitation = { ...invitation, status: 'accepted', acceptedUserId: user.id, updatedAt: now };
  await recordEvents(deps.events, tx, [appInvitationEvent('invitation.accepted', accepted)]);
}

/**
 * A sign-up from an application invitation's link. From the mailed link: the account (address
 * verified), the accept and a session in one transaction. From a shown link: a code sign-up that
 * accepts when the code comes back (`acceptAfterCodeSignUp`). An account already holding the
 * address is `form_identifier_exists`.
 */
export async function signUpWithAppTicket(
  deps: Deps,
  invitation: AppInvitation,
  input: { ticket: string; password: string; firstName?: string | null; lastName?: string | null },
) {
  requirePending(invitation, deps.now());
  const names = { firstName: input.firstName ?? null, lastName: input.lastName ?? null };
  if (!sameSecret(sha256(input.ticket), invitation.tokenHash)) {
    const started = await startSignUp(deps, {
      emailAddress: invitation.emailAddress,
      password: input.password,
      ...names,
      invitationId: invitation.id,
    });
    return { status: 'needs_email_verification' as const, invitation, ...started };
  }
  await requireAcceptablePassword(deps, input.password);
  const passwordHash = await deps.passwords.hash(input.password);
  const done = await deps.store.transaction(async (tx) => {
    const user = await insertUser(deps, tx, {
      emailAddresses: [invitation.emailAddress],
      passwordHash,
      ...names,
      verification: 'ticket',
    });
    await acceptFor(deps, tx, invitation, user);
    return { user, ...(await startSession(deps, tx, user, null)) };
  });
  // The mailed link proved the address: verified domains may enroll it (decision 047).
  await enrollVerifiedAddress(deps, { userId: done.user.id, email: invitation.emailAddress });
  return { status: 'complete' as const, invitation, ...done };
}

/** After a code sign-up started from a shown link: accepts the invitation for the new account. */
export async function acceptAfterCodeSignUp(deps: Deps, invitationId: string, userId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const invitation = await tx.findAppInvitation(invitationId);
    const user = await tx.findUser(userId);
    if (!invitation || !user) throw new AppError('invitation_not_found');
    await acceptFor(deps, tx, invitation, user);
  });
}
