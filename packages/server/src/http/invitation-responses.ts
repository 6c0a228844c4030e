import type { BulkInvitationsJSON, OrganizationInvitationJSON } from '@roster/protocol';
import type { Context } from 'hono';
import type { BulkOutcome, CreatedInvitation } from '../domain/invitations/invitations.js';
import type { AppEnv } from './env.js';
import { errorEntry } from './errors.js';
import type { Audience } from './serialize.js';
import { serializeInvitations } from './serialize.js';

/** The create response: the only response that ever carries the invitation's `url`. */
export async function createdInvitationJSON(
  c: Context<AppEnv>,
  created: CreatedInvitation,
  audience: Audience,
): Promise<OrganizationInvitationJSON> {
  const [json] = await serializeInvitations(c.var.deps.store, [created.invitation], {
    audience,
    now: c.var.deps.now(),
    url: created.url,
  });
  return json!;
}

/** A bulk create answer: created invitations (each with its `url`) and one error per failed address. */
export async function bulkInvitationsJSON(
  c: Context<AppEnv>,
  outcomes: BulkOutcome[],
  audience: Audience,
): Promise<BulkInvitationsJSON> {
  const data: OrganizationInvitationJSON[] = [];
  const errors: BulkInvitationsJSON['errors'] = [];
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.ok) data.push(await createdInvitationJSON(c, outcome.created, audience));
    else
      errors.push(
        errorEntry(outcome.error.code, { ...outcome.error.meta, email_address: outcome.emailAddress, index }),
      );
  }
  return { data, total_count: data.length, errors };
}
