'use client';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useAppearance } from '../../appearance-context.js';
import { useRosterContext } from '../../context.js';
import { useLocalization } from '../../localization/context.js';
import type { LocalizationKey } from '../../localization/localizer.js';
import { useAuth } from '../../use-auth.js';
import { useOrganization } from '../../use-organization.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { Notice, Root } from '../ui.js';
import { GeneralTab } from './general-tab.js';
import { InvitationsPanel } from './invitations-tab.js';
import { MembersTab } from './members-tab.js';
import { RequestsTab } from './requests-tab.js';

/**
 * Props of `<OrganizationProfile/>`.
 *
 * @example
 * ```tsx
 * const props: OrganizationProfileProps = { defaultTab: 'invitations', afterLeaveOrganizationUrl: '/' };
 * ```
 */
export interface OrganizationProfileProps {
  /**
   * The tab shown first (only holders of `org:sys_memberships:manage` see `invitations` and
   * `requests`). Default `members`.
   */
  defaultTab?: Tab;
  /** Where to go after leaving the organization (Clerk's name); default: stay and show the next one. */
  afterLeaveOrganizationUrl?: string;
  /** Where to go after deleting it; default `afterLeaveOrganizationUrl`. */
  afterDeleteOrganizationUrl?: string;
  appearance?: Appearance;
}

type Tab = 'general' | 'members' | 'invitations' | 'requests';
const TAB_LABELS: Record<Tab, LocalizationKey> = {
  general: 'organizationProfile.navbar.general',
  members: 'organizationProfile.navbar.members',
  invitations: 'organizationProfile.membersPage.start.headerTitle__invitations',
  requests: 'organizationProfile.membersPage.start.headerTitle__requests',
};

/**
 * The active organization, as Clerk's `<OrganizationProfile/>`: General (name and slug for
 * admins, verified domains, leave, delete with its name typed), Members (search, pages; admins
 * change roles and remove people, each confirmed), for admins Invitations (several addresses at
 * once; pending ones with their email delivery status, revocable), and Requests (people asking to
 * join from a domain's suggestion, with a count; approve or reject). Lists refresh after every change.
 *
 * @example
 * ```tsx
 * export default function Page() {
 *   return <OrganizationProfile defaultTab="invitations" afterLeaveOrganizationUrl="/" />;
 * }
 * ```
 */
export function OrganizationProfile(props: OrganizationProfileProps): ReactNode {
  const appearance = useAppearance(props.appearance);
  const { navigate } = useRosterContext('OrganizationProfile');
  const { organization, isLoaded, membershipRequests } = useOrganization({
    membershipRequests: { pageSize: 10, keepPreviousData: true },
  });
  const { has } = useAuth();
  const l = useLocalization();
  const { t } = l;
  const canManage = has({ permission: 'org:sys_memberships:manage' });
  const canReadRequests = canManage;
  const canManageDomains = has({ permission: 'org:sys_domains:manage' });
  const canReadDomains = canManageDomains || has({ permission: 'org:sys_domains:read' });
  const canEdit = has({ permission: 'org:sys_profile:manage' });
  const canDelete = has({ permission: 'org:sys_profile:delete' }) && organization?.adminDeleteEnabled === true;
  const [chosen, setChosen] = useState<Tab>(props.defaultTab ?? 'members');
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const tabs: Tab[] = [
    'general',
    'members',
    ...(canManage ? (['invitations'] as const) : []),
    ...(canReadRequests ? (['requests'] as const) : []),
  ];
  const requestCount = membershipRequests.count;
  const tab: Tab = tabs.includes(chosen) ? chosen : 'members';
  const id = useId();
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** The organization just left or deleted: once another one (or none) shows, its heading takes focus. */
  const gone = useRef<string | null>(null);
  const shownId = organization?.id ?? null;
  useEffect(() => {
    if (gone.current === null || gone.current === shownId) return;
    gone.current = null;
    headingRef.current?.focus();
  }, [shownId]);

  const onGone = (how: 'left' | 'deleted', name: string) => {
    const to =
      how === 'left'
        ? props.afterLeaveOrganizationUrl
        : (props.afterDeleteOrganizationUrl ?? props.afterLeaveOrganizationUrl);
    setAnnouncement(
      t(
        how === 'left'
          ? 'organizationProfile.profilePage.dangerSection.leaveOrganization.successMessage'
          : 'organizationProfile.profilePage.dangerSection.deleteOrganization.successMessage',
        { organizationName: name },
      ),
    );
    if (to) return void navigate(to);
    // Staying: the next organization (or none) shows up here; its heading is where to go on from.
    gone.current = shownId;
  };

  if (!isLoaded) {
    return (
      <Root appearance={appearance} name="organization-profile" busy>
        <p className="roster-muted" role="status">
          {t('organizationProfile.loading')}
        </p>
      </Root>
    );
  }
  if (!organization) {
    return (
      <Root appearance={appearance} name="organization-profile">
        <Notice appearance={appearance} message={announcement} />
        <h2 ref={headingRef} tabIndex={-1}>
          {t('organizationProfile.empty.title')}
        </h2>
        <p className="roster-muted">{t('organizationProfile.empty.subtitle')}</p>
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

  return (
    <Root appearance={appearance} name="organization-profile">
      <Notice appearance={appearance} message={announcement} />
      <div className={classOf(appearance, 'header')} style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
        <Avatar
          appearance={appearance}
          name={organization.name}
          imageUrl={organization.imageUrl}
          hasImage={organization.hasImage}
          size={40}
          square
        />
        <div className="roster-grow">
          <h2 ref={headingRef} tabIndex={-1}>
            {organization.name}
          </h2>
          <p>{organization.slug}</p>
        </div>
      </div>
      <div
        role="tablist"
        aria-label={t('organizationProfile.navbar.title')}
        className="roster-tabs"
        onKeyDown={onKeyDown}
      >
        {tabs.map((each) => (
          <button
            key={each}
            ref={(el) => {
              tabRefs.current[each] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-${each}-tab`}
            aria-selected={tab === each}
            aria-controls={`${id}-${each}-panel`}
            tabIndex={tab === each ? 0 : -1}
            className={classOf(appearance, 'tab')}
            onClick={() => setChosen(each)}
          >
            {t(TAB_LABELS[each])}
            {each === 'requests' && requestCount > 0 && (
              <>
                {' '}
                <span className={classOf(appearance, 'badge')} data-testid="requests-badge">
                  <span aria-hidden="true">{requestCount}</span>
                  <span className="roster-sr-only">
                    {l.count('organizationProfile.membersPage.requestsTab.requestCount', requestCount)}
                  </span>
                </span>
              </>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-${tab}-panel`} aria-labelledby={`${id}-${tab}-tab`}>
        {tab === 'general' ? (
          <GeneralTab
            key={organization.id}
            appearance={appearance}
            organization={organization}
            canEdit={canEdit}
            canDelete={canDelete}
            canReadDomains={canReadDomains}
            canManageDomains={canManageDomains}
            onGone={onGone}
          />
        ) : tab === 'members' ? (
          <MembersTab
            key={organization.id}
            appearance={appearance}
            canManage={canManage}
            organizationName={organization.name}
          />
        ) : tab === 'requests' ? (
          <RequestsTab
            key={organization.id}
            appearance={appearance}
            requests={membershipRequests}
            canManage={canManage}
            organizationName={organization.name}
          />
        ) : (
          <InvitationsPanel key={organization.id} appearance={appearance} />
        )}
      </div>
    </Root>
  );
}
