'use client';
import type { OrganizationMembershipRequest } from '@roster/client';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../../localization/context.js';
import type { PaginatedResources } from '../../types.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { Confirm } from '../confirm.js';
import { FormattedDate } from '../format.js';
import { Pager } from '../pager.js';
import { Alert, messageOf, Notice } from '../ui.js';
import { LoadError } from './load-error.js';

/** "Ada Lovelace", else the address they asked with. */
const nameOf = (r: OrganizationMembershipRequest): string =>
  [r.publicUserData.firstName, r.publicUserData.lastName].filter(Boolean).join(' ') || r.publicUserData.identifier;

/**
 * Requests to join (Clerk's Members → Requests): people who verified an address on one of the
 * organization's domains and asked to join from a suggestion. Holders of
 * `org:sys_memberships:manage` approve (they become members) or reject (after confirming); others
 * only see the list. After a decision focus goes to the next request's Approve, or the heading.
 */
export function RequestsTab(props: {
  appearance: Appearance | undefined;
  requests: PaginatedResources<OrganizationMembershipRequest>;
  canManage: boolean;
  organizationName: string;
}): ReactNode {
  const { appearance, requests, canManage } = props;
  const l = useLocalization();
  const { t } = l;
  const id = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const approveButtons = useRef(new Map<string, HTMLButtonElement>());
  const rejectButtons = useRef(new Map<string, HTMLButtonElement>());
  /** After a decision: the request that went, and where it stood, until the list no longer shows it. */
  const refocus = useRef<{ id: string; index: number } | null>(null);

  useEffect(() => {
    const target = refocus.current;
    if (!target || requests.data.some((r) => r.id === target.id)) return;
    refocus.current = null;
    const next = requests.data[Math.min(target.index, requests.data.length - 1)];
    ((next && approveButtons.current.get(next.id)) ?? headingRef.current)?.focus();
  }, [requests.data]);

  const decide = async (request: OrganizationMembershipRequest, index: number, how: 'accept' | 'reject') => {
    if (busy) return;
    setBusy(request.id);
    setError(null);
    setNotice(null);
    const name = nameOf(request);
    try {
      refocus.current = { id: request.id, index };
      if (how === 'accept') await request.accept();
      else await request.reject();
      setRejecting(null);
      setNotice(
        how === 'accept'
          ? t('organizationProfile.membersPage.requestsTab.approved', {
              name,
              organizationName: props.organizationName,
            })
          : t('organizationProfile.membersPage.requestsTab.rejected', { name }),
      );
    } catch (e) {
      refocus.current = null;
      setRejecting(null);
      setError(messageOf(e, l));
      (how === 'accept' ? approveButtons : rejectButtons).current.get(request.id)?.focus();
    } finally {
      setBusy(null);
    }
  };

  const loadFailed = requests.error !== null && requests.data.length === 0;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('organizationProfile.membersPage.requestsTab.title')}
        {!requests.isLoading && !loadFailed && <span className="roster-muted"> ({requests.count})</span>}
      </h3>
      <p className="roster-muted" style={{ margin: '0 0 8px' }}>
        {t('organizationProfile.membersPage.requestsTab.subtitle')}
        {!canManage && <> {t('organizationProfile.membersPage.requestsTab.readOnly')}</>}
      </p>
      <Notice appearance={appearance} message={notice} />
      <Alert appearance={appearance} message={error} />
      {loadFailed ? (
        <LoadError
          appearance={appearance}
          what={t('organizationProfile.membersPage.requestsTab.loadError')}
          error={requests.error}
          retry={requests.revalidate}
        />
      ) : requests.isLoading ? (
        <p className="roster-muted" aria-busy="true">
          {t('organizationProfile.membersPage.requestsTab.loading')}
        </p>
      ) : requests.data.length === 0 ? (
        <p className="roster-muted">{t('organizationProfile.membersPage.requestsTab.table__emptyRow')}</p>
      ) : (
        <ul className={classOf(appearance, 'list')} aria-labelledby={`${id}-title`} data-testid="request-list">
          {requests.data.map((request, index) => {
            const name = nameOf(request);
            const u = request.publicUserData;
            return (
              <li
                key={request.id}
                className={classOf(appearance, 'listItem', 'roster-member-row')}
                data-email={u.identifier}
              >
                <Avatar appearance={appearance} name={name} imageUrl={u.imageUrl} hasImage={u.hasImage} />
                <span className="roster-grow">
                  <strong>{name}</strong>
                  <br />
                  <span className="roster-muted">
                    {name !== u.identifier && <>{u.identifier} · </>}
                    {l.rich('organizationProfile.membersPage.requestsTab.requestedOn', {
                      date: <FormattedDate date={request.createdAt} />,
                    })}
                  </span>
                </span>
                {canManage && (
                  <>
                    <button
                      ref={(el) => {
                        if (el) approveButtons.current.set(request.id, el);
                        else approveButtons.current.delete(request.id);
                      }}
                      type="button"
                      className={classOf(appearance, 'button')}
                      aria-disabled={busy !== null || undefined}
                      aria-label={t('organizationProfile.membersPage.requestsTab.approveLabel', { name })}
                      onClick={() => void decide(request, index, 'accept')}
                    >
                      {busy === request.id && rejecting !== request.id
                        ? t('organizationProfile.membersPage.requestsTab.menuAction__approve__busy')
                        : t('organizationProfile.membersPage.requestsTab.menuAction__approve')}
                    </button>
                    <button
                      ref={(el) => {
                        if (el) rejectButtons.current.set(request.id, el);
                        else rejectButtons.current.delete(request.id);
                      }}
                      type="button"
                      className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
                      aria-disabled={busy !== null || undefined}
                      aria-expanded={rejecting === request.id}
                      aria-label={t('organizationProfile.membersPage.requestsTab.rejectLabel', { name })}
                      onClick={() => busy === null && setRejecting(request.id)}
                    >
                      {t('organizationProfile.membersPage.requestsTab.menuAction__reject')}
                    </button>
                  </>
                )}
                {rejecting === request.id && (
                  <div style={{ flexBasis: '100%', minWidth: 0 }}>
                    <Confirm
                      appearance={appearance}
                      danger
                      title={t('organizationProfile.membersPage.requestsTab.reject.title', { name })}
                      confirmLabel={t('organizationProfile.membersPage.requestsTab.menuAction__reject')}
                      busyLabel={t('organizationProfile.membersPage.requestsTab.reject.busy')}
                      busy={busy === request.id}
                      onConfirm={() => void decide(request, index, 'reject')}
                      onCancel={() => {
                        setRejecting(null);
                        rejectButtons.current.get(request.id)?.focus();
                      }}
                    >
                      <p className="roster-muted" style={{ margin: 0 }}>
                        {t('organizationProfile.membersPage.requestsTab.reject.messageLine1')}
                      </p>
                    </Confirm>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!loadFailed && (
        <Pager
          appearance={appearance}
          list={requests}
          label={t('organizationProfile.membersPage.requestsTab.pagesLabel')}
        />
      )}
    </section>
  );
}
