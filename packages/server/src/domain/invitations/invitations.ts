import type { InvitationStatus, Metadata, RoleKey } from '@roster/protocol';
import { emailAddress } from '@roster/protocol';
import { newId, newToken, normalizeEmail, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { EventDraft, EventType } from '../events/events.js';
import { queuedMail } from '../mail.js';
import { goneError, requireSeat } from '../memberships/memberships.js';
import { type Actor, requireGranted, requirePermission } from '../memberships/policy.js';
import { getOrganization } from '../organizations/organizations.js';
import type { DeliveryState, Invitation, Organization, Page, UserWithEmails } from '../records.js';
import { requireRole, roleCatalog } from '../roles/catalog.js';
import { requireRoleInOrganization } from '../roles/role-sets.js';
import { ForeignKeyViolation, type Store, UniqueViolation } from '../store.js';
import { displayName } from '../users/users.js';

/**
 * Organization invitations: created by members who may manage memberships (or the secret key),
 * stored with only a hash of their link token, mailed through the outbox in the same transaction,
 * and accepted exactly once by an account that holds the invited address as a verified email.
 */

const DAY_MS = 86_400_000;

/** An invitation's event draft (the invitation as the change leaves it). */
export function invitationEvent(
  type: Extract<EventType, `organizationInvitation.${string}`>,
  invitation: Invitation,
  inviter?: UserWithEmails | null,
): EventDraft {
  return { type, organizationId: invitation.organizationId, subject: { kind: 'invitation', invitation, inviter } };
}

/** The `organizationInvitation.expired` events for invitations a sweep or a new invitation expired. */
export function expiredEvents(deps: Deps, tx: Store) {
  return (expired: Invitation[]) =>
    deps.events.build(
      tx,
      expired.map((i) => invitationEvent('organizationInvitation.expired', i)),
    );
}

/** The status a reader sees: a pending row past its expiry is `expired`. */
export function effectiveStatus(invitation: Invitation, now: number): InvitationStatus {
  return invitation.status === 'pending' && invitation.expiresAt <= now ? 'expired' : invitation.status;
}

/** The accept link for a raw token. Built from the configured public URL, never from request headers. */
export function acceptUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/accept-invitation?ticket=${encodeURIComponent(token)}`;
}

/** Accepts `redirect_url` only on the public URL's origin or a configured origin (no open redirects). */
export function requireAllowedRedirect(deps: Deps, redirectUrl: string | null | undefined): string | null {
  if (!redirectUrl) return null;
  let origin: string;
  try {
    origin = new URL(redirectUrl).origin;
  } catch {
    throw new AppError('form_param_format_invalid', { meta: { param_name: 'redirect_url' } });
  }
  const allowed = [new URL(deps.settings.publicUrl).origin, ...deps.settings.allowedOrigins];
  if (!allowed.includes(origin)) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'redirect_url', reason: 'origin is not in ROSTER_ALLOWED_ORIGINS' },
    });
  }
  return redirectUrl;
}

export interface CreateInvitationInput {
  emailAddress: string;
  role: RoleKey;
  inviterUserId?: string | null;
  publicMetadata?: Metadata | null;
  privateMetadata?: Metadata | null;
  redirectUrl?: string | null;
  expiresInDays?: number | null;
  notify?: boolean | null;
  /**
   * The caller is shown a link (the Backend API's `url`, for the app's trusted server). It gets a
   * ticket of its own, which proves no address: a new account made from it must confirm the
   * address by emailed code. Without it, the only ticket is the mailed one, and the invitation
   * must be mailed (decision 021).
   */
  showLink?: boolean;
  /** The verified domain making it (automatic invitations, decision 047). */
  organizationDomainId?: string | null;
}

/** A created invitation, the link shown to the caller (once, in the create response; null if none may see one) and who invited. */
export interface CreatedInvitation {
  invitation: Invitation;
  url: string | null;
  inviter: UserWithEmails | null;
  /** The role's display name, as the role was when the invitation was made. */
  roleName: string;
}

/** What a create needs before its transaction: the organization, and who invites (null for the secret key). */
export interface Inviting {
  org: Organization;
  inviter: UserWithEmails | null;
}

/** Who acts: the request's actor, narrowed to the user named by `inviter_user_id` when the secret key names one. */
async function effectiveActor(store: Store, actor: Actor, onBehalfOf: string | null | undefined): Promise<Actor> {
  if (actor.kind !== 'secret_key' || !onBehalfOf) return actor;
  const user = await store.findUser(onBehalfOf);
  if (!user) throw new AppError('user_not_found', { meta: { user_id: onBehalfOf } });
  return { kind: 'user', userId: user.id, user };
}

/**
 * Checks that the actor (or the user the secret key acts for) may invite to the organization,
 * and loads what the create needs. Routes call it before spending the organization's rate budget,
 * so outsiders cannot exhaust it.
 */
export async function authorizeInviting(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  onBehalfOf?: string | null,
): Promise<Inviting> {
  if (actor.kind === 'user') {
    // The hot path (a signed-in admin): organization and membership in one read.
    const [found, catalog] = await Promise.all([
      deps.store.findOrganizationWithMembership(orgIdOrSlug, actor.userId),
      roleCatalog(deps.store),
    ]);
    if (!found) throw new AppError('organization_not_found', { meta: { id_or_slug: orgIdOrSlug.slice(0, 128) } });
    requireGranted(found.membership, found.organization.id, 'org:sys_memberships:manage', catalog);
    return { org: found.organization, inviter: actor.user ?? (await deps.store.findUser(actor.userId)) };
  }
  const org = await getOrganization(deps.store, orgIdOrSlug);
  const acting = await effectiveActor(deps.store, actor, onBehalfOf);
  await requirePermission(deps.store, acting, org.id, 'org:sys_memberships:manage');
  const inviter = acting.kind === 'user' ? (acting.user ?? (await deps.store.findUser(acting.userId))) : null;
  return { org, inviter };
}

/**
 * Only a caller that is shown the link may take over its delivery (`notify: false`): a link nobody
 * is shown must reach the mailbox, or no one could ever use it (decision 021).
 */
export function requireMailed(input: CreateInvitationInput): void {
  if (!input.showLink && input.notify === false) throw new AppError('invitation_notify_required');
}

/**
 * The outbox message that mails an invitation's mailed ticket (`token`, sealed). The first mail's
 * Message-ID is `<invitation id@roster>`, stable across retries; a resend's names the invitation
 * and its own message.
 */
export function invitationMail(
  deps: Deps,
  options: {
    org: Organization;
    inviter: UserWithEmails | null;
    invitation: Invitation;
    /** The role's display name, for the mail's text. */
    roleName: string;
    token: string;
    resend?: boolean;
  },
) {
  const { org, inviter, invitation } = options;
  const mail = queuedMail(
    {
      kind: 'organization_invitation',
      toAddress: invitation.emailAddress,
      payload: {
        organizationName: org.name,
        // Shown in the mail as the organization's logo (decision 050).
        organizationImageUrl: org.imageUrl,
        inviterName: inviter ? displayName(inviter) : null,
        roleName: options.roleName,
        expiresAt: invitation.expiresAt,
        url: deps.secrets.seal(acceptUrl(deps.settings.publicUrl, options.token)),
      },
      invitationId: invitation.id,
    },
    deps.now(),
  );
  mail.messageId = options.resend ? `<${invitation.id}.${mail.id}@roster>` : `<${invitation.id}@roster>`;
  return mail;
}

/**
 * The checks and writes of one create, on `tx` (the store itself, or a transaction of it).
 * `budgetSpent`: the caller already spent the address's mail budget (and gives it back if the
 * create fails), as an all-or-nothing bulk does before its transaction.
 */
export async function insertInvitation(
  deps: Deps,
  tx: Store,
  create: { inviting: Inviting; input: CreateInvitationInput; budgetSpent?: boolean },
): Promise<CreatedInvitation> {
  const { inviting, input } = create;
  const { org, inviter } = inviting;
  const now = deps.now();
  // Every path re-checks the address, whatever its route validated: nothing that is not one
  // address (a CR/LF header injection, say) is stored or mailed.
  const parsed = emailAddress.safeParse(input.emailAddress);
  if (!parsed.success) throw new AppError('form_param_format_invalid', { meta: { param_name: 'email_address' } });
  const email = parsed.data;
  const emailNormalized = normalizeEmail(email);
  requireMailed(input);
  const role = await requireRole(tx, input.role);
  await requireRoleInOrganization(tx, org.id, role);
  const redirectUrl = requireAllowedRedirect(deps, input.redirectUrl);
  const { member, pending } = await tx.findInvitationBlockers(org.id, emailNormalized);
  if (member) throw new AppError('already_a_member_in_organization', { meta: { email_address: email } });
  if (pending && pending.expiresAt > now) {
    // The hint: send the pending one again instead (decision 029). The path is relative to the
    // API's base (`/v1` or `/fapi/v1`), as the client's paths are.
    throw new AppError('duplicate_record', {
      meta: {
        param_name: 'email_address',
        email_addresses: [email],
        invitation_id: pending.id,
        resend_path: `/organizations/${org.id}/invitations/${pending.id}/resend`,
      },
    });
  }
  // An expired invitation the sweeper has not reached yet no longer holds the address.
  if (pending) await tx.expireInvitations({ orgId: org.id, emailNormalized, now, events: expiredEvents(deps, tx) });
  await requireSeat(deps, tx, org, { seat: 'new' });
  // The address's mail budget, across organizations, spent only by a create every check let
  // through, and given back if the insert is refused after all (a concurrent create, a deletion).
  const mailed = (input.notify ?? true) && !create.budgetSpent;
  if (mailed) await deps.limits.invitationMail(emailNormalized);
  // The mailed ticket: only the invited mailbox ever sees it. The shown one, if any, is separate.
  const token = newToken();
  const shownToken = input.showLink ? newToken() : null;
  const invitation: Invitation = {
    id: newId('orginv'),
    organizationId: org.id,
    emailAddress: email,
    emailNormalized,
    role,
    status: 'pending',
    inviterId: inviter?.id ?? null,
    tokenHash: sha256(token),
    urlTokenHash: shownToken ? sha256(shownToken) : null,
    publicMetadata: input.publicMetadata ?? {},
    privateMetadata: input.privateMetadata ?? {},
    redirectUrl,
    notify: input.notify ?? true,
    expiresAt: now + (input.expiresInDays ?? deps.settings.invitationTtlDays) * DAY_MS,
    createdAt: now,
    updatedAt: now,
    acceptedUserId: null,
    endedBy: null,
    organizationDomainId: input.organizationDomainId ?? null,
  };
  const roleName = (await roleCatalog(tx)).nameOf(role);
  const mail = invitation.notify ? invitationMail(deps, { org, inviter, invitation, roleName, token }) : null;
  // Its event goes in the same atomic write (one statement on PostgreSQL; decision 022).
  const events = await deps.events.build(tx, [invitationEvent('organizationInvitation.created', invitation, inviter)]);
  try {
    await tx.createInvitation(invitation, mail, events);
  } catch (error) {
    if (mailed) await deps.limits.refundInvitationMail(emailNormalized);
    if (error instanceof UniqueViolation) {
      throw new AppError('duplicate_record', {
        meta: { param_name: 'email_address', email_addresses: [invitation.emailAddress] },
      });
    }
    if (error instanceof ForeignKeyViolation) throw await goneError(tx, error, { orgId: org.id }); // deleted meanwhile
    throw error;
  }
  return { invitation, url: shownToken ? acceptUrl(deps.settings.publicUrl, shownToken) : null, inviter, roleName };
}

/**
 * Stores one invitation (and its mail) for an inviter `authorizeInviting` let through. With a seat
 * limit, the checks and the writes run in one transaction under the organization's lock, so
 * concurrent creates never overshoot it. Without one nothing needs serializing: a second pending
 * invitation for the address is refused by the database's unique index whatever the timing (the
 * check before it only gives the usual answer early), the invitation and its outbox message are
 * written atomically, and accepting re-checks membership itself.
 */
export function createOne(deps: Deps, inviting: Inviting, input: CreateInvitationInput): Promise<CreatedInvitation> {
  return inviting.org.maxAllowedMemberships > 0
    ? deps.store.transaction((tx) => insertInvitation(deps, tx, { inviting, input }))
    : insertInvitation(deps, deps.store, { inviting, input });
}

/** Creates one invitation, for an inviter `authorizeInviting` let through, and wakes the mail dispatcher. */
export async function createInvitation(
  deps: Deps,
  inviting: Inviting,
  input: CreateInvitationInput,
): Promise<CreatedInvitation> {
  const created = await createOne(deps, inviting, input);
  if (created.invitation.notify) deps.mailQueued();
  return created;
}

/** Lists an organization's invitations (newest first); reading needs `org:sys_memberships:manage`, as in Clerk. */
export async function listInvitations(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  options: { statuses?: InvitationStatus[]; emails?: string[]; limit: number; offset: number },
): Promise<Page<Invitation>> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:manage');
  return deps.store.listInvitations({
    orgId: org.id,
    ...(options.statuses?.length && { statuses: options.statuses }),
    ...(options.emails && { emails: options.emails.map(normalizeEmail) }),
    limit: options.limit,
    offset: options.offset,
    now: deps.now(),
  });
}

/**
 * Invitations across the instance (or of one organization), as the filters say; no permission
 * check: for the secret key and the operator console only.
 */
export function listAllInvitations(
  deps: Deps,
  options: Parameters<Store['listInvitations']>[0],
): Promise<Page<Invitation>> {
  return deps.store.listInvitations(options);
}

/** One keyset page of invitations across the instance (the operator console; see the store). */
export function listInvitationsAfter(
  deps: Deps,
  options: Parameters<Store['listInvitationsAfter']>[0],
): Promise<Invitation[]> {
  return deps.store.listInvitationsAfter(options);
}

/** An invitation by id, whichever organization it is in, or null (the operator console). */
export function findInvitationById(deps: Deps, id: string): Promise<Invitation | null> {
  return deps.store.findInvitationById(id);
}

/** Where each invitation's mail is (queued, sent, failed), by invitation id. */
export function invitationDeliveries(deps: Deps, invitationIds: string[]): Promise<Map<string, DeliveryState>> {
  return deps.store.deliveryOf(invitationIds);
}

/** Gets one invitation of an organization; an id from another organization is `invitation_not_found`. */
export async function getInvitation(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  invitationId: string,
): Promise<Invitation> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:manage');
  const invitation = await deps.store.findInvitation(org.id, invitationId);
  if (!invitation) throw new AppError('invitation_not_found', { meta: { invitation_id: invitationId.slice(0, 64) } });
  return invitation;
}

/** The error for an invitation that is no longer pending. */
export function notPendingError(invitation: Invitation, now: number): AppError {
  const status = effectiveStatus(invitation, now);
  if (status === 'accepted') return new AppError('invitation_already_accepted');
  if (status === 'revoked') return new AppError('invitation_revoked');
  if (status === 'expired') return new AppError('invitation_expired', { meta: { expires_at: invitation.expiresAt } });
  return new AppError('invitation_not_pending');
}

/**
 * Revokes a pending invitation with one conditional update; its link then joins no one, and a
 * mail still waiting in the outbox (say, for a retry) is withdrawn.
 */
export async function revokeInvitation(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  invitationId: string,
  requestingUserId?: string | null,
): Promise<Invitation> {
  const acting = await effectiveActor(deps.store, actor, requestingUserId);
  const invitation = await getInvitation(deps, acting, orgIdOrSlug, invitationId);
  const now = deps.now();
  const ended: Invitation = { ...invitation, status: 'revoked', endedBy: 'organization', updatedAt: now };
  const events = await deps.events.build(deps.store, [invitationEvent('organizationInvitation.revoked', ended)]);
  if (
    !(await deps.store.transitionInvitation({ id: invitation.id, to: 'revoked', now, endedBy: 'organization', events }))
  ) {
    const current = await deps.store.findInvitationById(invitation.id);
    if (!current) throw new AppError('organization_not_found', { meta: { id_or_slug: invitation.organizationId } });
    throw new AppError('invitation_not_pending', { meta: { status: effectiveStatus(current, now) } });
  }
  await deps.store.withdrawQueuedMail(invitation.id);
  const revoked = await deps.store.findInvitationById(invitation.id);
  // Gone with its organization, deleted meanwhile.
  if (!revoked) throw new AppError('organization_not_found', { meta: { id_or_slug: invitation.organizationId } });
  return revoked;
}
