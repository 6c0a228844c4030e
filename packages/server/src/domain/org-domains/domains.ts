import type { EnrollmentMode } from '@roster/protocol';
import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type EventDraft, recordEvents } from '../events/events.js';
import { type Actor, can, requirePermission } from '../memberships/policy.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Page, UserWithEmails } from '../records.js';
import { roleCatalog } from '../roles/catalog.js';
import { organizationSettings } from '../roles/instance-settings.js';
import { type Store, UniqueViolation } from '../store.js';
import { domainOfEmail, enrollDomain, removePendingMadeBy } from './enrollment.js';
import { refusedProvider } from './providers.js';
import type { OrganizationDomain } from './store.js';

/** Clerk's limit of domains per organization. */
export const MAX_DOMAINS_PER_ORGANIZATION = 10;

export const MANAGE_DOMAINS = 'org:sys_domains:manage';
const MANAGE = MANAGE_DOMAINS;
const READ = 'org:sys_domains:read';

/** A verified address of the user on the domain `name`, or null. */
export function verifiedAddressOn(user: UserWithEmails, name: string): string | null {
  return user.emailAddresses.find((e) => e.verified && domainOfEmail(e.email) === name)?.email ?? null;
}

/** Lets through the secret key, and members whose role reads or manages domains (Clerk's rule for list and get). */
async function requireDomainReader(store: Store, actor: Actor, orgId: string): Promise<void> {
  if (actor.kind === 'secret_key') return;
  const [membership, catalog] = await Promise.all([store.findMembership(orgId, actor.userId), roleCatalog(store)]);
  if (!membership) throw new AppError('not_a_member_in_organization', { meta: { organization_id: orgId } });
  if (!can(membership, READ, catalog) && !can(membership, MANAGE, catalog))
    throw new AppError('authorization_invalid', { meta: { permission: READ } });
}

/**
 * For a signed-in user (the Frontend API), the instance's domain settings apply: domains turned
 * off (`domains_enabled: false`) refuse new domains, mode changes and affiliation proofs (removing one
 * stays possible), and only the allowed enrollment modes may be chosen.
 */
export async function requireDomainsAllowed(deps: Deps, actor: Actor, mode?: EnrollmentMode): Promise<void> {
  if (actor.kind === 'secret_key') return;
  const settings = await organizationSettings(deps);
  if (!settings.domainsEnabled) throw new AppError('organization_domains_disabled');
  if (mode !== undefined && mode !== 'manual_invitation' && !settings.domainsEnrollmentModes.includes(mode))
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'enrollment_mode', reason: 'not allowed by the instance organization settings' },
    });
}

export function domainEvent(type: EventDraft['type'], domain: OrganizationDomain): EventDraft {
  return { type, organizationId: domain.organizationId, subject: { kind: 'organization_domain', domain } };
}

/** The organization's domain, or `resource_not_found`. */
export async function getOrganizationDomain(store: Store, orgId: string, domainId: string) {
  const domain = await store.orgDomains().findOrganizationDomain(orgId, domainId);
  if (!domain) throw new AppError('resource_not_found', { meta: { param_name: 'domain_id' } });
  return domain;
}

export interface CreateDomainInput {
  name: string;
  enrollmentMode: EnrollmentMode;
  /** The Backend API may create it verified; the Frontend API never does (affiliation proves it). */
  verified: boolean;
  /**
   * The Frontend API's caller: a verified address of theirs on the domain proves affiliation at
   * once (the domain is created verified, that address as its affiliation address), as in Clerk.
   */
  affiliatedUser?: UserWithEmails;
}

/**
 * Claims a domain for an organization: common and disposable providers refused, at most
 * `MAX_DOMAINS_PER_ORGANIZATION` (counted under the organization's row lock, so concurrent creates
 * cannot pass it), one of a name per organization, one verified of a name per instance.
 */
export async function createOrganizationDomain(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  input: CreateDomainInput,
): Promise<OrganizationDomain> {
  const refused = refusedProvider(input.name);
  if (refused === 'common') throw new AppError('organization_domain_common', { meta: { param_name: 'name' } });
  if (refused === 'disposable') throw new AppError('organization_domain_blocked', { meta: { param_name: 'name' } });
  const { id: orgId } = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, orgId, MANAGE);
  await requireDomainsAllowed(deps, actor, input.enrollmentMode);
  const affiliation = input.affiliatedUser ? verifiedAddressOn(input.affiliatedUser, input.name) : null;
  let created: OrganizationDomain;
  try {
    created = await deps.store.transaction(async (tx) => {
      if (!(await tx.findOrganizationForUpdate(orgId)))
        throw new AppError('organization_not_found', { meta: { id_or_slug: orgId } });
      const domains = tx.orgDomains();
      if ((await domains.countOrganizationDomains(orgId)) >= MAX_DOMAINS_PER_ORGANIZATION)
        throw new AppError('organization_domain_quota_exceeded', { meta: { max: MAX_DOMAINS_PER_ORGANIZATION } });
      const now = deps.now();
      const domain: OrganizationDomain = {
        id: newId('orgdmn'),
        organizationId: orgId,
        name: input.name,
        enrollmentMode: input.enrollmentMode,
        verified: input.verified || affiliation !== null,
        affiliationEmailAddress: affiliation,
        verificationAttempts: 0,
        verificationExpiresAt: null,
        verificationCodeHash: null,
        createdAt: now,
        updatedAt: now,
      };
      await domains.createOrganizationDomain(domain);
      await recordEvents(deps.events, tx, [domainEvent('organizationDomain.created', domain)]);
      return domain;
    });
  } catch (error) {
    if (error instanceof UniqueViolation)
      throw new AppError('organization_domain_already_exists', { meta: { param_name: 'name' } });
    throw error;
  }
  // Created verified with an automatic mode: who already holds an address on it is enrolled.
  await enrollDomain(deps, created);
  return created;
}

