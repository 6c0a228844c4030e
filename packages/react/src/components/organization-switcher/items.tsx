'use client';
import type { OrganizationMembership, User, UserOrganizationInvitation } from '@roster/client';
import type { ReactNode } from 'react';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';

/** "Ada Lovelace", else the primary address, else "Personal account". */
export const userLabel = (user: User | null | undefined): string =>
  user?.fullName || user?.primaryEmailAddress?.emailAddress || 'Personal account';

/** One account to switch to: avatar, name, and a second line (role or address). */
export function AccountButton(props: {
  appearance: Appearance | undefined;
  label: string;
  name: string;
  detail: string;
  imageUrl?: string;
  hasImage?: boolean;
  square?: boolean;
  busy: boolean;
  onClick: () => void;
}): ReactNode {
  return (
    <button
      type="button"
      className="roster-menu-item"
      data-roster-item
      aria-label={props.label}
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
        <strong>{props.name}</strong>
        <br />
        <span className="roster-muted">{props.detail}</span>
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
  return (
    <AccountButton
      appearance={props.appearance}
      label={`Switch to ${organization.name}`}
      name={organization.name}
      detail={props.membership.roleName}
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
  return (
    <li className={classOf(appearance, 'listItem')}>
      <Avatar appearance={appearance} name={org.name} imageUrl={org.imageUrl} hasImage={org.hasImage} square />
      <span className="roster-grow">
        <strong>{org.name}</strong>
        <br />
        <span className="roster-muted">as {invitation.roleName.toLowerCase()}</span>
      </span>
      <button
        type="button"
        className={classOf(appearance, 'button')}
        data-roster-item
        aria-disabled={props.busy || undefined}
        aria-label={`Join ${org.name}`}
        onClick={() => !props.busy && props.onJoin()}
      >
        {props.joining ? 'Joining…' : 'Join'}
      </button>
    </li>
  );
}
