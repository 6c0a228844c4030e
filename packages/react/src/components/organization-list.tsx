'use client';
import type { Organization, User, UserOrganizationInvitation } from '@roster/client';
import { type ReactNode, useId, useRef, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
import { useUser } from '../use-auth.js';
import { useOrganizationList } from '../use-organization-list.js';
import { type Appearance, classOf } from './appearance.js';
import { CreateOrganization } from './create-organization.js';
import {
  AccountButton,
  InvitationRow,
  OrganizationButton,
  SuggestionSection,
  useRequestToJoin,
  userLabel,
} from './organization-switcher/items.js';
import { Alert, Header, messageOf, Root } from './ui.js';

/** A path, or a function of what was chosen that returns one (Clerk's shape). */
export type AfterUrl<T> = string | ((chosen: T) => string);

/**
 * Props of `<OrganizationList/>` (Clerk's names).
 *
 * @example
 * ```tsx
 * const props: OrganizationListProps = {
 *   hidePersonal: true,
 *   afterSelectOrganizationUrl: (org) => `/orgs/${org.slug}`,
 *   afterCreateOrganizationUrl: '/organization',
 * };
 * ```
 */
export interface OrganizationListProps {
  /** Leave the personal account out; only organizations can be chosen. Default `false`. */
  hidePersonal?: boolean;
  /** Where to go after choosing (or joining) an organization; default: stay. */
  afterSelectOrganizationUrl?: AfterUrl<Organization>;
  /** Where to go after choosing the personal account; default: stay. */
  afterSelectPersonalUrl?: AfterUrl<User>;
  /** Where to go after creating an organization; default: stay. */
  afterCreateOrganizationUrl?: AfterUrl<Organization>;
  /** Hide "Create organization". */
  hideCreateOrganization?: boolean;
  /** Leave out the step that invites people after creating one (see `<CreateOrganization/>`). */
  skipInvitationScreen?: boolean;
  /** No slug field in the create form. */
  hideSlug?: boolean;
  appearance?: Appearance;
}

const resolve = <T,>(target: AfterUrl<T> | undefined, chosen: T) =>
  typeof target === 'function' ? target(chosen) : target;

/**
 * The signed-in user's accounts to choose from, as Clerk's `<OrganizationList/>`: the personal
 * account (unless `hidePersonal`), each organization with its logo and the user's role, the
 * invitations waiting for them with Join, organizations suggested by a verified domain
 * ("Request to join", then "Requested"), and "Create organization". Choosing one makes it the
 * active organization, then goes to `afterSelectOrganizationUrl` (or `afterSelectPersonalUrl`);
 * Join accepts the invitation and chooses that organization. Renders nothing when signed out.
 *
 * @example
 * ```tsx
 * <OrganizationList hidePersonal afterSelectOrganizationUrl="/organization" afterCreateOrganizationUrl="/organization" />
 * ```
 */
export function OrganizationList(props: OrganizationListProps): ReactNode {
  const { hidePersonal = false } = props;
  const appearance = useAppearance(props.appearance);
  const { client, navigate } = useRosterContext('OrganizationList');
  const { isLoaded, user } = useUser();
  const { userMemberships, userInvitations, userSuggestions, setActive } = useOrganizationList({
    userMemberships: { pageSize: 50 },
    userInvitations: { pageSize: 20 },
    userSuggestions: { pageSize: 20, status: ['pending', 'accepted'] },
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  /** The create form made one and is on its invite step (Cancel no longer applies). */
  const [created, setCreated] = useState(false);
  const createRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const l = useLocalization();
  const { t } = l;
  const { requested, request } = useRequestToJoin({ busy, setBusy, setError });

  if (!isLoaded || (user && userMemberships.isLoading && userMemberships.data.length === 0)) {
    return (
      <Root appearance={appearance} name="organization-list" busy>
        <p className="roster-muted" role="status">
          {t('organizationList.loading')}
        </p>
      </Root>
    );
  }
  if (!user) return null;

  /** Runs a choice; on success goes where the caller asked, on failure says why and stays. */
  const run = async (key: string, action: () => Promise<string | undefined>) => {
    if (busy) return;
    setBusy(key);
    setError(null);
    try {
      const to = await action();
      setBusy(null);
      if (to) await navigate(to);
    } catch (e) {
      setError(messageOf(e, l));
      setBusy(null);
    }
  };
  const choose = (organization: Organization) =>
    run(organization.id, async () => {
      await setActive({ organization: organization.id });
      return resolve(props.afterSelectOrganizationUrl, organization);
    });
  const join = (invitation: UserOrganizationInvitation) =>
    run(invitation.id, async () => {
      await invitation.accept();
      const organizationId = invitation.publicOrganizationData.id;
      await setActive({ organization: organizationId });
      const target = props.afterSelectOrganizationUrl;
      return typeof target === 'function' ? target(await client.getOrganization(organizationId)) : target;
    });

  const memberships = userMemberships.data;
  const invitations = userInvitations.data;
  const nothing = memberships.length === 0 && hidePersonal;

  return (
    <Root appearance={appearance} name="organization-list" busy={busy !== null}>
      <Header
        appearance={appearance}
        title={hidePersonal ? t('organizationList.titleWithoutPersonal') : t('organizationList.title')}
      >
        {t('organizationList.subtitle__noApplication')}
      </Header>
      <Alert appearance={appearance} message={error} />
      {userMemberships.error && memberships.length === 0 ? (
        <div role="alert" className={classOf(appearance, 'alert')}>
          {t('organizationList.loadError')} {messageOf(userMemberships.error, l)}{' '}
          <button type="button" className="roster-link" onClick={() => void userMemberships.revalidate()}>
            {t('action__tryAgain')}
          </button>
        </div>
      ) : nothing ? (
        <p className="roster-muted">{t('organizationList.empty')}</p>
      ) : (
        <ul className={classOf(appearance, 'list')} aria-label={t('organizationList.accountsLabel')}>
          {!hidePersonal && (
            <li>
              <AccountButton
                appearance={appearance}
                name={t('organizationSwitcher.personalWorkspace')}
                detail={userLabel(user, l)}
                imageUrl={user.imageUrl}
                hasImage={user.hasImage}
                busy={busy !== null}
                onClick={() =>
                  void run('personal', async () => {
                    await setActive({ organization: null });
                    return resolve(props.afterSelectPersonalUrl, user);
                  })
                }
              />
            </li>
          )}
          {memberships.map((m) => (
            <li key={m.id}>
              <OrganizationButton
                appearance={appearance}
                membership={m}
                busy={busy !== null}
                onClick={() => void choose(m.organization)}
              />
            </li>
          ))}
        </ul>
      )}

      {invitations.length > 0 && (
        <>
          <h3 className="roster-section-title" id={`${id}-invitations`}>
            {t('organizationSwitcher.title__invitations')}{' '}
            <span className={classOf(appearance, 'badge')}>{userInvitations.count}</span>
            <span className="roster-sr-only">
              {' '}
              ({l.count('organizationSwitcher.invitationCount', userInvitations.count)})
            </span>
          </h3>
          <ul className={classOf(appearance, 'list')} aria-labelledby={`${id}-invitations`}>
            {invitations.map((invitation) => (
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
        titleAs="h3"
        titleId={`${id}-suggestions`}
        testId="list-suggestions"
        requested={requested}
        busy={busy}
        onRequest={(suggestion) => void request(suggestion)}
      />

      {!props.hideCreateOrganization &&
        (creating ? (
          <div className="roster-section" style={{ marginTop: 12 }}>
            <CreateOrganization
              embedded
              appearance={appearance}
              {...(props.skipInvitationScreen !== undefined && { skipInvitationScreen: props.skipInvitationScreen })}
              {...(props.hideSlug !== undefined && { hideSlug: props.hideSlug })}
              onCreated={() => setCreated(true)}
              onComplete={(organization) => {
                setCreating(false);
                setCreated(false);
                const to = resolve(props.afterCreateOrganizationUrl, organization);
                if (to) void navigate(to);
              }}
            />
            {!created && (
              <button
                type="button"
                className={classOf(appearance, 'buttonSecondary')}
                style={{ width: '100%', marginTop: 8 }}
                onClick={() => {
                  setCreating(false);
                  requestAnimationFrame(() => createRef.current?.focus());
                }}
              >
                {t('formButtonReset')}
              </button>
            )}
          </div>
        ) : (
          <button
            ref={createRef}
            type="button"
            className={classOf(appearance, 'buttonSecondary')}
            style={{ marginTop: 12, width: '100%' }}
            onClick={() => setCreating(true)}
          >
            <span aria-hidden="true">+</span> {t('organizationList.action__createOrganization')}
          </button>
        ))}
    </Root>
  );
}
