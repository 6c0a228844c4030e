import type { InvitationStatus } from '@roster/protocol';
import { newId, normalizeEmail, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { Invitation, Page, UserWithEmails } from '../records.js';
import { startSession } from '../sessions/sessions.js';
import { type Store, UniqueViolation } from '../store.js';
import { insertUser } from '../users/users.js';
import { effectiveStatus, notPendingError } from './invitations.js';

/**
 * Accepting invitations: by link (signed in, or signing up from the link) and from inside the app.
 * Opening a link never changes anything; every change here is an explicit POST.
 */

/** Finds the invitation behind a link token, or throws `invitation_not_found`. */
export async function findByTicket(store: Store, ticket: string): Promise<Invitation> {
  const invitation = ticket.length <= 512 ? await store.findInvitationByTokenHash(sha256(ticket)) : null;
  if (!invitation) throw new AppError('invitation_not_found');
  return invitation;
}

/** Throws the status-specific error unless the invitation can still be accepted. */
export function requirePending(invitation: Invitation, now: number): void {
  if (effectiveStatus(invitation, now) !== 'pending') throw notPendingError(invitation, now);
}

/**
 * Accepts an invitation for `user` inside `tx`: the user must hold the invited address as a
 * verified email; the status flips with one conditional update (so of any number of concurrent
 * accepts, or an accept racing a revoke, exactly one wins), then the membership is created with
 * the invitation's role and metadata.
 */
export async function acceptInTransaction(deps: Deps, tx: Store, invitation: Invitation, user: UserWithEmails) {
  const now = deps.now();
  requirePending(invitation, now);
  if (!user.emailAddresses.some((e) => e.verified && normalizeEmail(e.email) === invitation.emailNormalized)) {
    throw new AppError('invitation_email_mismatch', { meta: { invited_email_address: invitation.emailAddress } });
  }
  const org = (await tx.findOrganization(invitation.organizationId))!;
  // The lock and the count serve the quota alone: the conditional update below lets one accept win,
  // and the unique (organization, user) index refuses a second membership.
  const limited = org.maxAllowedMemberships > 0;
  if (limited) await tx.lockOrganization(org.id);
  if (await tx.findMembership(invitation.organizationId, user.id)) {
    throw new AppError('already_a_member_in_organization');
  }
  const counts = limited ? (await tx.countsOf([org.id], now)).get(org.id)! : null;
  if (counts && counts.membersCount >= org.maxAllowedMemberships) {
    throw new AppError('organization_membership_quota_exceeded', {
      meta: { max_allowed_memberships: org.maxAllowedMemberships },
    });
  }
  if (!(await tx.transitionInvitation({ id: invitation.id, to: 'accepted', now, acceptedUserId: user.id }))) {
    throw notPendingError((await tx.findInvitationById(invitation.id)) ?? invitation, now);
  }
  const membership = {
    id: newId('orgmem'),
    organizationId: invitation.organizationId,
    userId: user.id,
    role: invitation.role,
    publicMetadata: invitation.publicMetadata,
    privateMetadata: invitation.privateMetadata,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await tx.createMembership(membership);
  } catch (error) {
    if (error instanceof UniqueViolation) throw new AppError('already_a_member_in_organization');
    throw error;
  }
  return { membership, organization: org };
}

/** Accepts the invitation behind a link for a signed-in user. */
export async function acceptTicket(deps: Deps, ticket: string, userId: string) {
  const invitation = await findByTicket(deps.store, ticket);
  return deps.store.transaction(async (tx) => {
    const user = (await tx.findUser(userId))!;
    return { invitation, ...(await acceptInTransaction(deps, tx, invitation, user)) };
  });
}

/** Lists the invitations sent to a user's verified addresses (the invitee's view). */
export async function listUserInvitations(
  deps: Deps,
  user: UserWithEmails,
  options: { statuses?: InvitationStatus[]; limit: number; offset: number },
): Promise<Page<Invitation>> {
  const emails = user.emailAddresses.filter((e) => e.verified).map((e) => normalizeEmail(e.email));
  return deps.store.listInvitations({
    emails,
    statuses: options.statuses?.length ? options.statuses : ['pending'],
    limit: options.limit,
    offset: options.offset,
    now: deps.now(),
  });
}

/** The invitee accepts an invitation from inside the app, without the email link. */
export async function acceptUserInvitation(deps: Deps, userId: string, invitationId: string) {
  return deps.store.transaction(async (tx) => {
    const user = (await tx.findUser(userId))!;
    const invitation = await tx.findInvitationById(invitationId);
    if (
      !invitation ||
      !user.emailAddresses.some((e) => e.verified && normalizeEmail(e.email) === invitation.emailNormalized)
    ) {
      throw new AppError('invitation_not_found');
    }
    return { invitation, ...(await acceptInTransaction(deps, tx, invitation, user)) };
  });
}

/** The invitee declines an invitation; it is revoked, its link stops working and unsent mail is withdrawn. */
export async function declineUserInvitation(
  deps: Deps,
  user: UserWithEmails,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await deps.store.findInvitationById(invitationId);
  if (
    !invitation ||
    !user.emailAddresses.some((e) => e.verified && normalizeEmail(e.email) === invitation.emailNormalized)
  ) {
    throw new AppError('invitation_not_found');
  }
  const now = deps.now();
  requirePending(invitation, now);
  if (!(await deps.store.transitionInvitation({ id: invitation.id, to: 'revoked', now, endedBy: 'invitee' }))) {
    throw notPendingError((await deps.store.findInvitationById(invitation.id)) ?? invitation, now);
  }
  await deps.store.withdrawQueuedMail(invitation.id);
  return (await deps.store.findInvitationById(invitation.id))!;
}

/**
 * A new user signs up from the link: the link proves they own the invited address, so the user,
 * the verified email, the membership and the session are created in one transaction. If an
 * account already holds the address the answer is `form_identifier_exists` (sign in instead).
 */
export async function signUpWithTicket(
  deps: Deps,
  input: { ticket: string; password: string; firstName?: string | null; lastName?: string | null },
) {
  const invitation = await findByTicket(deps.store, input.ticket);
  requirePending(invitation, deps.now());
  const passwordHash = await deps.passwords.hash(input.password);
  return deps.store.transaction(async (tx) => {
    const user = await insertUser(deps, tx, {
      emailAddresses: [invitation.emailAddress],
      passwordHash,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      verification: 'ticket',
    });
    const accepted = await acceptInTransaction(deps, tx, invitation, user);
    const issued = await startSession(deps, tx, user, invitation.organizationId);
    return { invitation, user, ...accepted, ...issued };
  });
}

/** What a link shows before anyone acts on it. Reading it changes nothing. */
export interface TicketPreview {
  invitation: Invitation;
  status: InvitationStatus;
  /** True when some account holds the invited address (the page offers sign-in instead of sign-up). */
  accountExists: boolean;
}

/** Looks up a link for the accept page: the invitation, its status, and whether its address has an account. */
export async function previewTicket(deps: Deps, ticket: string): Promise<TicketPreview> {
  const invitation = await findByTicket(deps.store, ticket);
  const accountExists = (await deps.store.findUserByEmail(invitation.emailNormalized)) !== null;
  return { invitation, status: effectiveStatus(invitation, deps.now()), accountExists };
}
