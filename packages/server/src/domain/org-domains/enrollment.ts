import { newId, normalizeEmail } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type EventDraft, recordEvents } from '../events/events.js';
import { createOne, invitationEvent } from '../invitations/invitations.js';
import type { OrganizationSuggestion } from '../membership-requests/store.js';
import type { Invitation, Organization } from '../records.js';
import { organizationSettings, storedDomainsDefaultRole } from '../roles/instance-settings.js';
import { ForeignKeyViolation, type Store } from '../store.js';
import type { OrganizationDomain } from './store.js';

/**
 * Enrollment through verified domains (decision 047): what a verified address on an organization's
 * verified domain brings its holder, by the domain's `enrollment_mode`.
 *
 * - `automatic_invitation`: a pending invitation for that address with the enrollment role,
 *   mailed like any invitation, made by the domain (`organizationDomainId`), so it is counted in
 *   the domain's `total_pending_invitations` and `delete_pending` can revoke exactly those.
 * - `automatic_suggestion`: a pending suggestion for the user (decision 048), which they may turn
 *   into a membership request.
 * - `manual_invitation`: nothing.
 *
 * Nobody is enrolled twice: not a member of the organization, nor an address with a pending
 * invitation there already. Enrollment runs after the change that verified the address has
 * committed and never undoes it: a refusal (the organization full, the address's mail budget
 * spent, a concurrent invitation) only means no invitation is made.
 *
 * Call sites: every sign-up that creates a verified address (`verifySignUp`, ticket sign-ups, the
 * Backend API's user create), every address proven later (`provePendingEmailAddress`, a mailed
 * ticket, the secret key's word), and the domain itself becoming verified or switching mode
 * (`enrollDomain`, the back-fill).
 */

/** The domain part of an address, lowercase (`ada@Acme.com` → `acme.com`). */
export function domainOfEmail(email: string): string {
  const normalized = normalizeEmail(email);
  return normalized.slice(normalized.lastIndexOf('@') + 1);
}

/** A verified address of a user, to enroll. */
export interface VerifiedAddress {
  userId: string;
  email: string;
}

/**
 * The hook for a newly verified address: finds the instance's verified domain of the address's
 * domain (there is at most one) and enrolls the address by its mode.
 */
export async function enrollVerifiedAddress(deps: Deps, address: VerifiedAddress): Promise<void> {
  const domain = await deps.store.orgDomains().findVerifiedDomainByName(domainOfEmail(address.email));
  if (domain) await enrollAddress(deps, domain, address);
}

/** `enrollVerifiedAddress` for each address (a sign-up or create with several). */
export async function enrollVerifiedAddresses(deps: Deps, userId: string, emails: readonly string[]): Promise<void> {
  for (const email of emails) await enrollVerifiedAddress(deps, { userId, email });
}

/**
 * The back-fill: a domain just verified, or switched to an automatic mode, enrolls every user who
 * already holds a verified address on it. Returns how many invitations it made.
 */
export async function enrollDomain(deps: Deps, domain: OrganizationDomain): Promise<number> {
  if (!domain.verified || domain.enrollmentMode === 'manual_invitation') return 0;
  let made = 0;
  for (const address of await deps.store.orgDomains().listVerifiedAddressesOn(domain.name)) {
    if (await enrollAddress(deps, domain, address)) made += 1;
  }
  return made;
}

/** Enrolls one address through one verified domain, by its mode; true when something was made. */
async function enrollAddress(deps: Deps, domain: OrganizationDomain, address: VerifiedAddress): Promise<boolean> {
  if (!domain.verified || domainOfEmail(address.email) !== domain.name) return false;
  if (domain.enrollmentMode === 'automatic_invitation') return (await inviteAddress(deps, domain, address)) !== null;
  if (domain.enrollmentMode === 'automatic_suggestion') return suggestForAddress(deps, domain, address);
  return false;
}

/** A suggestion's event draft. */
export function suggestionEvent(
  type: 'organizationSuggestion.created' | 'organizationSuggestion.accepted',
  suggestion: OrganizationSuggestion,
): EventDraft {
  return { type, organizationId: suggestion.organizationId, subject: { kind: 'organization_suggestion', suggestion } };
}

/**
 * Automatic suggestions (decision 048): a pending suggestion of the domain's organization for the
 * address's user, with its event, in one transaction. None for a member, nor when the user has had
 * one for the organization (pending, or accepted: a rejected requester is not asked again), nor
 * when the instance's settings turned domains or this mode off. True when one was made.
 */
