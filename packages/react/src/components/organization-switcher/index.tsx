'use client';
import type { UserOrganizationInvitation } from '@roster/client';
import {
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useAppearance } from '../../appearance-context.js';
import { useRosterContext } from '../../context.js';
import { useLocalization } from '../../localization/context.js';
import { useAuth, useUser } from '../../use-auth.js';
import { useOrganization } from '../../use-organization.js';
import { useOrganizationList } from '../../use-organization-list.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { CreateOrganization } from '../create-organization.js';
import { OrganizationProfile, type OrganizationProfileProps } from '../organization-profile/index.js';
import { placeInViewport, usePlacedOnResize } from '../popover.js';
import { Alert, messageOf, Root } from '../ui.js';
import {
  AccountButton,
  ActiveAccount,
  InvitationRow,
  OrganizationButton,
  roleNameOf,
  SuggestionSection,
  useRequestToJoin,
  userLabel,
} from './items.js';
import { Modal } from './profile-modal.js';

/**
 * Props of `<OrganizationSwitcher/>` (Clerk's names).
 *
 * @example
 * ```tsx
 * const props: OrganizationSwitcherProps = { afterSelectOrganizationUrl: '/organization', organizationProfileUrl: '/organization/profile' };
 * ```
 */
export interface OrganizationSwitcherProps {
  /** Where to go after switching to or joining an organization (default: stay). */
  afterSelectOrganizationUrl?: string;
  /** Where to go after switching to the personal account (default: stay). */
  afterSelectPersonalUrl?: string;
  /** Where to go after creating one (default: stay). */
  afterCreateOrganizationUrl?: string;
  /** Leave out the personal account (no active organization) from the list. Default `false`. */
  hidePersonal?: boolean;
  /** Hide the "Create organization" entry. */
  hideCreateOrganization?: boolean;
  /** Leave out the step that invites people after creating one (see `<CreateOrganization/>`). */
  skipInvitationScreen?: boolean;
  /** No slug field in the create form. */
  hideSlug?: boolean;
  /** "Create organization" goes to this page instead of opening the form in the panel. */
  createOrganizationUrl?: string;
  /** "Manage organization" goes to this page (implies `organizationProfileMode: 'navigation'`). */
  organizationProfileUrl?: string;
  /** `modal` (default without a URL) opens `<OrganizationProfile/>` over the page; `navigation` goes to `organizationProfileUrl`. */
  organizationProfileMode?: 'modal' | 'navigation';
  /** Passed to the `<OrganizationProfile/>` of the modal. */
  organizationProfileProps?: Omit<OrganizationProfileProps, 'appearance'>;
  /** Start open (useful on a page of its own). */
  defaultOpen?: boolean;
  appearance?: Appearance;
}

/** The panel's controls that arrow keys move between (not inside the create form). */
const itemsOf = (panel: HTMLElement | null) =>
  panel ? [...panel.querySelectorAll<HTMLElement>('[data-roster-item]')] : [];

/**
 * A button showing the active organization (or the personal account) that opens a panel: the
 * active one with "Manage organization", the other accounts to switch to, invitations waiting
 * for the user (with a count badge, and Join), organizations suggested by a verified domain
 * ("Request to join", then "Requested"), and "Create organization". For admins the badge also
 * counts the requests to join the active organization. Opened from the
 * keyboard (Enter, Space, ArrowDown) its first entry takes focus; ArrowUp/ArrowDown/Home/End
 * move between entries; Escape or a click outside closes it, Escape back onto the button.
 *
 * @example
 * ```tsx
 * <header><OrganizationSwitcher afterCreateOrganizationUrl="/organization" organizationProfileUrl="/organization/profile" /></header>
 * ```
 */
