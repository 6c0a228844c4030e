import type { BulkInvitationsJSON, OrganizationInvitationJSON } from '@roster/protocol';
import type { Context } from 'hono';
import type { BulkOutcome } from '../domain/invitations/bulk.js';
import type { CreatedInvitation } from '../domain/invitations/invitations.js';
import type { AppEnv } from './env.js';
import { errorEntry } from './errors.js';
import type { Audience } from './serialize.js';
import { invitationJSON } from './serialize.js';

/**
 * The create response: the only response that ever carries the invitation's `url`, and only for
 * the Backend API (a browser's create has no link to show: decision 021). Built from what
 * the create just wrote (its inviter, no delivery attempt yet), without reading anything back.
 */
export function createdInvitationJSON(
  c: Context<AppEnv>,
  created: CreatedInvitation,
  audience: Audience,
): OrganizationInvitationJSON {
  return invitationJSON(created.invitation, {
    audience,
    now: c.var.deps.now(),
    url: created.url ?? undefined,
    inviter: created.inviter,
    roleName: created.roleName,
    delivery: undefined,
  });
}

/** A bulk create answer: created invitations (each with its `url`) and one error per failed address. */
export function bulkInvitationsJSON(
  c: Context<AppEnv>,
  outcomes: BulkOutcome[],
  audience: Audience,
): BulkInvitationsJSON {
  const data: OrganizationInvitationJSON[] = [];
  const errors: BulkInvitationsJSON['errors'] = [];
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.ok) data.push(createdInvitationJSON(c, outcome.created, audience));
    else
      errors.push(
        errorEntry(outcome.error.code, { ...outcome.error.meta, email_address: outcome.emailAddress, index }),
      );
  }
  return { data, total_count: data.length, errors };
}
