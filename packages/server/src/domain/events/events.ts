import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@roster/protocol';
import type { AppInvitation } from '../app-invitations/store.js';
import type { MembershipRequest, OrganizationSuggestion } from '../membership-requests/store.js';
import type { OrganizationDomain } from '../org-domains/store.js';
import type { Invitation, Membership, Organization, Session, UserWithEmails } from '../records.js';
import type { Store } from '../store.js';

/**
 * Domain events (decision 022): one per change, written in the change's own transaction or
 * statement, so no committed change lacks its event and no event outlives a rolled-back change.
 * Named as Clerk names its webhook events, plus the invitation endings Clerk lacks.
 */
export const EVENT_TYPES = WEBHOOK_EVENT_TYPES;

export type EventType = WebhookEventType;

/** What an event is about; the event source turns it into the Backend API's JSON for it. */
export type EventSubject =
  | { kind: 'organization'; organization: Organization }
  | { kind: 'membership'; membership: Membership }
  | { kind: 'invitation'; invitation: Invitation; inviter?: UserWithEmails | null }
  | { kind: 'app_invitation'; invitation: AppInvitation }
  | { kind: 'user'; user: UserWithEmails }
  | { kind: 'deleted'; object: 'user' | 'organization' | 'organization_membership' | 'organization_domain'; id: string }
  | { kind: 'session'; session: Session; ended?: boolean }
  | { kind: 'organization_domain'; domain: OrganizationDomain }
  | { kind: 'organization_suggestion'; suggestion: OrganizationSuggestion }
  | { kind: 'membership_request'; request: MembershipRequest };

/** One event as stored. `actor` is a user id, `secret_key` or `system`. */
export interface DomainEvent {
  id: string;
  type: EventType;
  organizationId: string | null;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** JSON text: the object's Backend API JSON as the change left it (no ticket, code or secret). */
  payload: string;
  createdAt: number;
  /** The user the change concerns (a user's own, a session's or a membership's user, who accepted): their audit trail. */
  userId?: string | null;
}

/** Something the change leaves for the event source to describe. */
export interface EventDraft {
  type: EventType;
  organizationId: string | null;
  subject: EventSubject;
}

/**
 * Builds stored events from drafts: fills in who and from where (the request being handled, or
 * `system`) and serializes the subject. Reads, when it needs any, go through `reader` (the
 * change's transaction), so the payload is what that transaction sees.
 */
export interface EventSource {
  build(reader: Store, drafts: EventDraft[]): Promise<DomainEvent[]>;
  /** Where the change being made comes from (the request's IP and user agent), when it comes from a request. */
  origin?(): { ip: string | null; userAgent: string | null } | null;
}

/** An event source that records nothing (for tools that run the domain without the event stream). */
export const noEvents: EventSource = { build: async () => [] };

/** Builds the drafts' events (with `deps.events`) and stores them on `tx`, the change's transaction. */
export async function recordEvents(source: EventSource, tx: Store, drafts: EventDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await tx.appendEvents(await source.build(tx, drafts));
}
