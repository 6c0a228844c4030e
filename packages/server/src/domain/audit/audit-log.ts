import type { Deps } from '../deps.js';
import type { DomainEvent, EventType } from '../events/events.js';
import type { Actor } from '../memberships/policy.js';
import { requirePermission } from '../memberships/policy.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Page } from '../records.js';

/**
 * The audit log is the event stream itself (decision 022): every change's event, with who made
 * it (a user id, `secret_key` or `system`), from where (IP, user agent, request id) and what it
 * left (the object's Backend API JSON). This is the storage it reads.
 */
export interface AuditLogStore {
  /** Events newest first, filtered; `total` counts every match. */
  listEvents(options: {
    organizationId?: string;
    types?: EventType[];
    actor?: string;
    limit: number;
    offset: number;
  }): Promise<Page<DomainEvent>>;
  /** Deletes up to `limit` events written before `before` (and their webhook deliveries). Answers how many went. */
  deleteEventsBefore(before: number, limit: number): Promise<number>;
}

export interface AuditLogQuery {
  types?: EventType[];
  actor?: string;
  limit: number;
  offset: number;
}

/** The whole instance's log (Backend API). */
export function listInstanceAuditLog(
  store: AuditLogStore,
  query: AuditLogQuery & { organizationId?: string },
): Promise<Page<DomainEvent>> {
  return store.listEvents(query);
}

/**
 * One organization's log: the secret key, or a member allowed to manage its memberships (an
 * admin), as Clerk's organization settings screens are.
 */
export async function listOrganizationAuditLog(
  deps: Deps,
  store: AuditLogStore,
  actor: Actor,
  orgIdOrSlug: string,
  query: AuditLogQuery,
): Promise<Page<DomainEvent>> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:manage');
  return store.listEvents({ ...query, organizationId: org.id });
}

/**
 * Removes events older than the retention period (`ROSTER_AUDIT_RETENTION_DAYS`), in batches, so
 * the log keeps what the operator promised and no more. Run by the expiry sweeper.
 */
export async function sweepAuditLog(store: AuditLogStore, now: number, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.deleteEventsBefore(now - retentionMs, 1000);
    total += n;
    if (n < 1000) return total;
  }
}