async function suggestForAddress(deps: Deps, domain: OrganizationDomain, address: VerifiedAddress): Promise<boolean> {
  const settings = await organizationSettings(deps);
  if (!settings.domainsEnabled || !settings.domainsEnrollmentModes.includes('automatic_suggestion')) return false;
  const now = deps.now();
  const suggestion: OrganizationSuggestion = {
    id: newId('orgsug'),
    organizationId: domain.organizationId,
    userId: address.userId,
    domainId: domain.id,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  };
  try {
    return await deps.store.transaction(async (tx) => {
      if (!(await tx.membershipRequests().createSuggestion(suggestion))) return false;
      await recordEvents(deps.events, tx, [suggestionEvent('organizationSuggestion.created', suggestion)]);
      return true;
    });
  } catch (error) {
    // The user or the organization deleted meanwhile: nothing to suggest.
    if (error instanceof ForeignKeyViolation) return false;
    throw error;
  }
}

/**
 * The role an enrollment gives: the instance settings' `domains_default_role_id` when one is
 * stored and the organization's role set has it, else the organization's role set's default role.
 */
export async function enrollmentRole(store: Store, org: Organization): Promise<string> {
  const setting = await storedDomainsDefaultRole(store.roles);
  if (setting && (await store.roleSets.organizationSetHasRole(org.id, setting))) return setting;
  const set = org.roleSetKey ? await store.roleSets.findRoleSet(org.roleSetKey) : null;
  return set?.roles.find((r) => r.id === set.defaultRoleId)?.key ?? 'org:member';
}

/** The automatic invitation for an address, or null when none is due or it was refused. */
async function inviteAddress(
  deps: Deps,
  domain: OrganizationDomain,
  address: VerifiedAddress,
): Promise<Invitation | null> {
  const org = await deps.store.findOrganization(domain.organizationId);
  if (!org) return null;
  if (await deps.store.findMembership(org.id, address.userId)) return null;
  const { member, pending } = await deps.store.findInvitationBlockers(org.id, normalizeEmail(address.email));
  if (member || (pending && pending.expiresAt > deps.now())) return null;
  try {
    const created = await createOne(
      deps,
      { org, inviter: null },
      {
        emailAddress: address.email,
        role: await enrollmentRole(deps.store, org),
        organizationDomainId: domain.id,
      },
    );
    deps.mailQueued();
    return created.invitation;
  } catch (error) {
    // Seats, the address's mail budget, a concurrent invitation or membership: no invitation.
    if (error instanceof AppError) return null;
    throw error;
  }
}

/**
 * Revokes the pending invitations the domain made (`delete_pending`, or the domain removed), on
 * `tx`: their links stop working, a mail still waiting in the outbox is withdrawn, and each gets
 * its `organizationInvitation.revoked` event. Returns how many were revoked.
 */
export async function revokePendingInvitationsMadeBy(deps: Deps, tx: Store, domain: OrganizationDomain) {
  const now = deps.now();
  let revoked = 0;
  for (const invitation of await tx.orgDomains().listPendingInvitationsMadeBy(domain.id)) {
    const ended: Invitation = { ...invitation, status: 'revoked', endedBy: 'organization', updatedAt: now };
    const events = await deps.events.build(tx, [invitationEvent('organizationInvitation.revoked', ended)]);
    if (await tx.transitionInvitation({ id: invitation.id, to: 'revoked', now, endedBy: 'organization', events })) {
      await tx.withdrawQueuedMail(invitation.id);
      revoked += 1;
    }
  }
  return revoked;
}

/**
 * Deletes the pending suggestions the domain made (`delete_pending`, or the domain removed), on
 * `tx`; accepted ones stay, as the history of the requests made. Returns how many went.
 */
export async function deletePendingSuggestionsMadeBy(_deps: Deps, tx: Store, domain: OrganizationDomain) {
  return tx.membershipRequests().deletePendingSuggestionsForDomain(domain.id);
}

/** What `delete_pending` removes: the domain's pending invitations (revoked) and suggestions (deleted). */
export async function removePendingMadeBy(deps: Deps, tx: Store, domain: OrganizationDomain) {
  return {
    invitations: await revokePendingInvitationsMadeBy(deps, tx, domain),
    suggestions: await deletePendingSuggestionsMadeBy(deps, tx, domain),
  };
}
