import type { ErrorCode } from '@roster/protocol';
import { emailAddress } from '@roster/protocol';
import { normalizeEmail } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { Actor } from '../memberships/policy.js';
import {
  authorizeInviting,
  type CreatedInvitation,
  type CreateInvitationInput,
  createOne,
  type Inviting,
  insertInvitation,
  requireMailed,
} from './invitations.js';

/**
 * Bulk organization invitations (decision 041). By default all or none, as Clerk: every address
 * is checked first and any that cannot be invited refuses the whole call, naming them; the rest
 * are then written in one transaction with their mails and events. `partial` (Roster's opt-in)
 * creates each address on its own and answers each address's outcome (decision 007).
 */

/** One address's outcome in a bulk create. */
export type BulkOutcome =
  | { ok: true; created: CreatedInvitation }
  | { ok: false; emailAddress: string; error: AppError };

export interface BulkOptions {
  /** Each address succeeds or fails on its own (Roster's opt-in); otherwise all or none. */
  partial: boolean;
}

/**
 * Creates many invitations for a caller `authorizeInviting` let through (`batch`, made by the
 * route before it spent the rate budget). An address naming another inviter (`inviter_user_id`,
 * secret key only) is authorized once per distinct inviter. All or none unless `partial`: then
 * the outcomes are in input order, some of them failures.
 */
export async function createInvitations(
  deps: Deps,
  actor: Actor,
  batch: Inviting,
  inputs: CreateInvitationInput[],
  options: BulkOptions,
): Promise<BulkOutcome[]> {
  // A batch that may not be shown its links but asks not to mail them is refused as a whole.
  for (const input of inputs) requireMailed(input);
  const outcomes = options.partial
    ? await createEach(deps, actor, batch, inputs)
    : await createAll(deps, actor, batch, inputs);
  if (outcomes.some((o) => o.ok && o.created.invitation.notify)) deps.mailQueued();
  return outcomes;
}

/** The inviter of each input: the batch's, or the one it names, authorized once per distinct id. */
function invitersOf(deps: Deps, actor: Actor, batch: Inviting) {
  const authorized = new Map<string | null, Promise<Inviting>>([[null, Promise.resolve(batch)]]);
  return (input: CreateInvitationInput): Promise<Inviting> => {
    const onBehalfOf = input.inviterUserId ?? null;
    let inviting = authorized.get(onBehalfOf);
    if (!inviting) {
      inviting = authorizeInviting(deps, actor, batch.org.id, onBehalfOf);
      inviting.catch(() => {}); // awaited by the caller; a rejection is its outcome
      authorized.set(onBehalfOf, inviting);
    }
    return inviting;
  };
}

/** `partial`: each address in its own create; one failing (duplicate, member, quota, an unknown inviter) leaves the others. */
async function createEach(
  deps: Deps,
  actor: Actor,
  batch: Inviting,
  inputs: CreateInvitationInput[],
): Promise<BulkOutcome[]> {
  const inviterOf = invitersOf(deps, actor, batch);
  const outcomes: BulkOutcome[] = [];
  for (const input of inputs) {
    try {
      outcomes.push({ ok: true, created: await createOne(deps, await inviterOf(input), input) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ ok: false, emailAddress: input.emailAddress, error });
    }
  }
  return outcomes;
}

/** The refusal naming every address that cannot be invited, one entry per reason, or null if there is none. */
function refusal(refused: Map<ErrorCode, string[]>): AppError | null {
  const [first, ...rest] = [...refused].map(
    ([code, emails]) => new AppError(code, { meta: { param_name: 'email_address', email_addresses: emails } }),
  );
  return first ? new AppError(first.code, { meta: first.meta, also: rest }) : null;
}

/**
 * All or none. First the checks that name addresses, for every address: given twice or already
 * invited (`duplicate_record`), already a member (`already_a_member_in_organization`); any refuses
 * the call listing them all in `meta.email_addresses`. Then each mailed address's mail budget is
 * spent, and every invitation, mail and event is written in one transaction (under the
 * organization's lock when it has a seat limit, which the whole batch must fit). Anything refused
 * there (the seats, an address's mail budget, a create that raced this one) refuses the whole
 * call with nothing written, and the budget spent is given back.
 */
async function createAll(
  deps: Deps,
  actor: Actor,
  batch: Inviting,
  inputs: CreateInvitationInput[],
): Promise<BulkOutcome[]> {
  const inviterOf = invitersOf(deps, actor, batch);
  // Who invites is not about an address: an inviter refused refuses the call with its own error.
  const inviters = await Promise.all(inputs.map(inviterOf));
  const now = deps.now();
  const refused = new Map<ErrorCode, string[]>();
  const refuse = (code: ErrorCode, email: string) => refused.set(code, [...(refused.get(code) ?? []), email]);
  const seen = new Set<string>();
  const addresses: string[] = [];
  for (const [index, input] of inputs.entries()) {
    const parsed = emailAddress.safeParse(input.emailAddress);
    if (!parsed.success) {
      throw new AppError('form_param_format_invalid', { meta: { param_name: `${index}.email_address` } });
    }
    const normalized = normalizeEmail(parsed.data);
    addresses.push(normalized);
    if (seen.has(normalized)) {
      refuse('duplicate_record', parsed.data);
      continue;
    }
    seen.add(normalized);
    const { member, pending } = await deps.store.findInvitationBlockers(batch.org.id, normalized);
    if (member) refuse('already_a_member_in_organization', parsed.data);
    else if (pending && pending.expiresAt > now) refuse('duplicate_record', parsed.data);
  }
  const refusedAll = refusal(refused);
  if (refusedAll) throw refusedAll;

  const spent: string[] = [];
  try {
    for (const [index, input] of inputs.entries()) {
      if (!(input.notify ?? true)) continue;
      await naming(input.emailAddress, () => deps.limits.invitationMail(addresses[index]!));
      spent.push(addresses[index]!);
    }
    const created = await deps.store.transaction(async (tx) => {
      const done: CreatedInvitation[] = [];
      for (const [index, input] of inputs.entries()) {
        const inviting = inviters[index]!;
        done.push(
          await naming(input.emailAddress, () => insertInvitation(deps, tx, { inviting, input, budgetSpent: true })),
        );
      }
      return done;
    });
    return created.map((c) => ({ ok: true, created: c }));
  } catch (error) {
    await Promise.all(spent.map((email) => deps.limits.refundInvitationMail(email)));
    throw error;
  }
}

/** The refusals that are about one address (its mail budget; a membership that raced the checks). */
const ADDRESS_CODES: ReadonlySet<ErrorCode> = new Set(['too_many_requests', 'already_a_member_in_organization']);

/**
 * Runs one address's step; its own refusal names it in `meta.email_addresses`, as the checks do.
 * A duplicate that raced the checks names itself already; the seat limit is the organization's.
 */
async function naming<T>(email: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof AppError) || !ADDRESS_CODES.has(error.code)) throw error;
    throw new AppError(error.code, {
      meta: { ...error.meta, param_name: 'email_address', email_addresses: [email] },
      retryAfterSeconds: error.retryAfterSeconds,
      cause: error,
    });
  }
}
