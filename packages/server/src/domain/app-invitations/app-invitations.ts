import type { InvitationStatus, Metadata } from '@roster/protocol';
import { emailAddress } from '@roster/protocol';
import { newId, newToken, normalizeEmail, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type EventDraft, recordEvents } from '../events/events.js';
import { acceptUrl, requireAllowedRedirect } from '../invitations/invitations.js';
import { queuedMail } from '../mail.js';
import type { OutboxMessage, Page } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { hasVerifiedEmail } from '../users/users.js';
import type { AppInvitation, AppInvitationOrder } from './store.js';

/**
 * Application invitations (Clerk's `/v1/invitations`): invite someone to sign up, with no
 * organization. Same tickets as organization invitations (decision 021): the mailed one proves the
 * address, the one shown to the Backend API (`url`) proves nothing; both go to `/accept-invitation`.
 */

const DAY_MS = 86_400_000;

/** The status a reader sees: a pending row past its expiry is `expired`. */
export function appInvitationStatus(invitation: AppInvitation, now: number): InvitationStatus {
  return invitation.status === 'pending' && invitation.expiresAt <= now ? 'expired' : invitation.status;
}

/** An application invitation's event draft (no organization). */
export function appInvitationEvent(
  type: 'invitation.created' | 'invitation.accepted' | 'invitation.revoked',
  invitation: AppInvitation,
): EventDraft {
  return { type, organizationId: null, subject: { kind: 'app_invitation', invitation } };
}

export interface CreateAppInvitationInput {
  emailAddress: string;
  publicMetadata?: Metadata | null;
  redirectUrl?: string | null;
  notify?: boolean | null;
  /** Create even if the address has a pending invitation (which this one replaces) or, for a single create, an account. */
  ignoreExisting?: boolean | null;
  expiresInDays?: number | null;
}

/** A created invitation and its shown link (the Backend API's `url`). */
export interface CreatedAppInvitation {
  invitation: AppInvitation;
  url: string;
}

interface Checked {
  input: CreateAppInvitationInput;
  email: string;
  emailNormalized: string;
  redirectUrl: string | null;
}

/** The address and redirect of each input, re-checked whatever the route validated. */
function checkInput(deps: Deps, input: CreateAppInvitationInput): Checked {
  const parsed = emailAddress.safeParse(input.emailAddress);
  if (!parsed.success) throw new AppError('form_param_format_invalid', { meta: { param_name: 'email_address' } });
  return {
    input,
    email: parsed.data,
    emailNormalized: normalizeEmail(parsed.data),
    redirectUrl: requireAllowedRedirect(deps, input.redirectUrl),
  };
}

type Refusal = 'duplicate_record' | 'form_identifier_exists';

/**
 * Throws one refusal naming every address of each reason in `meta.email_addresses` (nothing is
 * created), one error entry per reason in the order given, unless no address was refused.
 */
function refuseAll(...reasons: [Refusal, string[]][]): void {
  const [first, ...rest] = reasons
    .filter(([, emails]) => emails.length > 0)
    .map(([code, emails]) => new AppError(code, { meta: { param_name: 'email_address', email_addresses: emails } }));
  if (first) throw new AppError(first.code, { meta: first.meta, also: rest });
}

/**
 * Refuses the whole batch, as Clerk does, for any address already invited (pending, not expired)
 * unless its entry says `ignore_existing`, given twice, or held by an account (verified) unless a
 * single create says `ignore_existing` (Clerk's bulk never creates for an existing user, whatever
 * `ignore_existing` says). Both reasons are reported at once, each naming its addresses.
 */
async function requireCreatable(deps: Deps, checked: Checked[], single: boolean): Promise<void> {
  const now = deps.now();
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const taken: string[] = [];
  for (const c of checked) {
    if (seen.has(c.emailNormalized)) duplicates.push(c.email);
    seen.add(c.emailNormalized);
    const pending = await deps.store.findPendingAppInvitation(c.emailNormalized);
    if (pending && pending.expiresAt > now && !c.input.ignoreExisting) duplicates.push(c.email);
    const holder = await deps.store.findUserByEmail(c.emailNormalized);
    const userAllowed = single && c.input.ignoreExisting;
    if (holder && hasVerifiedEmail(holder, c.emailNormalized) && !userAllowed) taken.push(c.email);
  }
  refuseAll(['duplicate_record', duplicates], ['form_identifier_exists', taken]);
}

/** The outbox message that mails the mailed ticket (sealed). */
function appInvitationMail(deps: Deps, invitation: AppInvitation, token: string): OutboxMessage {
  const mail = queuedMail(
    {
      kind: 'app_invitation',
      toAddress: invitation.emailAddress,
      payload: {
        siteName: new URL(deps.settings.publicUrl).host,
        expiresAt: invitation.expiresAt,
        url: deps.secrets.seal(acceptUrl(deps.settings.publicUrl, token)),
      },
      invitationId: null,
    },
    deps.now(),
  );
  mail.messageId = `<${invitation.id}@roster>`;
  return mail;
}

/** Clears the address's stored pending invitation, if any: expired (past its expiry) or replaced (revoked). */
async function clearPending(deps: Deps, tx: Store, emailNormalized: string, drafts: EventDraft[]): Promise<void> {
  const now = deps.now();
  const pending = await tx.findPendingAppInvitation(emailNormalized);
  if (!pending) return;
  const expired = pending.expiresAt <= now;
  if (!(await tx.transitionAppInvitation({ id: pending.id, to: expired ? 'expired' : 'revoked', now }))) return;
  if (expired) return;
  if (pending.mailId) await tx.withdrawQueuedMailById(pending.mailId);
  drafts.push(appInvitationEvent('invitation.revoked', { ...pending, status: 'revoked', updatedAt: now }));
}

