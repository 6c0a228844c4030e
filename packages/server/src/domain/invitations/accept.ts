import type { InvitationStatus } from '@roster/protocol';
import { acceptAfterCodeSignUp, isAppInvitationId } from '../app-invitations/accept.js';
import { newId, normalizeEmail, sameSecret, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { insertMembership, requireSeat } from '../memberships/memberships.js';
import { enrollVerifiedAddress } from '../org-domains/enrollment.js';
import { requireAcceptablePassword } from '../passwords/policy.js';
import type { Invitation, Membership, Organization, Page, UserWithEmails } from '../records.js';
import { startSession } from '../sessions/sessions.js';
import type { Store } from '../store.js';
import { getUser, hasVerifiedEmail, insertUser, startSignUp, verifySignUp } from '../users/users.js';
import { effectiveStatus, invitationEvent, notPendingError } from './invitations.js';

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

/**
 * True when `ticket` is the invitation's mailed ticket, which only the invited mailbox ever saw,
 * so holding it proves the address. The ticket shown to the Backend API (`url`) proves nothing.
 */
export function ticketProvesAddress(invitation: Invitation, ticket: string): boolean {
  return sameSecret(sha256(ticket), invitation.tokenHash);
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
export async function acceptInTransaction(
  deps: Deps,
  tx: Store,
  invitation: Invitation,
  user: UserWithEmails,
  /** The invitation's organization, when the caller read it with its lock already (`holdAcceptingUser`). */
  locked?: Organization,
) {
  const now = deps.now();
  requirePending(invitation, now);
  if (!hasVerifiedEmail(user, invitation.emailNormalized)) {
    throw new AppError('invitation_email_mismatch', { meta: { invited_email_address: invitation.emailAddress } });
  }
  // The organization's lock, taken before anything is written: a concurrent delete of the
  // organization waits for this accept, or ran before it (null here); it never finds the
  // invitation row updated by an accept that is still waiting on the organization (decision 020).
  const org = locked ?? (await lockedOrganization(tx, invitation.organizationId));
  if (await tx.findMembership(invitation.organizationId, user.id)) {
    throw new AppError('already_a_member_in_organization');
  }
  // The seat check serves the quota alone: the conditional update below lets one accept win, and
  // the unique (organization, user) index refuses a second membership.
  await requireSeat(deps, tx, org, { seat: 'invited', locked: true });
  const accepted: Invitation = { ...invitation, status: 'accepted', acceptedUserId: user.id, updatedAt: now };
  const events = await deps.events.build(tx, [invitationEvent('organizationInvitation.accepted', accepted)]);
  if (!(await tx.transitionInvitation({ id: invitation.id, to: 'accepted', now, acceptedUserId: user.id, events }))) {
    const current = await tx.findInvitationById(invitation.id);
    if (!current) throw new AppError('organization_not_found', { meta: { id_or_slug: invitation.organizationId } });
    throw notPendingError(current, now);
  }
  const membership = await insertMembership(deps.events, tx, {
    id: newId('orgmem'),
    organizationId: invitation.organizationId,
    userId: user.id,
    role: invitation.role,
    publicMetadata: invitation.publicMetadata,
    privateMetadata: invitation.privateMetadata,
    createdAt: now,
    updatedAt: now,
  });
  return { membership, organization: org };
}

/** Reads the organization and takes its lock in one statement, or throws `organization_not_found`. */
async function lockedOrganization(tx: Store, orgId: string): Promise<Organization> {
  const org = await tx.findOrganizationForUpdate(orgId);
  if (!org) throw new AppError('organization_not_found', { meta: { id_or_slug: orgId } });
  return org;
}

/**
 * The signed-in user an accept acts for, read inside its transaction and held (not deleted until
 * it ends, and read whole: never the user's row without the addresses a delete took). The
 * invitation's organization is read and locked first, in one statement (the accept needs no other
 * lock on it), the order a user's deletion takes its locks in, so the two never deadlock. A user
 * deleted since their session was read is `user_not_found`.
 */
async function holdAcceptingUser(
  tx: Store,
  orgId: string,
  userId: string,
): Promise<{ org: Organization; user: UserWithEmails }> {
  const org = await lockedOrganization(tx, orgId);
  await tx.lockUser(userId, { shared: true });
  return { org, user: await getUser(tx, userId) };
}

/** Accepts the invitation behind a link for a signed-in user. */
export async function acceptTicket(deps: Deps, ticket: string, userId: string) {
  const invitation = await findByTicket(deps.store, ticket);
  let proved = false;
  const accepted = await deps.store.transaction(async (tx) => {
    let { org, user } = await holdAcceptingUser(tx, invitation.organizationId, userId);
    // The mailed link proves the address: an account that held it without proof (from a shown link,
    // before decision 021) now holds it proven. After the locks, in deleteUser's order.
    if (ticketProvesAddress(invitation, ticket) && effectiveStatus(invitation, deps.now()) === 'pending') {
      if (await tx.proveEmailAddress(userId, invitation.emailNormalized, 'ticket')) {
        user = await getUser(tx, userId);
        proved = true;
      }
    }
    return { invitation, ...(await acceptInTransaction(deps, tx, invitation, user, org)) };
  });
  if (proved) await enrollVerifiedAddress(deps, { userId, email: invitation.emailAddress });
  return accepted;
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
    const invitation = await tx.findInvitationById(invitationId);
    if (!invitation) throw new AppError('invitation_not_found');
    const { org, user } = await holdAcceptingUser(tx, invitation.organizationId, userId);
    if (!hasVerifiedEmail(user, invitation.emailNormalized)) {
      throw new AppError('invitation_not_found');
    }
    return { invitation, ...(await acceptInTransaction(deps, tx, invitation, user, org)) };
  });
}

