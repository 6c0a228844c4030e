import { newId } from '../domain/crypto.js';
import type { DomainEvent, EventDraft, EventSource, EventSubject } from '../domain/events/events.js';
import { roleCatalog } from '../domain/roles/catalog.js';
import type { Store } from '../domain/store.js';
import { appInvitationJSON } from './app-invitation-json.js';
import { serializeMembershipRequests, serializeSuggestions } from './membership-request-json.js';
import { organizationDomainJSON } from './org-domain-json.js';
import { requestContext } from './request-context.js';
import { invitationJSON, serializeMemberships, serializeOrganizations, sessionJSON, userJSON } from './serialize.js';

/** User agents are kept to this length in events (what an operator needs, not a megabyte header). */
const MAX_USER_AGENT = 512;

/**
 * The object's Backend API JSON, as the change left it. Built from records the change holds, with
 * the serializers the Backend API answers with; never a ticket (an invitation's `url` is null),
 * a password hash, a code or a secret.
 */
async function dataOf(reader: Store, subject: EventSubject, now: number): Promise<unknown> {
  switch (subject.kind) {
    case 'organization':
      return (await serializeOrganizations(reader, [subject.organization], 'backend', now))[0];
    case 'membership':
      return (await serializeMemberships(reader, [subject.membership], 'backend', now))[0];
    case 'invitation': {
      const json = invitationJSON(subject.invitation, {
        audience: 'backend',
        now,
        inviter: subject.inviter ?? null,
        roleName: (await roleCatalog(reader)).nameOf(subject.invitation.role),
        delivery: undefined,
      });
      // Clerk's organizationInvitation.accepted names who joined.
      const accepted = subject.invitation.acceptedUserId;
      return accepted ? { ...json, user_id: accepted } : json;
    }
    case 'app_invitation': {
      const json = appInvitationJSON(subject.invitation, now);
      const accepted = subject.invitation.acceptedUserId;
      return accepted ? { ...json, user_id: accepted } : json;
    }
    case 'user':
      return userJSON(subject.user, 'backend');
    case 'deleted':
      return { object: subject.object, id: subject.id, deleted: true };
    case 'session':
      return { ...sessionJSON(subject.session), ...(subject.ended && { status: 'ended' }) };
    case 'organization_domain':
      return organizationDomainJSON(subject.domain);
    case 'organization_suggestion': {
      const [json] = await serializeSuggestions(reader, [subject.suggestion]);
      // Who it is for (the Frontend API's JSON leaves that implicit).
      return { ...json, user_id: subject.suggestion.userId };
    }
    case 'membership_request':
      return (await serializeMembershipRequests(reader, [subject.request]))[0];
  }
}

/** The subject's own user, for a change nobody signed in made (a sign-up, a sign-in). */
function ownUser(subject: EventSubject): string | null {
  if (subject.kind === 'user') return subject.user.id;
  if (subject.kind === 'session') return subject.session.userId;
  return null;
}

/** The user an event concerns, for their audit trail (events.user_id). */
function concernedUser(subject: EventSubject): string | null {
  switch (subject.kind) {
    case 'user':
      return subject.user.id;
    case 'session':
      return subject.session.userId;
    case 'membership':
      return subject.membership.userId;
    case 'invitation':
    case 'app_invitation':
      return subject.invitation.acceptedUserId ?? null;
    case 'deleted':
      return subject.object === 'user' ? subject.id : null;
    case 'organization_suggestion':
      return subject.suggestion.userId;
    case 'membership_request':
      return subject.request.userId;
    default:
      return null;
  }
}

/**
 * The event source: who made the change (the signed-in user's id, `secret_key`, or `system` outside
 * a request) and from where (IP, user agent, request id), read from the request being handled.
 */
export function createEventSource(options: { now: () => number }): EventSource {
  return {
    origin() {
      const context = requestContext.getStore();
      if (!context) return null;
      return { ip: context.ip ?? null, userAgent: context.userAgent?.slice(0, MAX_USER_AGENT) ?? null };
    },
    async build(reader: Store, drafts: EventDraft[]): Promise<DomainEvent[]> {
      const context = requestContext.getStore();
      const actor = context?.actor();
      const now = options.now();
      return Promise.all(
        drafts.map(async (draft) => ({
          id: newId('evt'),
          type: draft.type,
          organizationId: draft.organizationId,
          actor:
            actor?.kind === 'user'
              ? actor.userId
              : actor?.kind === 'secret_key'
                ? 'secret_key'
                : ((context && ownUser(draft.subject)) ?? 'system'),
          ip: context?.ip ?? null,
          userAgent: context?.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
          requestId: context?.requestId ?? null,
          payload: JSON.stringify(await dataOf(reader, draft.subject, now)),
          createdAt: now,
          userId: concernedUser(draft.subject),
        })),
      );
    },
  };
}
