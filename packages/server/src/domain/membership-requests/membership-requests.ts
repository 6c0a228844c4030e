import type { Permission } from '@roster/protocol';
import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type EventDraft, recordEvents } from '../events/events.js';
import { queuedMail } from '../mail.js';
import { insertMembership, requireSeat } from '../memberships/memberships.js';
import { type Actor, can, requirePermission } from '../memberships/policy.js';
import { enrollmentRole, suggestionEvent } from '../org-domains/enrollment.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Membership, Organization, Page, UserWithEmails } from '../records.js';
import { roleCatalog } from '../roles/catalog.js';
import { type Store, UniqueViolation } from '../store.js';
import { displayName } from '../users/users.js';
import type { MembershipRequest, MembershipRequestStatus, OrganizationSuggestion, SuggestionStatus } from './store.js';

/**
 * Suggestions and membership requests (issue 14, decision 048). A suggestion (made by a verified
 * domain, see org-domains/enrollment.ts) is the user's to accept; accepting it makes a pending
 * membership request and mails the organization's managers. A manager (`org:sys_memberships:manage`)
 * accepts the request (the user joins with the enrollment role, a seat counted as a new member's)
 * or rejects it. Every transition is one conditional update (decision 003's rule).
 */

const MANAGE: Permission = 'org:sys_memberships:manage';
/** Who may see the requests: those who read the member list and those who manage it (the contract's rule). */
// Requests name people who are not members yet: only managers see them, as Clerk's Requests tab.
const READERS: readonly Permission[] = [MANAGE];
/** The most managers one request mails. */
const MAX_MAILED_MANAGERS = 100;

export function membershipRequestEvent(
  type:
    | 'organizationMembershipRequest.created'
    | 'organizationMembershipRequest.accepted'
    | 'organizationMembershipRequest.rejected',
  request: MembershipRequest,
): EventDraft {
  return { type, organizationId: request.organizationId, subject: { kind: 'membership_request', request } };
}

/** The signed-in user's suggestions, newest first (pending by default). */
export function listUserSuggestions(
  deps: Deps,
  userId: string,
  options: { statuses?: SuggestionStatus[]; limit: number; offset: number },
): Promise<Page<OrganizationSuggestion>> {
  return deps.store.membershipRequests().listSuggestions({
    userId,
    statuses: options.statuses?.length ? [...new Set(options.statuses)] : ['pending'],
    limit: options.limit,
    offset: options.offset,
  });
}

/**
 * Queues the alert to each manager of the organization (their primary address, in their language),
 * in `tx`: the request and its mail commit together.
 */
async function mailManagers(deps: Deps, tx: Store, org: Organization, requester: UserWithEmails): Promise<number> {
  const managers = (await roleCatalog(tx)).keysGranting(MANAGE);
  if (managers.length === 0) return 0;
  const members = await tx.listMemberships({ orgId: org.id, roles: managers, limit: MAX_MAILED_MANAGERS, offset: 0 });
  const userIds = members.data.map((m) => m.userId);
  if (userIds.length === 0) return 0;
  const users = await tx.listUsers({ userIds, limit: userIds.length, offset: 0 });
  const now = deps.now();
  let queued = 0;
  for (const manager of users) {
    const to = manager.emailAddresses.find((e) => e.verified)?.email;
    if (!to) continue;
    await tx.enqueueMail(
      queuedMail(
        {
          kind: 'organization_membership_request',
          toAddress: to,
          invitationId: null,
          payload: {
            organizationName: org.name,
            requesterName: displayName(requester),
            requesterEmail: requester.emailAddresses[0]?.email ?? '',
            ...(manager.locale && { locale: manager.locale }),
          },
        },
        now,
      ),
    );
    queued++;
  }
  return queued;
}

/**
 * The user accepts one of their suggestions: it becomes `accepted` and a pending membership request
 * is made (with the managers' mail), in one transaction. Accepting an accepted suggestion again
 * answers it as it is and makes nothing (safe to retry). A member already: `already_a_member_in_organization`.
 */
