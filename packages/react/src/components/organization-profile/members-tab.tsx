'use client';
import type { OrganizationMembership, RoleKey } from '@roster/client';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../../localization/context.js';
import { useAuth } from '../../use-auth.js';
import { useOrganization } from '../../use-organization.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { Confirm } from '../confirm.js';
import { FormattedDate } from '../format.js';
import { roleNameOf } from '../organization-switcher/items.js';
import { Pager } from '../pager.js';
import { bareOption, roleDescription, useRoleOptions, withRole } from '../roles.js';
import { Alert, messageOf, Notice } from '../ui.js';
import { LoadError } from './load-error.js';

const PAGE_SIZE = 10;
/** Wait this long after the last keystroke before searching, so typing a name is one request. */
const SEARCH_DELAY_MS = 250;

export const displayName = (m: OrganizationMembership): string =>
  [m.publicUserData.firstName, m.publicUserData.lastName].filter(Boolean).join(' ') || m.publicUserData.identifier;

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === settled) return;
    const timer = setTimeout(() => setSettled(value), value === '' ? 0 : ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}

type Pending = { kind: 'role'; id: string; role: RoleKey } | { kind: 'remove'; id: string };

/**
 * The members of the active organization, searchable and paged. Admins change a role (asked to
 * confirm, then told how it went in a live region) and remove people (asked to confirm).
 */
