'use client';
import type { OrganizationMembership, RoleKey } from '@roster/client';
import { type ReactNode, useState } from 'react';
import { useAuth } from '../use-auth.js';
import { useOrganization } from '../use-organization.js';
import { type Appearance, classOf } from './appearance.js';
import { Pager } from './pager.js';
import { Alert, messageOf } from './ui.js';

export const ROLE_OPTIONS: { value: RoleKey; label: string }[] = [
  { value: 'org:member', label: 'Member' },
  { value: 'org:admin', label: 'Admin' },
];

const displayName = (m: OrganizationMembership) =>
  [m.publicUserData.firstName, m.publicUserData.lastName].filter(Boolean).join(' ') || m.publicUserData.identifier;

/** The members of the active organization; admins can change roles and remove people. */
export function MembersList(props: { appearance: Appearance | undefined; canManage: boolean }): ReactNode {
  const { appearance, canManage } = props;
  const { userId } = useAuth();
  const { memberships } = useOrganization({ memberships: { pageSize: 20, keepPreviousData: true } });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="roster-members-title">
      <h3 id="roster-members-title">
        Members <span className="roster-muted">({memberships.count})</span>
      </h3>
      <Alert appearance={appearance} message={error ?? (memberships.error ? messageOf(memberships.error) : null)} />
      {memberships.isLoading ? (
        <p className="roster-muted">Loading members…</p>
      ) : (
        <ul className={classOf(appearance, 'list')} data-testid="members">
          {memberships.data.map((m) => {
            const name = displayName(m);
            const you = m.publicUserData.userId === userId;
            return (
              <li key={m.id} className={classOf(appearance, 'listItem')}>
                <span className="roster-grow">
                  <strong>{name}</strong>
                  {you && <span className="roster-muted"> (you)</span>}
                  <br />
                  <span className="roster-muted">
                    {m.publicUserData.identifier} · joined {m.createdAt.toLocaleDateString()}
                  </span>
                </span>
                {canManage ? (
                  <>
                    <select
                      className={classOf(appearance, 'input')}
                      aria-label={`Role of ${name}`}
                      value={m.role}
                      disabled={busy !== null}
                      onChange={(e) => void run(m.id, () => m.update({ role: e.target.value as RoleKey }))}
                    >
                      {ROLE_OPTIONS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className={classOf(appearance, 'buttonSecondary')}
                      disabled={busy !== null}
                      aria-label={`${you ? 'Leave' : 'Remove'} ${name}`}
                      onClick={() => void run(m.id, () => m.destroy())}
                    >
                      {you ? 'Leave' : 'Remove'}
                    </button>
                  </>
                ) : (
                  <span className={classOf(appearance, 'badge')}>{m.roleName}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Pager appearance={appearance} list={memberships} label="Members pages" />
    </section>
  );
}
