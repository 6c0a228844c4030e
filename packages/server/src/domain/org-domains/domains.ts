import type { EnrollmentMode } from '@roster/protocol';
import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type EventDraft, recordEvents } from '../events/events.js';
import { type Actor, requirePermission } from '../memberships/policy.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Page } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { refusedProvider } from './providers.js';
import type { OrganizationDomain } from './store.js';

/** Clerk's limit of domains per organization. */
export const MAX_DOMAINS_PER_ORGANIZATION = 10;

const MANAGE = 'org:sys_domains:manage';

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
  try {
    return await deps.store.transaction(async (tx) => {
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
        verified: input.verified,
        affiliationEmailAddress: null,
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
}

/** An organization's domains, newest first; users need `org:sys_domains:manage` (Clerk's rule for listing too). */
export async function listOrganizationDomains(
  deps: Deps,
  actor: Actor,
  options: { orgId?: string; verified?: boolean; enrollmentMode?: EnrollmentMode; limit: number; offset: number },
): Promise<Page<OrganizationDomain>> {
  if (options.orgId !== undefined) {
    const { id } = await getOrganization(deps.store, options.orgId);
    await requirePermission(deps.store, actor, id, MANAGE);
    options = { ...options, orgId: id };
  } else if (actor.kind !== 'secret_key') {
    throw new AppError('authorization_invalid', { meta: { permission: MANAGE } });
  }
  return deps.store.orgDomains().listOrganizationDomains(options);
}

export interface UpdateDomainInput {
  enrollmentMode?: EnrollmentMode;
  /** Backend API only: marks the domain verified (or not) without a proof. */
  verified?: boolean;
  /** Removes the pending invitations and suggestions the domain made (issue 14's next slice). */
  deletePending?: boolean;
}

/** Changes a domain's enrollment mode (or, with the secret key, its verified flag). */
export async function updateOrganizationDomain(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
  input: UpdateDomainInput,
): Promise<OrganizationDomain> {
  await requirePermission(deps.store, actor, ids.orgId, MANAGE);
  try {
    return await deps.store.transaction(async (tx) => {
      const domain = await getOrganizationDomain(tx, ids.orgId, ids.domainId);
      const patch: Partial<OrganizationDomain> = { updatedAt: deps.now() };
      if (input.enrollmentMode !== undefined) patch.enrollmentMode = input.enrollmentMode;
      if (input.verified !== undefined) patch.verified = input.verified;
      await tx.orgDomains().updateOrganizationDomain(domain.id, patch);
      const updated = { ...domain, ...patch };
      await recordEvents(deps.events, tx, [domainEvent('organizationDomain.updated', updated)]);
      return updated;
    });
  } catch (error) {
    if (error instanceof UniqueViolation)
      throw new AppError('organization_domain_already_exists', { meta: { param_name: 'verified' } });
    throw error;
  }
}

/** Removes a domain; what it created stays unless `deletePending`. */
export async function deleteOrganizationDomain(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
): Promise<OrganizationDomain> {
  await requirePermission(deps.store, actor, ids.orgId, MANAGE);
  return deps.store.transaction(async (tx) => {
    const domain = await getOrganizationDomain(tx, ids.orgId, ids.domainId);
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
