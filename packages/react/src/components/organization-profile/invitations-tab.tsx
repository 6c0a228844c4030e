'use client';
import { isRosterAPIError, type OrganizationInvitation, type RoleKey, RosterBulkInvitationError } from '@roster/client';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useOrganization } from '../../use-organization.js';
import { type Appearance, classOf } from '../appearance.js';
import { countOf, FormattedDate } from '../format.js';
import { Pager } from '../pager.js';
import { ROLE_OPTIONS } from '../roles.js';
import { Alert, messageOf, Notice } from '../ui.js';
import { LoadError } from './load-error.js';

/** While an email is still queued, look again this often. */
const DELIVERY_POLL_MS = 2_000;

/** Splits what was typed into addresses: commas, semicolons, spaces or new lines between them. */
export function splitAddresses(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter((a) => a && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

function delivery(invitation: OrganizationInvitation): { text: string; tone: string } {
  const d = invitation.emailDelivery;
  switch (d.status) {
    case 'sent':
      return { text: 'Email sent', tone: 'success' };
    case 'queued':
      return { text: d.attempts > 0 ? `Sending (attempt ${d.attempts + 1})…` : 'Sending…', tone: 'muted' };
    case 'failed':
      return { text: `Email failed${d.lastError ? `: ${d.lastError}` : ''}`, tone: 'danger' };
    default:
      return { text: 'Not emailed', tone: 'muted' };
  }
}

/** The statuses the "Ended" view lists: every invitation that is no longer pending. */
const ENDED_STATUSES = ['accepted', 'revoked', 'expired'] as const;

/**
 * How an ended invitation ended. A decline keeps Clerk's `revoked` status; `declined` tells it
 * apart from an admin's revoke.
 */
export function endedLabel(invitation: OrganizationInvitation): string {
  if (invitation.declined) return 'Declined';
  switch (invitation.status) {
    case 'accepted':
      return 'Accepted';
    case 'expired':
      return 'Expired';
    case 'revoked':
      return 'Revoked';
    default:
      return 'Pending';
  }
}

/**
 * Invite people (several addresses at once, one role for all); see, refresh and revoke pending
 * invitations; see how ended ones ended. Focus never drops to the page: after an invite it is
 * back in the address box, after a revoke on the next invitation's Revoke (or the list's heading).
 */
export function InvitationsPanel(props: { appearance: Appearance | undefined }): ReactNode {
  const { appearance } = props;
  const [view, setView] = useState<'pending' | 'ended'>('pending');
  const { organization, invitations } = useOrganization({
    invitations: { pageSize: 10, keepPreviousData: true, status: view === 'pending' ? 'pending' : ENDED_STATUSES },
  });
  const [text, setText] = useState('');
  const [role, setRole] = useState<RoleKey>('org:member');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [resending, setResending] = useState<string | null>(null);
  const emailsId = useId();
  const roleId = useId();
  const viewId = useId();
  const titleId = useId();
  const addressesRef = useRef<HTMLTextAreaElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const revokeButtons = useRef(new Map<string, HTMLButtonElement>());
  /** After a revoke: the invitation that went, and where it stood, until the list no longer shows it. */
  const refocus = useRef<{ id: string; index: number } | null>(null);
  const queued = invitations.data.some((i) => i.emailDelivery.status === 'queued');
  const { revalidate } = invitations;
  const addresses = splitAddresses(text);

  useEffect(() => {
    if (!queued) return;
    const timer = setInterval(() => void revalidate(), DELIVERY_POLL_MS);
    return () => clearInterval(timer);
  }, [queued, revalidate]);

  // Once the revoked invitation has left the list, focus the one now in its place (or the one
  // before it, or the heading when none is left).
  useEffect(() => {
    const target = refocus.current;
    if (!target || invitations.data.some((i) => i.id === target.id)) return;
    refocus.current = null;
    const next = invitations.data[Math.min(target.index, invitations.data.length - 1)];
    const button = next ? revokeButtons.current.get(next.id) : undefined;
    (button ?? headingRef.current)?.focus();
  }, [invitations.data]);

  const onInvite = async (event: FormEvent) => {
    event.preventDefault();
    if (!organization || pending || addresses.length === 0) return;
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const created = await organization.inviteMembers({ emailAddresses: addresses, role });
      setText('');
      setNotice(
        created.length === 1
          ? `Invited ${created[0]?.emailAddress}.`
          : `Invited ${countOf(created.length, 'person', 'people')}.`,
      );
    } catch (e) {
      if (e instanceof RosterBulkInvitationError) {
        const refused = e.errors.map((x) => `${String(x.meta.emailAddress ?? '')}: ${x.longMessage}`);
        // Leave only the refused addresses in the box, to fix or remove.
        setText(e.errors.map((x) => String(x.meta.emailAddress ?? '')).join(', '));
        if (e.created.length > 0) setNotice(`Invited ${e.created.length} of ${addresses.length}.`);
        setError(`Not invited — ${refused.join('; ')}`);
      } else if (isRosterAPIError(e) && e.errors.length > 1) {
        setError(e.errors.map((x) => x.longMessage).join(' '));
      } else {
        setError(messageOf(e));
      }
    } finally {
      setPending(false);
      addressesRef.current?.focus();
    }
  };

  const revoke = async (invitation: OrganizationInvitation, index: number) => {
    if (revoking) return;
    setRevoking(invitation.id);
    setError(null);
    setNotice(null);
    try {
      refocus.current = { id: invitation.id, index };
      await invitation.revoke();
      setNotice(`Revoked the invitation for ${invitation.emailAddress}.`);
    } catch (e) {
      refocus.current = null;
      setError(messageOf(e));
      revokeButtons.current.get(invitation.id)?.focus();
    } finally {
      setRevoking(null);
    }
  };

  // Resend mails the same invitation (role and metadata kept) with a new link; the old one stops working.
  const resend = async (invitation: OrganizationInvitation) => {
    if (resending) return;
    setResending(invitation.id);
    setError(null);
    setNotice(null);
    try {
      await invitation.resend();
      setNotice(`Sent a new invitation to ${invitation.emailAddress}. The earlier link no longer works.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setResending(null);
    }
  };

  const loadFailed = invitations.error !== null && invitations.data.length === 0;
  const title = view === 'pending' ? 'Pending invitations' : 'Ended invitations';

  return (
    <div>
      <section aria-labelledby={`${titleId}-invite`}>
        <h3 id={`${titleId}-invite`}>Invite members</h3>
        <form className={classOf(appearance, 'form')} onSubmit={onInvite} aria-labelledby={`${titleId}-invite`}>
          <div className={classOf(appearance, 'field')}>
            <label className={classOf(appearance, 'label')} htmlFor={emailsId}>
              Email addresses
            </label>
            <textarea
              ref={addressesRef}
              id={emailsId}
              name="email_addresses"
              className={classOf(appearance, 'input')}
              rows={2}
              placeholder="ada@example.com, grace@example.com"
              aria-describedby={`${emailsId}-hint`}
              aria-invalid={error !== null || undefined}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <span id={`${emailsId}-hint`} className="roster-muted">
              Separate addresses with commas, spaces or new lines
              {addresses.length > 1 ? ` (${countOf(addresses.length, 'address', 'addresses')}).` : '.'}
            </span>
          </div>
          <div className={classOf(appearance, 'field')}>
            <label className={classOf(appearance, 'label')} htmlFor={roleId}>
              Role
            </label>
            <select
              id={roleId}
              className={classOf(appearance, 'input')}
              value={role}
              onChange={(e) => setRole(e.target.value as RoleKey)}
            >
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <Alert appearance={appearance} message={error} />
          <Notice appearance={appearance} message={notice} />
          <button
            type="submit"
            className={classOf(appearance, 'button')}
            aria-disabled={pending || undefined}
            disabled={!pending && addresses.length === 0}
          >
            {pending ? 'Sending…' : 'Send invitations'}
          </button>
        </form>
      </section>

      <section aria-labelledby={`${titleId}-list`} style={{ marginTop: 24 }}>
        <h3 id={`${titleId}-list`} ref={headingRef} tabIndex={-1}>
          {title}
          {!invitations.isLoading && !loadFailed && <span className="roster-muted"> ({invitations.count})</span>}
        </h3>
        <div className={classOf(appearance, 'field')}>
          <label className={classOf(appearance, 'label')} htmlFor={viewId}>
            Show
          </label>
          <select
            id={viewId}
            className={classOf(appearance, 'input')}
            value={view}
            onChange={(e) => setView(e.target.value as 'pending' | 'ended')}
          >
            <option value="pending">Pending</option>
            <option value="ended">Ended (accepted, declined, revoked, expired)</option>
          </select>
        </div>
        {loadFailed ? (
          <LoadError
            appearance={appearance}
            what={view === 'pending' ? 'the pending invitations' : 'the ended invitations'}
            error={invitations.error}
            retry={invitations.revalidate}
          />
        ) : invitations.isLoading ? (
          <p className="roster-muted" aria-busy="true">
            Loading invitations…
          </p>
        ) : invitations.data.length === 0 ? (
          <p className="roster-muted">{view === 'pending' ? 'No pending invitations.' : 'No ended invitations.'}</p>
        ) : view === 'ended' ? (
          <ul
            className={classOf(appearance, 'list')}
            aria-labelledby={`${titleId}-list`}
            data-testid="ended-invitations"
          >
            {invitations.data.map((invitation) => (
              <li key={invitation.id} className={classOf(appearance, 'listItem')}>
                <span className="roster-grow">
                  <strong>{invitation.emailAddress}</strong>
                  <br />
                  <span className="roster-muted">
                    {invitation.roleName} · invited <FormattedDate date={invitation.createdAt} /> · ended{' '}
                    <FormattedDate date={invitation.updatedAt} />
                  </span>
                </span>
                <span
                  className={classOf(appearance, 'badge')}
                  data-tone={invitation.declined ? 'danger' : 'muted'}
                  data-ended={invitation.declined ? 'declined' : invitation.status}
                >
                  {endedLabel(invitation)}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <ul
            className={classOf(appearance, 'list')}
            aria-labelledby={`${titleId}-list`}
            data-testid="pending-invitations"
          >
            {invitations.data.map((invitation, index) => {
              const d = delivery(invitation);
              return (
                <li key={invitation.id} className={classOf(appearance, 'listItem', 'roster-member-row')}>
                  <span className="roster-grow">
                    <strong>{invitation.emailAddress}</strong>
                    <br />
                    <span className="roster-muted">
                      {invitation.roleName} · invited <FormattedDate date={invitation.createdAt} /> · expires{' '}
                      <FormattedDate date={invitation.expiresAt} />
                    </span>
                  </span>
                  <span
                    className={classOf(appearance, 'badge')}
                    data-tone={d.tone}
                    data-delivery={invitation.emailDelivery.status}
                  >
                    {d.text}
                  </span>
                  <button
                    type="button"
                    className={classOf(appearance, 'buttonSecondary')}
                    aria-disabled={resending !== null || undefined}
                    aria-label={`Resend invitation to ${invitation.emailAddress}`}
                    onClick={() => void resend(invitation)}
                  >
                    {resending === invitation.id ? 'Resending…' : 'Resend'}
                  </button>
                  <button
                    ref={(el) => {
                      if (el) revokeButtons.current.set(invitation.id, el);
                      else revokeButtons.current.delete(invitation.id);
                    }}
                    type="button"
                    className={classOf(appearance, 'buttonSecondary')}
                    aria-disabled={revoking !== null || undefined}
                    aria-label={`Revoke invitation for ${invitation.emailAddress}`}
                    onClick={() => void revoke(invitation, index)}
                  >
                    {revoking === invitation.id ? 'Revoking…' : 'Revoke'}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {!loadFailed && <Pager appearance={appearance} list={invitations} label="Invitation pages" />}
      </section>
    </div>
  );
}
