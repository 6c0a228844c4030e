'use client';
import type { OrganizationInvitation } from '@roster/client';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../../localization/context.js';
import type { Localizer } from '../../localization/localizer.js';
import { useOrganization } from '../../use-organization.js';
import { type Appearance, classOf } from '../appearance.js';
import { FormattedDate } from '../format.js';
import { InviteMembersForm } from '../invite-members-form.js';
import { roleNameOf } from '../organization-switcher/items.js';
import { Pager } from '../pager.js';
import { Alert, messageOf, Notice } from '../ui.js';
import { LoadError } from './load-error.js';

/** While an email is still queued, look again this often. */
const DELIVERY_POLL_MS = 2_000;

function delivery(invitation: OrganizationInvitation, { t }: Localizer): { text: string; tone: string } {
  const d = invitation.emailDelivery;
  switch (d.status) {
    case 'sent':
      return { text: t('organizationProfile.membersPage.invitedMembersTab.delivery__sent'), tone: 'success' };
    case 'queued':
      return {
        text:
          d.attempts > 0
            ? t('organizationProfile.membersPage.invitedMembersTab.delivery__retrying', { attempt: d.attempts + 1 })
            : t('organizationProfile.membersPage.invitedMembersTab.delivery__queued'),
        tone: 'muted',
      };
    case 'failed':
      return {
        text: d.lastError
          ? t('organizationProfile.membersPage.invitedMembersTab.delivery__failedWith', { error: d.lastError })
          : t('organizationProfile.membersPage.invitedMembersTab.delivery__failed'),
        tone: 'danger',
      };
    default:
      return { text: t('organizationProfile.membersPage.invitedMembersTab.delivery__none'), tone: 'muted' };
  }
}

/** The statuses the "Ended" view lists: every invitation that is no longer pending. */
const ENDED_STATUSES = ['accepted', 'revoked', 'expired'] as const;

/**
 * How an ended invitation ended. A decline keeps Clerk's `revoked` status; `declined` tells it
 * apart from an admin's revoke.
 */