export function MembersTab(props: {
  appearance: Appearance | undefined;
  canManage: boolean;
  organizationName: string;
}): ReactNode {
  const { appearance, canManage } = props;
  const { userId } = useAuth();
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const { organization, memberships } = useOrganization({
    memberships: { pageSize: PAGE_SIZE, keepPreviousData: true, query },
  });
  // Only those who change roles see a select, so only they need the roles.
  const roles = useRoleOptions(organization, canManage);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const searchId = useId();
  const l = useLocalization();
  const { t } = l;
  const optionOf = (role: RoleKey, name?: string) => roles.find(role) ?? bareOption(role, l, name);
  const captionRef = useRef<HTMLParagraphElement>(null);
  const controls = useRef(new Map<string, HTMLElement>());
  const refFor = (key: string) => (el: HTMLElement | null) => {
    if (el) controls.current.set(key, el);
    else controls.current.delete(key);
  };
  const focus = (key: string) => (controls.current.get(key) ?? captionRef.current)?.focus();

  const settle = async (action: () => Promise<string>, focusAfter: { ok: string; failed: string }) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      setPending(null);
      setBusy(false);
      // After a removal the row is gone: the caption ("2 members") is where the reader goes on from.
      requestAnimationFrame(() => focus(focusAfter.ok));
    } catch (e) {
      setError(messageOf(e, l));
      setPending(null);
      setBusy(false);
      requestAnimationFrame(() => focus(focusAfter.failed));
    }
  };

  const changeRole = (m: OrganizationMembership, role: RoleKey) => {
    const name = displayName(m);
    void settle(
      async () => {
        await m.update({ role });
        return t('organizationProfile.membersPage.activeMembersTab.roleChanged', { name, role: optionOf(role).label });
      },
      { ok: `role:${m.id}`, failed: `role:${m.id}` },
    );
  };

  const remove = (m: OrganizationMembership) => {
    const name = displayName(m);
    void settle(
      async () => {
        await m.destroy();
        return t('organizationProfile.membersPage.activeMembersTab.removed', {
          name,
          organizationName: props.organizationName,
        });
      },
      { ok: 'caption', failed: `remove:${m.id}` },
    );
  };

  const caption = memberships.isLoading
    ? t('organizationProfile.membersPage.loading')
    : query
      ? l.count('organizationProfile.membersPage.memberCount__matching', memberships.count, { query })
      : l.count('organizationProfile.membersPage.memberCount', memberships.count);

  return (
    <div>
      <div className={classOf(appearance, 'field')}>
        <label className={classOf(appearance, 'label')} htmlFor={searchId}>
          {t('organizationProfile.membersPage.search.label')}
        </label>
        <input
          id={searchId}
          type="search"
          className={classOf(appearance, 'input')}
          placeholder={t('organizationProfile.membersPage.search.placeholder')}
          autoComplete="off"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <Notice appearance={appearance} message={notice} />
      <Alert appearance={appearance} message={error} />
      {canManage && roles.error !== null && (
        <LoadError
          appearance={appearance}
          what={t('organizationProfile.roles.loadError')}
          error={roles.error}
          retry={roles.retry}
        />
      )}
      {memberships.error && memberships.data.length === 0 ? (
        <LoadError
          appearance={appearance}
          what={t('organizationProfile.membersPage.loadError')}
          error={memberships.error}
          retry={memberships.revalidate}
        />
      ) : (
        <>
          <p
            ref={captionRef}
            tabIndex={-1}
            className="roster-muted"
            data-testid="members-caption"
            aria-live="polite"
            aria-busy={memberships.isLoading || undefined}
          >
            {caption}
          </p>
          {!memberships.isLoading && memberships.data.length === 0 && (
            <p className="roster-muted">
              {query
                ? t('organizationProfile.membersPage.detailsTitle__noMatch', { query })
                : t('organizationProfile.membersPage.detailsTitle__emptyRow')}
            </p>
          )}
          {memberships.data.length > 0 && (
            <ul
              className={classOf(appearance, 'list')}
              data-testid="members"
              aria-label={t('organizationProfile.membersPage.start.headerTitle__members')}
            >
              {memberships.data.map((m) => {
                const name = displayName(m);
                const you = m.publicUserData.userId === userId;
                const open = pending?.id === m.id ? pending : null;
                return (
                  <li key={m.id} className={classOf(appearance, 'listItem', 'roster-member-row')}>
                    <Avatar
                      appearance={appearance}
                      name={name}
                      imageUrl={m.publicUserData.imageUrl}
                      hasImage={m.publicUserData.hasImage}
                    />
                    <span className="roster-grow">
                      <strong>{name}</strong>
                      {you && <span className="roster-muted"> ({t('badge__you').toLowerCase()})</span>}
                      <br />
                      <span className="roster-muted">
                        {m.publicUserData.identifier} ·{' '}
                        {l.rich('organizationProfile.membersPage.activeMembersTab.joinedOn', {
                          date: <FormattedDate date={m.createdAt} />,
                        })}
                      </span>
                    </span>
                    {canManage ? (
                      <>
                        <select
                          ref={refFor(`role:${m.id}`)}
                          className={classOf(appearance, 'input')}
                          aria-label={t('organizationProfile.membersPage.activeMembersTab.roleOf', { name })}
                          value={open?.kind === 'role' ? open.role : m.role}
                          aria-busy={roles.isLoading || undefined}
                          onChange={(e) => {
                            const role = e.target.value as RoleKey;
                            if (busy) return;
                            setPending(role === m.role ? null : { kind: 'role', id: m.id, role });
                          }}
                        >
                          {withRole(roles.options, m.role, m.roleName, l).map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                        {!you && (
                          <button
                            ref={refFor(`remove:${m.id}`)}
                            type="button"
                            className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
                            aria-label={t('organizationProfile.membersPage.activeMembersTab.removeLabel', { name })}
                            aria-expanded={open?.kind === 'remove'}
                            onClick={() => !busy && setPending({ kind: 'remove', id: m.id })}
                          >
                            {t('organizationProfile.membersPage.activeMembersTab.action__remove')}
                          </button>
                        )}
                      </>
                    ) : (
                      <span className={classOf(appearance, 'badge')}>{roleNameOf(m.role, m.roleName, l)}</span>
                    )}
                    {open && (
                      <div style={{ flexBasis: '100%' }}>
                        {open.kind === 'role' ? (
                          <Confirm
                            appearance={appearance}
                            title={t('organizationProfile.membersPage.activeMembersTab.changeRole.title', {
                              name,
                              from: optionOf(m.role, m.roleName).label,
                              to: optionOf(open.role).label,
                            })}
                            confirmLabel={t('organizationProfile.membersPage.activeMembersTab.changeRole.confirm')}
                            busyLabel={t('organizationProfile.membersPage.activeMembersTab.changeRole.busy')}
                            busy={busy}
                            onConfirm={() => changeRole(m, open.role)}
                            onCancel={() => {
                              setPending(null);
                              focus(`role:${m.id}`);
                            }}
                          >
                            <p className="roster-muted" style={{ margin: 0 }}>
                              {roleDescription(optionOf(open.role), l)}
                            </p>
                          </Confirm>
                        ) : (
                          <Confirm
                            appearance={appearance}
                            danger
                            title={t('organizationProfile.membersPage.activeMembersTab.removeMember.title', {
                              name,
                              organizationName: props.organizationName,
                            })}
                            confirmLabel={t('organizationProfile.membersPage.activeMembersTab.menuAction__remove')}
                            busyLabel={t('organizationProfile.membersPage.activeMembersTab.removeMember.busy')}
                            busy={busy}
                            onConfirm={() => remove(m)}
                            onCancel={() => {
                              setPending(null);
                              focus(`remove:${m.id}`);
                            }}
                          >
                            <p className="roster-muted" style={{ margin: 0 }}>
                              {t('organizationProfile.membersPage.activeMembersTab.removeMember.messageLine1')}
                            </p>
                          </Confirm>
                        )}
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          <Pager
            appearance={appearance}
            list={memberships}
            label={t('organizationProfile.membersPage.activeMembersTab.pagesLabel')}
          />
        </>
      )}
    </div>
  );
}
