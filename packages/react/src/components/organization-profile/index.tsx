'use client';
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useAuth } from '../use-auth.js';
import { useOrganization } from '../use-organization.js';
import { type Appearance, classOf } from './appearance.js';
import { InvitationsPanel } from './invitations-panel.js';
import { MembersList } from './members-list.js';
import { Header, Root } from './ui.js';

/**
 * Props of `<OrganizationProfile/>`.
 *
 * @example
 * ```tsx
 * const props: OrganizationProfileProps = { defaultTab: 'invitations' };
 * ```
 */
export interface OrganizationProfileProps {
  /** The tab shown first (admins only see `invitations`). Default `members`. */
  defaultTab?: 'members' | 'invitations';
  appearance?: Appearance;
}

type Tab = 'members' | 'invitations';

/**
 * The active organization: its members (admins change roles and remove people) and, for admins,
 * invitations (invite by email with a role; pending ones with their email delivery status,
 * revocable). Lists refresh after every change without a reload.
 *
 * @example
 * ```tsx
 * export default function Page() {
 *   return <OrganizationProfile defaultTab="invitations" />;
 * }
 * ```
 */
export function OrganizationProfile(props: OrganizationProfileProps): ReactNode {
  const { appearance } = props;
  const { organization, isLoaded } = useOrganization();
  const { has } = useAuth();
  const canManage = has({ permission: 'org:sys_memberships:manage' });
  const [chosen, setChosen] = useState<Tab>(props.defaultTab ?? 'members');
  const tab: Tab = canManage ? chosen : 'members';
  const id = useId();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ members: null, invitations: null });
  const tabs: Tab[] = canManage ? ['members', 'invitations'] : ['members'];

  if (!isLoaded) {
    return (
      <Root appearance={appearance} name="organization-profile" busy>
        <p className="roster-muted">Loading…</p>
      </Root>
    );
  }
  if (!organization) {
    return (
      <Root appearance={appearance} name="organization-profile">
        <h2>No organization</h2>
        <p className="roster-muted">Create an organization, or join one you were invited to.</p>
      </Root>
    );
  }

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.indexOf(tab);
    const next =
      event.key === 'ArrowRight'
        ? tabs[(index + 1) % tabs.length]
        : event.key === 'ArrowLeft'
          ? tabs[(index - 1 + tabs.length) % tabs.length]
          : event.key === 'Home'
            ? tabs[0]
            : event.key === 'End'
              ? tabs[tabs.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    setChosen(next);
    tabRefs.current[next]?.focus();
  };

  const label: Record<Tab, string> = {
    members: `Members (${organization.membersCount})`,
    invitations: `Invitations (${organization.pendingInvitationsCount})`,
  };

  return (
    <Root appearance={appearance} name="organization-profile">
      <Header appearance={appearance} title={organization.name}>
        {organization.slug}
      </Header>
      <div role="tablist" aria-label="Organization" className="roster-tabs" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-${t}-tab`}
            aria-selected={tab === t}
            aria-controls={`${id}-${t}-panel`}
            tabIndex={tab === t ? 0 : -1}
            className={classOf(appearance, 'tab')}
            onClick={() => setChosen(t)}
          >
            {label[t]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-${tab}-panel`} aria-labelledby={`${id}-${tab}-tab`}>
        {tab === 'members' ? (
          <MembersList appearance={appearance} canManage={canManage} />
        ) : (
          <InvitationsPanel appearance={appearance} />
        )}
      </div>
    </Root>
  );
}
