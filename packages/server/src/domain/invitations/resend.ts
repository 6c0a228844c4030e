import { newToken, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { requireSeat } from '../memberships/memberships.js';
import type { Actor } from '../memberships/policy.js';
import type { Invitation, UserWithEmails } from '../records.js';
import { roleCatalog } from '../roles/catalog.js';
import { type Store, UniqueViolation } from '../store.js';
import { acceptUrl, authorizeInviting, effectiveStatus, type Inviting, invitationMail } from './invitations.js';

/**
 * Resend, renewal and copy-link (decision 029). Each keeps the invitation itself (its id, address,
 * role, metadata and inviter) and gives it new tickets in the sense of decision 021: a resend a new
 * mailed ticket (the old mailed link stops working) and, for a caller that may be shown one, a new
 * shown ticket; copy-link a new shown ticket only, which proves no address.
 */

const DAY_MS = 86_400_000;

/** The invitation of an organization an inviter `authorizeInviting` let through, or `invitation_not_found`. */
async function findInvitationOf(store: Store, inviting: Inviting, invitationId: string): Promise<Invitation> {
  const invitation = await store.findInvitation(inviting.org.id, invitationId);
  if (!invitation) throw new AppError('invitation_not_found', { meta: { invitation_id: invitationId.slice(0, 64) } });
  return invitation;
}

/** Accepted and revoked invitations are done: their stable codes, as an accept would answer. */
function requireOpen(invitation: Invitation): void {
  if (invitation.status === 'accepted') throw new AppError('invitation_already_accepted');
  if (invitation.status === 'revoked') throw new AppError('invitation_revoked');
}

/**
 * What would refuse a create for the address refuses a resend too: its holder is a member by now
 * (`already_a_member_in_organization`), or another invitation for it is pending (`duplicate_record`,
 * naming that one, as a create's hint does).
 */
async function requireNothingInTheWay(store: Store, invitation: Invitation): Promise<void> {
  const { member, pending } = await store.findInvitationBlockers(invitation.organizationId, invitation.emailNormalized);
  if (member) {
    throw new AppError('already_a_member_in_organization', { meta: { email_address: invitation.emailAddress } });
  }
  if (pending && pending.id !== invitation.id) {
    throw new AppError('duplicate_record', {
      meta: {
        param_name: 'email_address',
        email_addresses: [invitation.emailAddress],
        invitation_id: pending.id,
        resend_path: `/organizations/${invitation.organizationId}/invitations/${pending.id}/resend`,
      },
    });
  }
}

export interface ResendInput {
  /** Days from now until it expires; the configured default when not given. */
  expiresInDays?: number | null;
  /** The caller may be shown a link (the Backend API): it gets a new shown ticket. Otherwise none is left. */
  showLink?: boolean;
}

/** A resent invitation as it now stands, and the shown link (null unless the caller may see one). */
export interface ResentInvitation {
  invitation: Invitation;
  url: string | null;
  inviter: UserWithEmails | null;
  roleName: string;
}

/**
 * Mails a `pending` or `expired` invitation again with a new mailed ticket, and makes it pending
 * until `expiresInDays` (or the default) from now. The invitation's old links stop working, its
 * mail still queued is withdrawn and the new one queued in the same write. Renewing an expired
 * one takes a seat again, so it passes the seat check; while another invitation for the address
 * is pending it is `duplicate_record`. Spends one of the invitation's resends and one mail of the
 * address's budget.
 */
export async function resendInvitation(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  invitationId: string,
  input: ResendInput = {},
): Promise<ResentInvitation> {
  const inviting = await authorizeInviting(deps, actor, orgIdOrSlug);
  const found = await findInvitationOf(deps.store, inviting, invitationId);
  requireOpen(found);
  await requireNothingInTheWay(deps.store, found);
  await deps.limits.invitationResend(found.id);
  await deps.limits.invitationMail(found.emailNormalized);
  const inviter = found.inviterId ? await deps.store.findUser(found.inviterId) : null;
  const token = newToken();
  const shownToken = input.showLink ? newToken() : null;
  const now = deps.now();
  const invitation: Invitation = {
    ...found,
    status: 'pending',
    tokenHash: sha256(token),
    urlTokenHash: shownToken ? sha256(shownToken) : null,
    notify: true,
    expiresAt: now + (input.expiresInDays ?? deps.settings.invitationTtlDays) * DAY_MS,
    updatedAt: now,
  };
  const roleName = (await roleCatalog(deps.store)).nameOf(invitation.role);
  const mail = invitationMail(deps, { org: inviting.org, inviter, invitation, roleName, token, resend: true });
  const write = async (tx: Store) => {
    // A renewal takes a seat back; a pending invitation already holds one.
    if (effectiveStatus(found, now) === 'expired') await requireSeat(deps, tx, inviting.org, { seat: 'new' });
    try {
      return await tx.reissueInvitation({
        id: invitation.id,
        tokenHash: invitation.tokenHash,
        urlTokenHash: invitation.urlTokenHash,
        expiresAt: invitation.expiresAt,
        now,
        mail,
      });
    } catch (error) {
      if (!(error instanceof UniqueViolation)) throw error;
      throw new AppError('duplicate_record', {
        meta: { param_name: 'email_address', email_addresses: [invitation.emailAddress] },
      });
    }
  };
  const done = inviting.org.maxAllowedMemberships > 0 ? await deps.store.transaction(write) : await write(deps.store);
  if (!done) {
    // Accepted or revoked meanwhile (or gone with its organization).
    const current = await deps.store.findInvitationById(invitation.id);
    if (!current) throw new AppError('organization_not_found', { meta: { id_or_slug: invitation.organizationId } });
    requireOpen(current);
    throw new AppError('invitation_not_pending', { meta: { status: current.status } });
  }
  deps.mailQueued();
  return { invitation, url: shownToken ? acceptUrl(deps.settings.publicUrl, shownToken) : null, inviter, roleName };
}

/**
 * Copy-link: a new shown ticket for a pending invitation, replacing the previous one (whose link
 * stops working); the mailed ticket is untouched. The link proves no address (decision 021): a new
 * account made from it must confirm the address by emailed code, and an existing account must hold
 * the address verified. Spends one of the invitation's links.
 */
export async function createInvitationLink(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  invitationId: string,
): Promise<{ invitation: Invitation; url: string }> {
  const inviting = await authorizeInviting(deps, actor, orgIdOrSlug);
  const found = await findInvitationOf(deps.store, inviting, invitationId);
  requireOpen(found);
  const now = deps.now();
  if (effectiveStatus(found, now) === 'expired') {
    throw new AppError('invitation_expired', { meta: { expires_at: found.expiresAt } });
  }
  await deps.limits.invitationLink(found.id);
  const shownToken = newToken();
  const urlTokenHash = sha256(shownToken);
  if (!(await deps.store.replaceShownTicket({ id: found.id, urlTokenHash, now }))) {
    const current = await deps.store.findInvitationById(found.id);
    if (!current) throw new AppError('organization_not_found', { meta: { id_or_slug: found.organizationId } });
    requireOpen(current);
    throw new AppError('invitation_expired', { meta: { expires_at: current.expiresAt } });
  }
  return {
    invitation: { ...found, urlTokenHash, updatedAt: now },
    url: acceptUrl(deps.settings.publicUrl, shownToken),
  };
}