/** The invitee declines an invitation; it is revoked, its link stops working and unsent mail is withdrawn. */
export async function declineUserInvitation(
  deps: Deps,
  user: UserWithEmails,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await deps.store.findInvitationById(invitationId);
  if (!invitation || !hasVerifiedEmail(user, invitation.emailNormalized)) {
    throw new AppError('invitation_not_found');
  }
  const now = deps.now();
  requirePending(invitation, now);
  const ended: Invitation = { ...invitation, status: 'revoked', endedBy: 'invitee', updatedAt: now };
  const events = await deps.events.build(deps.store, [invitationEvent('organizationInvitation.declined', ended)]);
  if (!(await deps.store.transitionInvitation({ id: invitation.id, to: 'revoked', now, endedBy: 'invitee', events }))) {
    const current = await deps.store.findInvitationById(invitation.id);
    if (!current) throw new AppError('organization_not_found', { meta: { id_or_slug: invitation.organizationId } });
    throw notPendingError(current, now);
  }
  await deps.store.withdrawQueuedMail(invitation.id);
  const declined = await deps.store.findInvitationById(invitation.id);
  // Gone with its organization, deleted meanwhile.
  if (!declined) throw new AppError('organization_not_found', { meta: { id_or_slug: invitation.organizationId } });
  return declined;
}

/** A sign-up from a shown link, waiting for the code mailed to the invited address. */
export interface TicketSignUpStarted {
  status: 'needs_email_verification';
  invitation: Invitation;
  emailAddress: string;
  expiresAt: number;
  signUpId: string;
}

/**
 * A new user signs up from a link. The mailed link proves they own the invited address, so the
 * user, the verified email, the membership and the session are created in one transaction. A link
 * someone else was shown (the Backend API's `url`) proves nothing: the sign-up then waits for the
 * code mailed to the invited address, exactly as a plain sign-up, and joins when the code comes
 * back (`completeTicketSignUp`). If an account already holds the address verified, the answer is
 * `form_identifier_exists` (sign in instead).
 */
export async function signUpWithTicket(
  deps: Deps,
  input: { ticket: string; password: string; firstName?: string | null; lastName?: string | null },
) {
  const invitation = await findByTicket(deps.store, input.ticket);
  requirePending(invitation, deps.now());
  if (!ticketProvesAddress(invitation, input.ticket)) {
    const started = await startSignUp(deps, {
      emailAddress: invitation.emailAddress,
      password: input.password,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      invitationId: invitation.id,
    });
    return { status: 'needs_email_verification', invitation, ...started } satisfies TicketSignUpStarted;
  }
  await requireAcceptablePassword(deps, input.password);
  const passwordHash = await deps.passwords.hash(input.password);
  const done = await deps.store.transaction(async (tx) => {
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
  // The mailed link proved the address: another organization's verified domain may enroll it (decision 047).
  await enrollVerifiedAddress(deps, { userId: done.user.id, email: invitation.emailAddress });
  return { status: 'complete' as const, ...done };
}

/**
 * Finishes a sign-up started from a shown link with the emailed code: the account is created with
 * the address proven by the code, then joins the invitation's organization if it is still
 * pending. The account stands either way (the code proved the address); `joined` is null and
 * `joinError` says why when the invitation was revoked, used or expired meanwhile.
 */
export async function completeTicketSignUp(deps: Deps, input: { signUpId: string; code: string }) {
  const { user, invitationId } = await verifySignUp(deps, input);
  let joined: { invitation: Invitation; membership: Membership; organization: Organization } | null = null;
  let joinError: AppError | null = null;
  if (invitationId && isAppInvitationId(invitationId)) {
    // An application invitation: the new account accepts it (no organization to join).
    try {
      await acceptAfterCodeSignUp(deps, invitationId, user.id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      joinError = error;
    }
  }
  const invitation =
    invitationId && !isAppInvitationId(invitationId) ? await deps.store.findInvitationById(invitationId) : null;
  if (invitation) {
    try {
      joined = await deps.store.transaction(async (tx) => ({
        invitation,
        ...(await acceptInTransaction(deps, tx, invitation, (await tx.findUser(user.id))!)),
      }));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      joinError = error;
    }
  }
  const issued = await startSession(deps, deps.store, user, joined?.organization.id ?? null);
  return { user, joined, joinError, ...issued };
}

/** What a link shows before anyone acts on it. Reading it changes nothing. */
export interface TicketPreview {
  invitation: Invitation;
  status: InvitationStatus;
  /** True when some account holds the invited address verified (the page offers sign-in instead of sign-up). */
  accountExists: boolean;
  /** True for the mailed link: a sign-up from it needs no emailed code. */
  provesAddress: boolean;
}

/** Looks up a link for the accept page: the invitation, its status, and whether its address has an account. */
export async function previewTicket(deps: Deps, ticket: string): Promise<TicketPreview> {
  const invitation = await findByTicket(deps.store, ticket);
  const holder = await deps.store.findUserByEmail(invitation.emailNormalized);
  return {
    invitation,
    status: effectiveStatus(invitation, deps.now()),
    // An account that holds the address unverified does not count: its owner may still sign up.
    accountExists: holder !== null && hasVerifiedEmail(holder, invitation.emailNormalized),
    provesAddress: ticketProvesAddress(invitation, ticket),
  };
}