/** Inserts one checked invitation (and its mail) on `tx`; returns it with its shown link. */
async function insertOne(deps: Deps, tx: Store, c: Checked, drafts: EventDraft[]): Promise<CreatedAppInvitation> {
  const now = deps.now();
  await clearPending(deps, tx, c.emailNormalized, drafts);
  const token = newToken();
  const shown = newToken();
  const notify = c.input.notify ?? true;
  const invitation: AppInvitation = {
    id: newId('inv'),
    emailAddress: c.email,
    emailNormalized: c.emailNormalized,
    status: 'pending',
    tokenHash: sha256(token),
    urlTokenHash: sha256(shown),
    publicMetadata: c.input.publicMetadata ?? {},
    redirectUrl: c.redirectUrl,
    notify,
    mailId: null,
    expiresAt: now + (c.input.expiresInDays ?? deps.settings.invitationTtlDays) * DAY_MS,
    createdAt: now,
    updatedAt: now,
    acceptedUserId: null,
  };
  const mail = notify ? appInvitationMail(deps, invitation, token) : null;
  invitation.mailId = mail?.id ?? null;
  await tx.createAppInvitation(invitation);
  if (mail) await tx.enqueueMail(mail);
  drafts.push(appInvitationEvent('invitation.created', invitation));
  return { invitation, url: acceptUrl(deps.settings.publicUrl, shown) };
}

/**
 * Creates invitations, all or none (Clerk's bulk): every address is checked first, then all are
 * written in one transaction with their mail and events. Each mailed address spends one of its
 * mail budget (given back if the write is refused).
 */
export async function createAppInvitations(
  deps: Deps,
  inputs: CreateAppInvitationInput[],
  options: { single?: boolean } = {},
): Promise<CreatedAppInvitation[]> {
  const checked = inputs.map((input) => checkInput(deps, input));
  await requireCreatable(deps, checked, options.single ?? false);
  const mailed = checked.filter((c) => c.input.notify ?? true).map((c) => c.emailNormalized);
  const spent: string[] = [];
  try {
    for (const email of mailed) {
      await deps.limits.invitationMail(email);
      spent.push(email);
    }
    const created = await deps.store.transaction(async (tx) => {
      const drafts: EventDraft[] = [];
      const done: CreatedAppInvitation[] = [];
      for (const c of checked) done.push(await insertOne(deps, tx, c, drafts));
      await recordEvents(deps.events, tx, drafts);
      return done;
    });
    if (mailed.length > 0) deps.mailQueued();
    return created;
  } catch (error) {
    await Promise.all(spent.map((email) => deps.limits.refundInvitationMail(email)));
    if (error instanceof UniqueViolation) refuseAll(['duplicate_record', checked.map((c) => c.email)]);
    throw error;
  }
}

/** Creates one invitation (its `ignore_existing` also lets an existing account's address through). */
export async function createAppInvitation(deps: Deps, input: CreateAppInvitationInput): Promise<CreatedAppInvitation> {
  const [created] = await createAppInvitations(deps, [input], { single: true });
  return created!;
}

/** Lists invitations: one status (none: all but revoked, as Clerk), `query` on address or id, Clerk's orders. */
export function listAppInvitations(
  deps: Deps,
  options: { status?: InvitationStatus; query?: string; orderBy: string; limit: number; offset: number },
): Promise<Page<AppInvitation>> {
  const descending = options.orderBy.startsWith('-');
  const field = options.orderBy.replace(/^[+-]/, '') as AppInvitationOrder;
  return deps.store.listAppInvitations({
    statuses: options.status ? [options.status] : ['pending', 'accepted', 'expired'],
    ...(options.query && { query: options.query.trim() }),
    orderBy: field,
    descending,
    limit: options.limit,
    offset: options.offset,
    now: deps.now(),
  });
}

/** Finds an invitation by id, or throws `invitation_not_found`. */
export async function getAppInvitation(store: Store, id: string): Promise<AppInvitation> {
  const invitation = await store.findAppInvitation(id);
  if (!invitation) throw new AppError('invitation_not_found', { meta: { invitation_id: id.slice(0, 64) } });
  return invitation;
}

/**
 * Revokes a pending (or expired) invitation with one conditional update; its links then sign up
 * no one, and its mail still queued is withdrawn. Accepted and revoked ones are `invitation_not_pending`.
 */
export async function revokeAppInvitation(deps: Deps, id: string): Promise<AppInvitation> {
  const invitation = await getAppInvitation(deps.store, id);
  const now = deps.now();
  const revoked: AppInvitation = { ...invitation, status: 'revoked', updatedAt: now };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.transitionAppInvitation({ id, to: 'revoked', now }))) {
      const current = await getAppInvitation(tx, id);
      throw new AppError('invitation_not_pending', { meta: { status: appInvitationStatus(current, now) } });
    }
    if (invitation.mailId) await tx.withdrawQueuedMailById(invitation.mailId);
    await recordEvents(deps.events, tx, [appInvitationEvent('invitation.revoked', revoked)]);
  });
  return revoked;
}
