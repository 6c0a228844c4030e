'use client';
import { isRosterAPIError, type OrganizationInvitation, type RoleKey, RosterBulkInvitationError } from '@roster/client';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { useOrganization } from '../use-organization.js';
import { type Appearance, classOf } from './appearance.js';
import { ROLE_OPTIONS } from './members-list.js';
import { Pager } from './pager.js';
import { Alert, messageOf, Notice, SubmitButton } from './ui.js';

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

/** Invite people (one role for all); see, refresh and revoke pending invitations; see how ended ones ended. */
export function InvitationsPanel(props: { appearance: Appearance | undefined }): ReactNode {
  const { appearance } = props;
  const [view, setView] = useState<'pending' | 'ended'>('pending');
  const { organization, invitations } = useOrganization({
    invitations: { pageSize: 20, keepPreviousData: true, status: view === 'pending' ? 'pending' : ENDED_STATUSES },
  });
  const [text, setText] = useState('');
  const [role, setRole] = useState<RoleKey>('org:member');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);
  const emailsId = useId();
  const roleId = useId();
  const viewId = useId();
  const queued = invitations.data.some((i) => i.emailDelivery.status === 'queued');
  const { revalidate } = invitations;

  useEffect(() => {
    if (!queued) return;
    const timer = setInterval(() => void revalidate(), DELIVERY_POLL_MS);
    return () => clearInterval(timer);
  }, [queued, revalidate]);

  const onInvite = async (event: FormEvent) => {
    event.preventDefault();
    if (!organization) return;
    const emailAddresses = splitAddresses(text);
    if (emailAddresses.length === 0) return;
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const created = await organization.inviteMembers({ emailAddresses, role });
      setText('');
      setNotice(created.length === 1 ? `Invited ${created[0]?.emailAddress}.` : `Invited ${created.length} people.`);
    } catch (e) {
      if (e instanceof RosterBulkInvitationError) {
        const refused = e.errors.map((x) => `${String(x.meta.emailAddress ?? '')}: ${x.longMessage}`);
        setText(e.errors.map((x) => String(x.meta.emailAddress ?? '')).join(', '));
        if (e.created.length > 0) setNotice(`Invited ${e.created.length} of ${emailAddresses.length}.`);
        setError(`Not invited — ${refused.join('; ')}`);
      } else if (isRosterAPIError(e) && e.errors.length > 1) {
        setError(e.errors.map((x) => x.longMessage).join(' '));
      } else {
        setError(messageOf(e));
      }
    } finally {
      setPending(false);
    }
  };

  const revoke = async (invitation: OrganizationInvitation) => {
    setRevoking(invitation.id);
    setError(null);
    try {
      await invitation.revoke();
      setNotice(`Revoked the invitation for ${invitation.emailAddress}.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setRevoking(null);
    }
  };

  return (
    <section aria-labelledby="roster-invite-title">
      <h3 id="roster-invite-title">Invite members</h3>
      <form className={classOf(appearance, 'form')} onSubmit={onInvite} aria-labelledby="roster-invite-title">
        <div className={classOf(appearance, 'field')}>
          <label className={classOf(appearance, 'label')} htmlFor={emailsId}>
            Email addresses
          </label>
          <textarea
            id={emailsId}
            className={classOf(appearance, 'input')}
            rows={2}
            placeholder="ada@example.com, grace@example.com"
            aria-describedby={`${emailsId}-hint`}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <span id={`${emailsId}-hint`} className="roster-muted">
            Separate addresses with commas or new lines.
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
        <SubmitButton
          appearance={appearance}
          busy={pending}
          busyLabel="Sending…"
          disabled={splitAddresses(text).length === 0}
        >
          Send invitations
        </SubmitButton>
      </form>

      <h3 id="roster-pending-title" style={{ marginTop: 24 }}>
        {view === 'pending' ? 'Pending invitations' : 'Ended invitations'}{' '}
        <span className="roster-muted">({invitations.count})</span>
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
      {invitations.isLoading ? (
        <p className="roster-muted">Loading invitations…</p>
      ) : invitations.data.length === 0 ? (
        <p className="roster-muted">{view === 'pending' ? 'No pending invitations.' : 'No ended invitations.'}</p>
      ) : view === 'ended' ? (
        <ul
          className={classOf(appearance, 'list')}
          aria-labelledby="roster-pending-title"
          data-testid="ended-invitations"
        >
          {invitations.data.map((invitation) => (
            <li key={invitation.id} className={classOf(appearance, 'listItem')}>
              <span className="roster-grow">
                <strong>{invitation.emailAddress}</strong>
                <br />
                <span className="roster-muted">
                  {invitation.roleName} · invited {invitation.createdAt.toLocaleDateString()} · ended{' '}
                  {invitation.updatedAt.toLocaleDateString()}
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
          aria-labelledby="roster-pending-title"
          data-testid="pending-invitations"
        >
          {invitations.data.map((invitation) => {
            const d = delivery(invitation);
            return (
              <li key={invitation.id} className={classOf(appearance, 'listItem')}>
                <span className="roster-grow">
                  <strong>{invitation.emailAddress}</strong>
                  <br />
                  <span className="roster-muted">
                    {invitation.roleName} · invited {invitation.createdAt.toLocaleDateString()} · expires{' '}
                    {invitation.expiresAt.toLocaleDateString()}
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
                  disabled={revoking !== null}
                  aria-label={`Revoke invitation for ${invitation.emailAddress}`}
                  onClick={() => void revoke(invitation)}
                >
                  {revoking === invitation.id ? 'Revoking…' : 'Revoke'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Pager appearance={appearance} list={invitations} label="Invitation pages" />
    </section>
  );
}