export async function acceptSuggestion(
  deps: Deps,
  user: UserWithEmails,
  suggestionId: string,
): Promise<{ suggestion: OrganizationSuggestion; request: MembershipRequest | null }> {
  const result = await deps.store.transaction(async (tx) => {
    const store = tx.membershipRequests();
    const suggestion = await store.findSuggestion(user.id, suggestionId);
    if (!suggestion) throw new AppError('resource_not_found', { meta: { param_name: 'suggestion_id' } });
    if (suggestion.status !== 'pending') return { suggestion, request: null, mailed: 0 };
    // The organization's lock first (as an invitation's accept): a concurrent delete waits or went first.
    const org = await tx.findOrganizationForUpdate(suggestion.organizationId);
    if (!org) throw new AppError('organization_not_found', { meta: { id_or_slug: suggestion.organizationId } });
    if (await tx.findMembership(org.id, user.id)) throw new AppError('already_a_member_in_organization');
    const now = deps.now();
    if (!(await store.acceptSuggestion(suggestion.id, now))) {
      // Another accept won meanwhile: answer what it left.
      const current = await store.findSuggestion(user.id, suggestion.id);
      if (!current) throw new AppError('resource_not_found', { meta: { param_name: 'suggestion_id' } });
      return { suggestion: current, request: null, mailed: 0 };
    }
    const accepted: OrganizationSuggestion = { ...suggestion, status: 'accepted', updatedAt: now };
    const request: MembershipRequest = {
      id: newId('orgmbrreq'),
      organizationId: org.id,
      userId: user.id,
      suggestionId: suggestion.id,
      domainId: suggestion.domainId,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    const drafts = [suggestionEvent('organizationSuggestion.accepted', accepted)];
    let made: MembershipRequest | null = request;
    try {
      await store.createMembershipRequest(request);
      drafts.push(membershipRequestEvent('organizationMembershipRequest.created', request));
    } catch (error) {
      // A request of the user's is pending already (made another way): that one stands.
      if (!(error instanceof UniqueViolation)) throw error;
      made = null;
    }
    await recordEvents(deps.events, tx, drafts);
    const mailed = made ? await mailManagers(deps, tx, org, user) : 0;
    return { suggestion: accepted, request: made, mailed };
  });
  if (result.mailed > 0) deps.mailQueued();
  return { suggestion: result.suggestion, request: result.request };
}

/** Reads the organization and requires the actor to see its requests (secret key: always). */
async function authorizeReading(deps: Deps, actor: Actor, orgIdOrSlug: string): Promise<Organization> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  if (actor.kind === 'user') {
    const [membership, catalog] = await Promise.all([
      deps.store.findMembership(org.id, actor.userId),
      roleCatalog(deps.store),
    ]);
    if (!membership) throw new AppError('not_a_member_in_organization', { meta: { organization_id: org.id } });
    if (!READERS.some((p) => can(membership, p, catalog))) {
      throw new AppError('authorization_invalid', { meta: { permission: READERS[0]! } });
    }
  }
  return org;
}

/** An organization's membership requests, newest first (pending by default). */
export async function listMembershipRequests(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  options: { statuses?: MembershipRequestStatus[]; limit: number; offset: number },
): Promise<Page<MembershipRequest>> {
  const org = await authorizeReading(deps, actor, orgIdOrSlug);
  return deps.store.membershipRequests().listMembershipRequests({
    orgId: org.id,
    statuses: options.statuses?.length ? [...new Set(options.statuses)] : ['pending'],
    limit: options.limit,
    offset: options.offset,
  });
}

/** The request, pending, with the organization locked; else `resource_not_found` or `membership_request_not_pending`. */
async function pendingRequest(tx: Store, orgId: string, requestId: string) {
  const org = await tx.findOrganizationForUpdate(orgId);
  if (!org) throw new AppError('organization_not_found', { meta: { id_or_slug: orgId } });
  const request = await tx.membershipRequests().findMembershipRequest(orgId, requestId);
  if (!request) throw new AppError('resource_not_found', { meta: { param_name: 'request_id' } });
  if (request.status !== 'pending') throw notPending(request);
  return { org, request };
}

const notPending = (r: MembershipRequest) =>
  new AppError('membership_request_not_pending', { meta: { status: r.status } });

/** The conditional update, or the error that says who won. */
async function transition(tx: Store, request: MembershipRequest, to: 'accepted' | 'rejected', now: number) {
  const store = tx.membershipRequests();
  if (await store.transitionMembershipRequest(request.id, to, now)) return;
  const current = await store.findMembershipRequest(request.organizationId, request.id);
  if (!current) throw new AppError('resource_not_found', { meta: { param_name: 'request_id' } });
  throw notPending(current);
}

/**
 * A manager accepts a pending request: the user becomes a member with the enrollment role (the
 * instance's domains default role, else the organization's default), counted against the seat limit
 * as a new member is (members and pending invitations); refused, the request stays pending.
 */
export async function acceptMembershipRequest(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  requestId: string,
): Promise<{ request: MembershipRequest; membership: Membership }> {
  const { id: orgId } = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, orgId, MANAGE);
  return deps.store.transaction(async (tx) => {
    const { org, request } = await pendingRequest(tx, orgId, requestId);
    if (await tx.findMembership(org.id, request.userId)) throw new AppError('already_a_member_in_organization');
    await requireSeat(deps, tx, org, { seat: 'new', locked: true });
    const role = await enrollmentRole(tx, org);
    const now = deps.now();
    await transition(tx, request, 'accepted', now);
    const accepted: MembershipRequest = { ...request, status: 'accepted', updatedAt: now };
    const membership = await insertMembership(deps.events, tx, {
      id: newId('orgmem'),
      organizationId: org.id,
      userId: request.userId,
      role,
      publicMetadata: {},
      privateMetadata: {},
      createdAt: now,
      updatedAt: now,
    });
    await recordEvents(deps.events, tx, [membershipRequestEvent('organizationMembershipRequest.accepted', accepted)]);
    return { request: accepted, membership };
  });
}

/** A manager rejects a pending request. */
export async function rejectMembershipRequest(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  requestId: string,
): Promise<MembershipRequest> {
  const { id: orgId } = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, orgId, MANAGE);
  return deps.store.transaction(async (tx) => {
    const { request } = await pendingRequest(tx, orgId, requestId);
    const now = deps.now();
    await transition(tx, request, 'rejected', now);
    const rejected: MembershipRequest = { ...request, status: 'rejected', updatedAt: now };
    await recordEvents(deps.events, tx, [membershipRequestEvent('organizationMembershipRequest.rejected', rejected)]);
    return rejected;
  });
}