export function OrganizationSwitcher(props: OrganizationSwitcherProps): ReactNode {
  const { hidePersonal = false } = props;
  const appearance = useAppearance(props.appearance);
  const { navigate } = useRosterContext('OrganizationSwitcher');
  const { has } = useAuth();
  // Admins (who can decide) also count the requests to join the active organization, as Clerk's
  // badge does; nobody else asks for them.
  const canDecide = has({ permission: 'org:sys_memberships:manage' });
  const { organization, membership, isLoaded, membershipRequests } = useOrganization({
    membershipRequests: canDecide && { pageSize: 1 },
  });
  const { user } = useUser();
  const { userMemberships, userInvitations, userSuggestions, setActive } = useOrganizationList({
    userMemberships: { pageSize: 50 },
    userInvitations: { pageSize: 20 },
    // Asked ones stay listed, as "Requested", until an admin decides (Clerk's switcher does the same).
    userSuggestions: { pageSize: 20, status: ['pending', 'accepted'] },
  });
  const l = useLocalization();
  const { t } = l;
  const [open, setOpen] = useState(props.defaultOpen ?? false);
  const [creating, setCreating] = useState(false);
  const [managing, setManaging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const focusFirst = useRef(false);
  usePlacedOnResize(panelRef, open);
  const pendingCount = userInvitations.count;
  const requestCount = canDecide ? (membershipRequests?.count ?? 0) : 0;
  const badgeCount = pendingCount + requestCount;
  const others = userMemberships.data.filter((m) => m.organization.id !== organization?.id);
  const personalActive = isLoaded && !organization;
  const modal = props.organizationProfileMode
    ? props.organizationProfileMode === 'modal'
    : !props.organizationProfileUrl;

  const close = useCallback(() => {
    setOpen(false);
    setCreating(false);
    buttonRef.current?.focus();
  }, []);

  const toggleFromKeyboard = (event: ReactKeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'Enter' && event.key !== ' ' && event.key !== 'ArrowDown') return;
    // Handled here, so the browser's own click (Enter on keydown, Space on keyup) must not toggle again.
    event.preventDefault();
    if (open && event.key !== 'ArrowDown') return close();
    focusFirst.current = true;
    if (open) itemsOf(panelRef.current)[0]?.focus();
    setOpen(true);
  };

  // Keep the panel inside the viewport (a trigger near the right edge of a phone's header),
  // and give its first entry focus when the keyboard opened it.
  useLayoutEffect(() => {
    const panel = panelRef.current;
    if (!open || !panel) return;
    placeInViewport(panel);
    if (focusFirst.current) {
      focusFirst.current = false;
      itemsOf(panel)[0]?.focus();
    }
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) {
        setOpen(false);
        setCreating(false);
      }
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close]);

  const onPanelKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const target = event.target as HTMLElement;
    if (target.closest('form, input, textarea, select')) return; // keys keep their meaning in the form
    const items = itemsOf(panelRef.current);
    if (items.length === 0) return;
    event.preventDefault();
    const index = items.indexOf(target);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? items.length - 1
          : event.key === 'ArrowDown'
            ? (index + 1) % items.length
            : (index - 1 + items.length) % items.length;
    items[next]?.focus();
  };

  /** Runs a switch or join; on success the panel closes onto the button (and navigates if asked). */
  const run = async (key: string, action: () => Promise<unknown>, then?: string) => {
    if (busy) return;
    setBusy(key);
    setError(null);
    try {
      await action();
      setBusy(null);
      close();
      if (then) await navigate(then);
    } catch (e) {
      setError(messageOf(e, l));
      setBusy(null);
    }
  };

  const join = (invitation: UserOrganizationInvitation) =>
    run(
      invitation.id,
      async () => {
        await invitation.accept();
        await setActive({ organization: invitation.publicOrganizationData.id });
      },
      props.afterSelectOrganizationUrl,
    );

  const { requested, request } = useRequestToJoin({ busy, setBusy, setError });

  const manage = () => {
    if (!modal && props.organizationProfileUrl) {
      setOpen(false);
      void navigate(props.organizationProfileUrl);
      return;
    }
    setOpen(false);
    setManaging(true);
  };

  const triggerName = organization
    ? organization.name
    : !isLoaded
      ? t('organizationSwitcher.loading')
      : hidePersonal
        ? t('organizationSwitcher.notSelected')
        : t('organizationSwitcher.personalWorkspace');

  return (
    <Root appearance={appearance} name="organization-switcher" card={false}>
      <div ref={rootRef} style={{ position: 'relative', display: 'inline-block', maxWidth: '100%' }}>
        <button
          ref={buttonRef}
          type="button"
          className={classOf(appearance, 'buttonSecondary', 'roster-trigger')}
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          onClick={() => (open ? close() : setOpen(true))}
          onKeyDown={toggleFromKeyboard}
          onKeyUp={(event) => {
            if (event.key === ' ') event.preventDefault();
          }}
          disabled={!isLoaded}
        >
          {isLoaded &&
            (organization ? (
              <Avatar
                appearance={appearance}
                name={organization.name}
                imageUrl={organization.imageUrl}
                hasImage={organization.hasImage}
                size={24}
                square
              />
            ) : hidePersonal ? null : (
              <Avatar
                appearance={appearance}
                name={userLabel(user, l)}
                imageUrl={user?.imageUrl}
                hasImage={user?.hasImage}
                size={24}
              />
            ))}
          <span className="roster-grow" data-testid="switcher-active">
            {triggerName}
          </span>
          {badgeCount > 0 && (
            <span className={classOf(appearance, 'badge')} data-testid="switcher-badge">
              <span aria-hidden="true">{badgeCount}</span>
              <span className="roster-sr-only">
                {[
                  pendingCount > 0 && l.count('organizationSwitcher.invitationCount', pendingCount),
                  requestCount > 0 && l.count('organizationSwitcher.requestCount', requestCount),
                ]
                  .filter(Boolean)
                  .join(', ')}
              </span>
            </span>
          )}
          <span aria-hidden="true">▾</span>
        </button>
        {open && (
          <div
            ref={panelRef}
            id={panelId}
            role="dialog"
            aria-label={t('organizationSwitcher.title')}
            className={`${classOf(appearance, 'card')} roster-popover`}
            onKeyDown={onPanelKeyDown}
          >
            <Alert appearance={appearance} message={error} />
            <ActiveAccount
              appearance={appearance}
              organization={organization ?? null}
              roleName={membership ? roleNameOf(membership.role, membership.roleName, l) : ''}
              user={user}
              hidePersonal={hidePersonal}
              manageOpensDialog={modal}
              requestCount={requestCount}
              onManage={manage}
            />

            <p className="roster-section-title" id={`${panelId}-orgs`}>
              {organization || !hidePersonal
                ? t('organizationSwitcher.title__switchTo')
                : t('organizationSwitcher.title__yourOrganizations')}
            </p>
            {userMemberships.error && userMemberships.data.length === 0 ? (
              <div role="alert" className={classOf(appearance, 'alert')}>
                {t('organizationList.loadError')} {messageOf(userMemberships.error, l)}{' '}
                <button type="button" className="roster-link" onClick={() => void userMemberships.revalidate()}>
                  {t('action__tryAgain')}
                </button>
              </div>
            ) : userMemberships.isLoading ? (
              <p className="roster-muted" aria-busy="true">
                {t('organizationList.loading')}
              </p>
            ) : others.length === 0 && (personalActive || hidePersonal) ? (
              <p className="roster-muted">
                {userMemberships.data.length === 0
                  ? t('organizationList.empty')
                  : t('organizationSwitcher.noOtherOrganization')}
              </p>
            ) : (
              <ul className={classOf(appearance, 'list')} aria-labelledby={`${panelId}-orgs`}>
                {!hidePersonal && !personalActive && (
                  <li>
                    <AccountButton
                      appearance={appearance}
                      name={t('organizationSwitcher.personalWorkspace')}
                      detail={userLabel(user, l)}
                      imageUrl={user?.imageUrl}
                      hasImage={user?.hasImage}
                      busy={busy !== null}
                      onClick={() =>
                        void run('personal', () => setActive({ organization: null }), props.afterSelectPersonalUrl)
                      }
                    />
                  </li>
                )}
                {others.map((m) => (
                  <li key={m.id}>
                    <OrganizationButton
                      appearance={appearance}
                      membership={m}
                      busy={busy !== null}
                      onClick={() =>
                        void run(
                          m.id,
                          () => setActive({ organization: m.organization.id }),
                          props.afterSelectOrganizationUrl,
                        )
                      }
                    />
                  </li>
                ))}
              </ul>
            )}

            {userInvitations.data.length > 0 && (
              <>
                <p className="roster-section-title" id={`${panelId}-invitations`}>
                  {t('organizationSwitcher.title__invitations')}{' '}
                  <span className={classOf(appearance, 'badge')}>{pendingCount}</span>
                  <span className="roster-sr-only">
                    {' '}
                    ({l.count('organizationSwitcher.invitationCount', pendingCount)})
                  </span>
                </p>
                <ul className={classOf(appearance, 'list')} aria-labelledby={`${panelId}-invitations`}>
                  {userInvitations.data.map((invitation) => (
                    <InvitationRow
                      key={invitation.id}
                      appearance={appearance}
                      invitation={invitation}
                      joining={busy === invitation.id}
                      busy={busy !== null}
                      onJoin={() => void join(invitation)}
                    />
                  ))}
                </ul>
              </>
            )}

            <SuggestionSection
              appearance={appearance}
              suggestions={userSuggestions.data}
              titleAs="p"
              titleId={`${panelId}-suggestions`}
              testId="switcher-suggestions"
              requested={requested}
              busy={busy}
              onRequest={(suggestion) => void request(suggestion)}
            />

            {!props.hideCreateOrganization &&
              (creating ? (
                <div style={{ marginTop: 12 }}>
                  <CreateOrganization
                    embedded
                    appearance={appearance}
                    onComplete={() => close()}
                    {...(props.skipInvitationScreen !== undefined && {
                      skipInvitationScreen: props.skipInvitationScreen,
                    })}
                    {...(props.hideSlug !== undefined && { hideSlug: props.hideSlug })}
                    {...(props.afterCreateOrganizationUrl && {
                      afterCreateOrganizationUrl: props.afterCreateOrganizationUrl,
                    })}
                  />
                </div>
              ) : (
                <button
                  type="button"
                  className={classOf(appearance, 'buttonSecondary')}
                  data-roster-item
                  style={{ marginTop: 12, width: '100%' }}
                  onClick={() => {
                    if (props.createOrganizationUrl) {
                      setOpen(false);
                      void navigate(props.createOrganizationUrl);
                    } else setCreating(true);
                  }}
                >
                  <span aria-hidden="true">+</span> {t('organizationSwitcher.action__createOrganization')}
                </button>
              ))}
          </div>
        )}
      </div>
      {managing && (
        <Modal
          appearance={appearance}
          label={t('organizationSwitcher.action__manageOrganization')}
          onClose={() => {
            setManaging(false);
            buttonRef.current?.focus();
          }}
        >
          <OrganizationProfile {...props.organizationProfileProps} appearance={appearance} />
        </Modal>
      )}
    </Root>
  );
}