/** An organization's domains, newest first; users need `org:sys_domains:read` or `org:sys_domains:manage`. */
export async function listOrganizationDomains(
  deps: Deps,
  actor: Actor,
  options: { orgId?: string; verified?: boolean; enrollmentMode?: EnrollmentMode; limit: number; offset: number },
): Promise<Page<OrganizationDomain>> {
  if (options.orgId !== undefined) {
    const { id } = await getOrganization(deps.store, options.orgId);
    await requireDomainReader(deps.store, actor, id);
    options = { ...options, orgId: id };
  } else if (actor.kind !== 'secret_key') {
    throw new AppError('authorization_invalid', { meta: { permission: MANAGE } });
  }
  return deps.store.orgDomains().listOrganizationDomains(options);
}

/** One domain of an organization, for the secret key or a member who reads or manages domains. */
export async function readOrganizationDomain(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
): Promise<OrganizationDomain> {
  const { id: orgId } = await getOrganization(deps.store, ids.orgId);
  await requireDomainReader(deps.store, actor, orgId);
  return getOrganizationDomain(deps.store, orgId, ids.domainId);
}

export interface UpdateDomainInput {
  enrollmentMode?: EnrollmentMode;
  /** Backend API only: marks the domain verified (or not) without a proof. */
  verified?: boolean;
  /** Also revokes the pending invitations and deletes the pending suggestions the domain made. */
  deletePending?: boolean;
}

/** Changes a domain's enrollment mode (or, with the secret key, its verified flag). */
export async function updateOrganizationDomain(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
  input: UpdateDomainInput,
): Promise<OrganizationDomain> {
  const { id: orgId } = await getOrganization(deps.store, ids.orgId);
  await requirePermission(deps.store, actor, orgId, MANAGE);
  await requireDomainsAllowed(deps, actor, input.enrollmentMode);
  let before: OrganizationDomain;
  let updated: OrganizationDomain;
  try {
    [before, updated] = await deps.store.transaction(async (tx) => {
      const domain = await getOrganizationDomain(tx, orgId, ids.domainId);
      const patch: Partial<OrganizationDomain> = { updatedAt: deps.now() };
      if (input.enrollmentMode !== undefined) patch.enrollmentMode = input.enrollmentMode;
      if (input.verified !== undefined) patch.verified = input.verified;
      await tx.orgDomains().updateOrganizationDomain(domain.id, patch);
      if (input.deletePending) await removePendingMadeBy(deps, tx, domain);
      const changed = { ...domain, ...patch };
      await recordEvents(deps.events, tx, [domainEvent('organizationDomain.updated', changed)]);
      return [domain, changed] as const;
    });
  } catch (error) {
    if (error instanceof UniqueViolation)
      throw new AppError('organization_domain_already_exists', { meta: { param_name: 'verified' } });
    throw error;
  }
  // Just verified, or switched to another automatic mode: the back-fill enrolls who is already there.
  if (updated.verified && (!before.verified || before.enrollmentMode !== updated.enrollmentMode))
    await enrollDomain(deps, updated);
  return updated;
}

/**
 * Removes a domain and, in the same transaction, what it made that is still pending (its
 * invitations revoked, its suggestions deleted), as Clerk's "Removing this domain will affect
 * invited users" says. Accepted invitations and memberships stay.
 */
export async function deleteOrganizationDomain(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
): Promise<OrganizationDomain> {
  const { id: orgId } = await getOrganization(deps.store, ids.orgId);
  await requirePermission(deps.store, actor, orgId, MANAGE);
  return deps.store.transaction(async (tx) => {
    const domain = await getOrganizationDomain(tx, orgId, ids.domainId);
    await removePendingMadeBy(deps, tx, domain);
    if (!(await tx.orgDomains().deleteOrganizationDomain(domain.id)))
      throw new AppError('resource_not_found', { meta: { param_name: 'domain_id' } });
    await recordEvents(deps.events, tx, [
      {
        type: 'organizationDomain.deleted',
        organizationId: domain.organizationId,
        subject: { kind: 'deleted', object: 'organization_domain', id: domain.id },
      },
    ]);
    return domain;
  });
}
