'use client';
import {
  isRosterAPIError,
  type Organization,
  type OrganizationInvitation,
  type RoleKey,
  RosterBulkInvitationError,
} from '@roster/client';
import { type FormEvent, type ReactNode, type RefObject, useId, useState } from 'react';
import { useLocalization } from '../localization/context.js';
import { type Appearance, classOf } from './appearance.js';
import { LoadError } from './organization-profile/load-error.js';
import { useRoleOptions } from './roles.js';
import { Alert, messageOf, Notice } from './ui.js';

/** Splits what was typed into addresses: commas, semicolons, spaces or new lines between them. */
export function splitAddresses(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter((a) => a && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

/** What the invite form starts with: the role new members get unless someone picks another. */
const DEFAULT_ROLE: RoleKey = 'org:member';

export interface InviteMembersFormProps {
  appearance: Appearance | undefined;
  organization: Organization | null | undefined;
  /** The id of the heading that names the form. */
  labelledBy: string;
  /** The address box, for whoever moves focus to it (it gets focus back after every send). */
  addressesRef: RefObject<HTMLTextAreaElement | null>;
  /** Every address was invited (none refused). */
  onInvited?: (created: OrganizationInvitation[]) => void;
  /** Buttons beside Send (the create flow's Skip). */
  children?: ReactNode;
}

/**
 * Internal: invite several addresses at once with one role, from the organization's own roles.
 * Refused addresses stay in the box with the reason for each; the ones invited are said.
 * Used by `<OrganizationProfile/>`'s Invitations tab and `<CreateOrganization/>`'s invite step.
 */
export function InviteMembersForm(props: InviteMembersFormProps): ReactNode {
  const { appearance, organization, addressesRef } = props;
  const l = useLocalization();
  const { t } = l;
  const [text, setText] = useState('');
  const roles = useRoleOptions(organization);
  const [chosen, setRole] = useState<RoleKey>(DEFAULT_ROLE);
  // The chosen role while it is listed; else new members' role, else the first one listed.
  const role = roles.find(chosen)?.value ?? roles.find(DEFAULT_ROLE)?.value ?? roles.options[0]?.value ?? DEFAULT_ROLE;
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const emailsId = useId();
  const roleId = useId();
  const addresses = splitAddresses(text);

  const onInvite = async (event: FormEvent) => {
    event.preventDefault();
    if (!organization || pending || addresses.length === 0) return;
    setPending(true);
    setError(null);
    setNotice(null);
    let invited: OrganizationInvitation[] | null = null;
    try {
      const created = await organization.inviteMembers({ emailAddresses: addresses, role });
      setText('');
      setNotice(
        created.length === 1
          ? t('organizationProfile.invitePage.successMessage__one', { emailAddress: created[0]?.emailAddress ?? '' })
          : l.count('organizationProfile.invitePage.successMessage__count', created.length),
      );
      invited = created;
    } catch (e) {
      if (e instanceof RosterBulkInvitationError) {
        const refused = e.errors.map((x) => `${String(x.meta.emailAddress ?? '')}: ${x.longMessage}`);
        // Leave only the refused addresses in the box, to fix or remove.
        setText(e.errors.map((x) => String(x.meta.emailAddress ?? '')).join(', '));
        if (e.created.length > 0) {
          setNotice(
            t('organizationProfile.invitePage.successMessage__partial', {
              count: e.created.length,
              total: addresses.length,
            }),
          );
        }
        setError(t('organizationProfile.invitePage.detailsTitle__inviteFailed__list', { refused: refused.join('; ') }));
      } else if (isRosterAPIError(e) && e.errors.length > 1) {
        setError(e.errors.map((x) => x.longMessage).join(' '));
      } else {
        setError(messageOf(e, l));
      }
    } finally {
      setPending(false);
      addressesRef.current?.focus();
    }
    if (invited) props.onInvited?.(invited);
  };

  const send = (
    <button
      type="submit"
      className={classOf(appearance, 'button')}
      aria-disabled={pending || undefined}
      disabled={!pending && addresses.length === 0}
    >
      {pending
        ? t('organizationProfile.invitePage.formButtonPrimary__busy')
        : t('organizationProfile.invitePage.formButtonPrimary__continue')}
    </button>
  );

  return (
    <form className={classOf(appearance, 'form')} onSubmit={onInvite} aria-labelledby={props.labelledBy}>
      <div className={classOf(appearance, 'field')}>
        <label className={classOf(appearance, 'label')} htmlFor={emailsId}>
          {t('formFieldLabel__emailAddresses')}
        </label>
        <textarea
          ref={addressesRef}
          id={emailsId}
          name="email_addresses"
          className={classOf(appearance, 'input')}
          rows={2}
          placeholder={t('formFieldInputPlaceholder__emailAddresses')}
          aria-describedby={`${emailsId}-hint`}
          aria-invalid={error !== null || undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <span id={`${emailsId}-hint`} className="roster-muted">
          {addresses.length > 1
            ? l.count('organizationProfile.invitePage.subtitle__count', addresses.length)
            : t('organizationProfile.invitePage.subtitle')}
        </span>
      </div>
      <div className={classOf(appearance, 'field')}>
        <label className={classOf(appearance, 'label')} htmlFor={roleId}>
          {t('formFieldLabel__role')}
        </label>
        <select
          id={roleId}
          name="role"
          className={classOf(appearance, 'input')}
          value={role}
          aria-busy={roles.isLoading || undefined}
          aria-describedby={roles.isLoading || roles.error !== null ? `${roleId}-status` : undefined}
          onChange={(e) => setRole(e.target.value as RoleKey)}
        >
          {roles.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <div id={`${roleId}-status`}>
          {roles.isLoading ? (
            // Said, not shown: a line that comes and goes would move the buttons under the pointer.
            <span className="roster-sr-only">{t('organizationProfile.roles.loading')}</span>
          ) : (
            roles.error !== null && (
              <LoadError
                appearance={appearance}
                what={t('organizationProfile.roles.loadError')}
                error={roles.error}
                retry={roles.retry}
              />
            )
          )}
        </div>
      </div>
      <Alert appearance={appearance} message={error} />
      <Notice appearance={appearance} message={notice} />
      {props.children ? (
        <div className="roster-row">
          {send}
          {props.children}
        </div>
      ) : (
        send
      )}
    </form>
  );
}
