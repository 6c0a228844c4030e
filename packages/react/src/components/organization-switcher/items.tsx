'use client';
import type {
  Organization,
  OrganizationMembership,
  OrganizationSuggestion,
  User,
  UserOrganizationInvitation,
} from '@roster/client';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../../localization/context.js';
import type { Localizer } from '../../localization/localizer.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { messageOf, Notice } from '../ui.js';

/** "Ada Lovelace", else the primary address, else "Personal account". */
export const userLabel = (user: User | null | undefined, l: Localizer): string =>
  user?.fullName || user?.primaryEmailAddress?.emailAddress || l.t('organizationSwitcher.personalWorkspace');

/** The role as the localization names it ("Admin", "Member"); a custom role keeps its own name. */
export const roleNameOf = (role: string, roleName: string, l: Localizer): string =>
  role === 'org:admin'
    ? l.t('membershipRole__admin')
    : role === 'org:member'
      ? l.t('membershipRole__basicMember')
      : roleName;

/**
 * One account to switch to: avatar, name, and a second line (role or address). Its accessible
 * name is "Switch to <name>" (a hidden prefix, so the visible name is part of it, as WCAG 2.5.3
 * asks); the second line is its description.
 */
export function AccountButton(props: {
  appearance: Appearance | undefined;
  name: string;
  detail: string;
  imageUrl?: string;
  hasImage?: boolean;
  square?: boolean;
  busy: boolean;
  onClick: () => void;
}): ReactNode {
  const detailId = useId();
  const { t } = useLocalization();
  return (
    <button
      type="button"
      className="roster-menu-item"
      data-roster-item
      aria-describedby={detailId}
      aria-disabled={props.busy || undefined}
      onClick={() => !props.busy && props.onClick()}
    >
      <Avatar
        appearance={props.appearance}
        name={props.name}
        imageUrl={props.imageUrl}
        hasImage={props.hasImage}
        square={props.square}
      />
      <span className="roster-grow">
        <span className="roster-sr-only">{t('organizationSwitcher.action__switchTo')} </span>
        <strong>{props.name}</strong>
        <br />
        <span className="roster-muted" id={detailId} aria-hidden="true">
          {props.detail}
        </span>
      </span>
    </button>
  );
}

export function OrganizationButton(props: {
  appearance: Appearance | undefined;
  membership: OrganizationMembership;
  busy: boolean;
  onClick: () => void;
}): ReactNode {
  const { organization } = props.membership;
  const l = useLocalization();
  return (
    <AccountButton
      appearance={props.appearance}
      name={organization.name}
      detail={roleNameOf(props.membership.role, props.membership.roleName, l)}
      imageUrl={organization.imageUrl}
      hasImage={organization.hasImage}
      square
      busy={props.busy}
      onClick={props.onClick}
    />
  );
}

/** An invitation waiting for the user: the organization, the role offered, and Join. */
export function InvitationRow(props: {
  appearance: Appearance | undefined;
  invitation: UserOrganizationInvitation;
  joining: boolean;
  busy: boolean;
  onJoin: () => void;
}): ReactNode {
  const { appearance, invitation } = props;
  const org = invitation.publicOrganizationData;
  const l = useLocalization();
  const { t } = l;
  return (
    <li className={classOf(appearance, 'listItem')}>
      <Avatar appearance={appearance} name={org.name} imageUrl={org.imageUrl} hasImage={org.hasImage} square />
      <span className="roster-grow">
        <strong>{org.name}</strong>
        <br />
        <span className="roster-muted">
          {t('organizationSwitcher.invitationRole', {
            role: roleNameOf(invitation.role, invitation.roleName, l).toLowerCase(),
          })}
        </span>
      </span>
      <button
        type="button"
        className={classOf(appearance, 'button')}
        data-roster-item
        aria-disabled={props.busy || undefined}
        aria-label={t('organizationSwitcher.action__invitationAccept__label', { organizationName: org.name })}
        onClick={() => !props.busy && props.onJoin()}
      >
        {props.joining
          ? t('organizationSwitcher.action__invitationAccept__busy')
          : t('organizationSwitcher.action__invitationAccept')}
      </button>
    </li>
  );
}

/**
 * An organization the user may ask to join (its verified domain matches their address): the
 * organization and "Request to join"; once asked, "Requested" in place of the button, said as a
 * status so the change is announced.
 */
export function SuggestionRow(props: {
  appearance: Appearance | undefined;
  suggestion: OrganizationSuggestion;
  requesting: boolean;
  busy: boolean;
  /** Just asked from this row: "Requested" takes the focus the button had. */
  justRequested: boolean;
  onRequest: () => void;
}): ReactNode {
  const { appearance, suggestion } = props;
  const org = suggestion.publicOrganizationData;
  const { t } = useLocalization();
  const requestedRef = useRef<HTMLSpanElement>(null);
  const accepted = suggestion.status === 'accepted';
  useEffect(() => {
    if (accepted && props.justRequested) requestedRef.current?.focus();
  }, [accepted, props.justRequested]);
  return (
    <li className={classOf(appearance, 'listItem')} data-suggestion={org.name} data-status={suggestion.status}>
      <Avatar appearance={appearance} name={org.name} imageUrl={org.imageUrl} hasImage={org.hasImage} square />
      <span className="roster-grow">
        <strong>{org.name}</strong>
        <br />
        <span className="roster-muted">{t('organizationSwitcher.suggestionReason')}</span>
      </span>
      {accepted ? (
        <span
          ref={requestedRef}
          tabIndex={-1}
          className={classOf(appearance, 'badge')}
          data-tone="muted"
          title={t('organizationSwitcher.suggestionsAcceptedLabel__description', { organizationName: org.name })}
        >
          {t('organizationSwitcher.suggestionsAcceptedLabel')}
        </span>
      ) : (
        <button
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          data-roster-item
          aria-disabled={props.busy || undefined}
          aria-label={t('organizationSwitcher.action__suggestionsAccept__label', { organizationName: org.name })}
          onClick={() => !props.busy && props.onRequest()}
        >
          {props.requesting
            ? t('organizationSwitcher.action__suggestionsAccept__busy')
            : t('organizationSwitcher.action__suggestionsAccept')}
        </button>
      )}
    </li>
  );
}