export function endedLabel(invitation: OrganizationInvitation, { t }: Localizer): string {
  if (invitation.declined) return t('organizationProfile.membersPage.invitedMembersTab.status__declined');
  switch (invitation.status) {
    case 'accepted':
      return t('organizationProfile.membersPage.invitedMembersTab.status__accepted');
    case 'expired':
      return t('organizationProfile.membersPage.invitedMembersTab.status__expired');
    case 'revoked':
      return t('organizationProfile.membersPage.invitedMembersTab.status__revoked');
    default:
      return t('organizationProfile.membersPage.invitedMembersTab.status__pending');
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
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [resending, setResending] = useState<string | null>(null);
  const [copying, setCopying] = useState<string | null>(null);
  const [shownLink, setShownLink] = useState<{ id: string; url: string; message: string } | null>(null);
  const shownLinkRef = useRef<HTMLInputElement>(null);
  const linkId = useId();
  const l = useLocalization();
  const { t } = l;
  const viewId = useId();
  const titleId = useId();
  const addressesRef = useRef<HTMLTextAreaElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const revokeButtons = useRef(new Map<string, HTMLButtonElement>());
  /** After a revoke: the invitation that went, and where it stood, until the list no longer shows it. */
  const refocus = useRef<{ id: string; index: number } | null>(null);
  const queued = invitations.data.some((i) => i.emailDelivery.status === 'queued');
  const { revalidate } = invitations;

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

  const revoke = async (invitation: OrganizationInvitation, index: number) => {
    if (revoking) return;
    setRevoking(invitation.id);
    setError(null);
    setNotice(null);
    try {
      refocus.current = { id: invitation.id, index };
      await invitation.revoke();
      setNotice(
        t('organizationProfile.membersPage.invitedMembersTab.revoked', { emailAddress: invitation.emailAddress }),
      );
    } catch (e) {
      refocus.current = null;
      setError(messageOf(e, l));
      revokeButtons.current.get(invitation.id)?.focus();
    } finally {
      setRevoking(null);
    }
  };

  // Copy link (decision 029): a fresh link for the admin to pass on by hand. It proves nothing about
  // the address, so whoever opens it confirms the address by an emailed code first (the server's rule).
  const copyLink = async (invitation: OrganizationInvitation) => {
    if (copying) return;
    setCopying(invitation.id);
    setError(null);
    setNotice(null);
    setShownLink(null);
    try {
      const url = await invitation.createLink();
      const values = { emailAddress: invitation.emailAddress };
      try {
        await navigator.clipboard.writeText(url);
        setNotice(t('organizationProfile.membersPage.invitedMembersTab.linkCopied', values));
      } catch {
        // No clipboard (permission refused, insecure origin): show it, selected, to copy by hand.
        setShownLink({
          id: invitation.id,
          url,
          message: t('organizationProfile.membersPage.invitedMembersTab.linkShown', values),
        });
      }
    } catch (e) {
      setError(messageOf(e, l));
    } finally {
      setCopying(null);
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
      setNotice(
        t('organizationProfile.membersPage.invitedMembersTab.resent', { emailAddress: invitation.emailAddress }),
      );
    } catch (e) {
      setError(messageOf(e, l));
    } finally {
      setResending(null);
    }
  };

  // A shown link takes the focus, selected, ready to copy.
  useEffect(() => {
    if (shownLink) shownLinkRef.current?.focus();
  }, [shownLink]);

  const loadFailed = invitations.error !== null && invitations.data.length === 0;
  const title =
    view === 'pending'
      ? t('organizationProfile.membersPage.invitedMembersTab.title__pending')
      : t('organizationProfile.membersPage.invitedMembersTab.title__ended');

  return (
    <div>
      <section aria-labelledby={`${titleId}-invite`}>
        <h3 id={`${titleId}-invite`}>{t('organizationProfile.invitePage.title')}</h3>
        <InviteMembersForm
          appearance={appearance}
          organization={organization}
          labelledBy={`${titleId}-invite`}
          addressesRef={addressesRef}
        />
      </section>

      <section aria-labelledby={`${titleId}-list`} style={{ marginTop: 24 }}>
        <h3 id={`${titleId}-list`} ref={headingRef} tabIndex={-1}>
          {title}
          {!invitations.isLoading && !loadFailed && <span className="roster-muted"> ({invitations.count})</span>}
        </h3>
        <Alert appearance={appearance} message={error} />
        <Notice appearance={appearance} message={notice} />
        {shownLink && (
          <div className={classOf(appearance, 'field')}>
            <label className={classOf(appearance, 'label')} htmlFor={linkId}>
              {shownLink.message}
            </label>
            <input
              ref={shownLinkRef}
              id={linkId}
              className={classOf(appearance, 'input')}
              readOnly
              value={shownLink.url}
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
        )}
        <div className={classOf(appearance, 'field')}>
          <label className={classOf(appearance, 'label')} htmlFor={viewId}>
            {t('organizationProfile.membersPage.invitedMembersTab.view__label')}
          </label>
          <select
            id={viewId}
            className={classOf(appearance, 'input')}
            value={view}
            onChange={(e) => setView(e.target.value as 'pending' | 'ended')}
          >
            <option value="pending">{t('organizationProfile.membersPage.invitedMembersTab.view__pending')}</option>
            <option value="ended">{t('organizationProfile.membersPage.invitedMembersTab.view__ended')}</option>
          </select>
        </div>
        {loadFailed ? (
          <LoadError
            appearance={appearance}
            what={
              view === 'pending'
                ? t('organizationProfile.membersPage.invitedMembersTab.loadError__pending')
                : t('organizationProfile.membersPage.invitedMembersTab.loadError__ended')
            }
            error={invitations.error}
            retry={invitations.revalidate}
          />
        ) : invitations.isLoading ? (
          <p className="roster-muted" aria-busy="true">
            {t('organizationProfile.membersPage.invitedMembersTab.loading')}
          </p>
        ) : invitations.data.length === 0 ? (
          <p className="roster-muted">
            {view === 'pending'
              ? t('organizationProfile.membersPage.invitationsTab.table__emptyRow')
              : t('organizationProfile.membersPage.invitedMembersTab.table__emptyRow__ended')}
          </p>
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
                    {roleNameOf(invitation.role, invitation.roleName, l)} ·{' '}
                    {l.rich('organizationProfile.membersPage.invitedMembersTab.invitedOn', {
                      date: <FormattedDate date={invitation.createdAt} />,
                    })}{' '}
                    ·{' '}
                    {l.rich('organizationProfile.membersPage.invitedMembersTab.endedOn', {
                      date: <FormattedDate date={invitation.updatedAt} />,
                    })}
                  </span>
                </span>
                <span
                  className={classOf(appearance, 'badge')}
                  data-tone={invitation.declined ? 'danger' : 'muted'}
                  data-ended={invitation.declined ? 'declined' : invitation.status}
                >
                  {endedLabel(invitation, l)}
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
              const d = delivery(invitation, l);
              return (
                <li key={invitation.id} className={classOf(appearance, 'listItem', 'roster-member-row')}>
                  <span className="roster-grow">
                    <strong>{invitation.emailAddress}</strong>
                    <br />
                    <span className="roster-muted">
                      {roleNameOf(invitation.role, invitation.roleName, l)} ·{' '}
                      {l.rich('organizationProfile.membersPage.invitedMembersTab.invitedOn', {
                        date: <FormattedDate date={invitation.createdAt} />,
                      })}{' '}
                      ·{' '}
                      {l.rich('organizationProfile.membersPage.invitedMembersTab.expiresOn', {
                        date: <FormattedDate date={invitation.expiresAt} />,
                      })}
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
                    aria-label={t('organizationProfile.membersPage.invitedMembersTab.resendLabel', {
                      emailAddress: invitation.emailAddress,
                    })}
                    onClick={() => void resend(invitation)}
                  >
                    {resending === invitation.id
                      ? t('organizationProfile.membersPage.invitedMembersTab.menuAction__resend__busy')
                      : t('organizationProfile.membersPage.invitedMembersTab.menuAction__resend')}
                  </button>
                  <button
                    type="button"
                    className={classOf(appearance, 'buttonSecondary')}
                    aria-disabled={copying !== null || undefined}
                    aria-label={t('organizationProfile.membersPage.invitedMembersTab.copyLinkLabel', {
                      emailAddress: invitation.emailAddress,
                    })}
                    onClick={() => void copyLink(invitation)}
                  >
                    {copying === invitation.id
                      ? t('organizationProfile.membersPage.invitedMembersTab.menuAction__copyLink__busy')
                      : t('organizationProfile.membersPage.invitedMembersTab.menuAction__copyLink')}
                  </button>
                  <button
                    ref={(el) => {
                      if (el) revokeButtons.current.set(invitation.id, el);
                      else revokeButtons.current.delete(invitation.id);
                    }}
                    type="button"
                    className={classOf(appearance, 'buttonSecondary')}
                    aria-disabled={revoking !== null || undefined}
                    aria-label={t('organizationProfile.membersPage.invitedMembersTab.revokeLabel', {
                      emailAddress: invitation.emailAddress,
                    })}
                    onClick={() => void revoke(invitation, index)}
                  >
                    {revoking === invitation.id
                      ? t('organizationProfile.membersPage.invitedMembersTab.menuAction__revoke__busy')
                      : t('organizationProfile.membersPage.invitedMembersTab.menuAction__revoke')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {!loadFailed && (
          <Pager
            appearance={appearance}
            list={invitations}
            label={t('organizationProfile.membersPage.invitedMembersTab.pagesLabel')}
          />
        )}
      </section>
    </div>
  );
}