/**
 * Asking to join from a suggestion, as the switcher and `<OrganizationList/>` both do: one action
 * at a time (the component's own `busy`, shared with its other rows), the row then "Requested" with
 * a sentence saying so; a failure goes to the component's alert.
 */
export function useRequestToJoin(options: {
  busy: string | null;
  setBusy: (id: string | null) => void;
  setError: (message: string | null) => void;
}): {
  requested: { id: string; message: string } | null;
  request: (suggestion: OrganizationSuggestion) => Promise<void>;
} {
  const l = useLocalization();
  const [requested, setRequested] = useState<{ id: string; message: string } | null>(null);
  const request = async (suggestion: OrganizationSuggestion) => {
    if (options.busy) return;
    options.setBusy(suggestion.id);
    options.setError(null);
    setRequested(null);
    try {
      await suggestion.accept();
      setRequested({
        id: suggestion.id,
        message: l.t('organizationSwitcher.suggestionRequested', {
          organizationName: suggestion.publicOrganizationData.name,
        }),
      });
    } catch (e) {
      options.setError(messageOf(e, l));
    } finally {
      options.setBusy(null);
    }
  };
  return { requested, request };
}

/**
 * The "Suggested for you" section the switcher and `<OrganizationList/>` share: its title, what was
 * just asked, and a row per suggestion. Nothing when there are none.
 */
export function SuggestionSection(props: {
  appearance: Appearance | undefined;
  suggestions: OrganizationSuggestion[];
  /** The title's element: a heading in the list, a paragraph inside the switcher's dialog. */
  titleAs: 'h3' | 'p';
  titleId: string;
  testId: string;
  /** The suggestion just asked for and what to say about it. */
  requested: { id: string; message: string } | null;
  /** The suggestion being asked for now, if any. */
  busy: string | null;
  onRequest: (suggestion: OrganizationSuggestion) => void;
}): ReactNode {
  const { appearance, requested, busy } = props;
  const { t } = useLocalization();
  if (props.suggestions.length === 0) return null;
  const Title = props.titleAs;
  return (
    <>
      <Title className="roster-section-title" id={props.titleId}>
        {t('organizationSwitcher.title__suggestions')}
      </Title>
      <Notice appearance={appearance} message={requested?.message ?? null} />
      <ul className={classOf(appearance, 'list')} aria-labelledby={props.titleId} data-testid={props.testId}>
        {props.suggestions.map((suggestion) => (
          <SuggestionRow
            key={suggestion.id}
            appearance={appearance}
            suggestion={suggestion}
            requesting={busy === suggestion.id}
            busy={busy !== null}
            justRequested={requested?.id === suggestion.id}
            onRequest={() => props.onRequest(suggestion)}
          />
        ))}
      </ul>
    </>
  );
}

/** The account in use, at the top of the panel: the organization with "Manage organization", or the personal account. */
export function ActiveAccount(props: {
  appearance: Appearance | undefined;
  organization: Organization | null;
  roleName: string;
  user: User | null | undefined;
  hidePersonal: boolean;
  manageOpensDialog: boolean;
  /** Requests to join waiting for this admin, shown on "Manage organization". */
  requestCount: number;
  onManage: () => void;
}): ReactNode {
  const { appearance, organization, user } = props;
  const l = useLocalization();
  const { t } = l;
  if (organization) {
    return (
      <div style={{ display: 'flex', alignItems: 'center', gap: 10, flexWrap: 'wrap' }}>
        <Avatar
          appearance={appearance}
          name={organization.name}
          imageUrl={organization.imageUrl}
          hasImage={organization.hasImage}
          size={40}
          square
        />
        {/* At least 9rem for the name: "Manage organization" moves under it rather than squeeze it. */}
        <span className="roster-grow" style={{ flex: '1 1 9rem' }} aria-current="true" data-testid="switcher-current">
          <strong>{organization.name}</strong>
          <br />
          <span className="roster-muted">{props.roleName}</span>
        </span>
        <button
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          data-roster-item
          onClick={props.onManage}
          aria-haspopup={props.manageOpensDialog ? 'dialog' : undefined}
        >
          {t('organizationSwitcher.action__manageOrganization')}
          {props.requestCount > 0 && (
            <span className={classOf(appearance, 'badge')} data-testid="manage-requests-badge">
              <span aria-hidden="true">{props.requestCount}</span>
              <span className="roster-sr-only">
                {' '}
                ({l.count('organizationSwitcher.requestCount', props.requestCount)})
              </span>
            </span>
          )}
        </button>
      </div>
    );
  }
  if (props.hidePersonal) return null;
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
      <Avatar
        appearance={appearance}
        name={userLabel(user, l)}
        imageUrl={user?.imageUrl}
        hasImage={user?.hasImage}
        size={40}
      />
      <span className="roster-grow" aria-current="true" data-testid="switcher-current">
        <strong>{t('organizationSwitcher.personalWorkspace')}</strong>
        <br />
        <span className="roster-muted">{user?.primaryEmailAddress?.emailAddress}</span>
      </span>
    </div>
  );
}
