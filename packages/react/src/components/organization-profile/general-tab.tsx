'use client';
import type { Organization } from '@roster/client';
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useRosterContext } from '../../context.js';
import { useLocalization } from '../../localization/context.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { Confirm } from '../confirm.js';
import { FormattedDate } from '../format.js';
import { ImagePicker } from '../image-picker.js';
import { Alert, Field, messageOf, Notice, paramOf } from '../ui.js';
import { DomainsSection } from './domains-section.js';

/**
 * The organization itself (Clerk's General page): its name and slug, editable by those with
 * `org:sys_profile:manage`; its verified domains (`DomainsSection`); leaving it (asked to confirm); deleting it, for those with
 * `org:sys_profile:delete` when the organization allows it, after typing its name.
 * Render with `key={organization.id}` so another organization starts a fresh form.
 */
export function GeneralTab(props: {
  appearance: Appearance | undefined;
  organization: Organization;
  canEdit: boolean;
  canDelete: boolean;
  /** Holds `org:sys_domains:read` or `:manage`: the Verified domains section shows. */
  canReadDomains: boolean;
  /** Holds `org:sys_domains:manage`: domains can be added, verified, changed and removed. */
  canManageDomains: boolean;
  /** Called after leaving or deleting, with what to announce. */
  onGone: (how: 'left' | 'deleted', name: string) => void;
}): ReactNode {
  const { appearance, organization, canEdit } = props;
  const { client } = useRosterContext('OrganizationProfile');
  const [name, setName] = useState(organization.name);
  const [slug, setSlug] = useState(organization.slug);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; param: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'leave' | 'delete' | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leaveRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const l = useLocalization();
  const { t } = l;
  // setLogo changes the organization object in place; this state makes the new logo render.
  const [logo, setLogoState] = useState({ imageUrl: organization.imageUrl, hasImage: organization.hasImage });
  const setLogo = (o: Organization) => setLogoState({ imageUrl: o.imageUrl, hasImage: o.hasImage });

  const changes = {
    ...(name.trim() !== organization.name && { name: name.trim() }),
    ...(slug.trim() !== organization.slug && { slug: slug.trim() }),
  };
  const changed = Object.keys(changes).length > 0;

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || !changed || !name.trim()) return;
    setSaving(true);
    setSaveError(null);
    setNotice(null);
    try {
      await organization.update(changes);
      setName(organization.name);
      setSlug(organization.slug);
      setNotice(t('organizationProfile.profilePage.successMessage'));
    } catch (e) {
      setSaveError({ message: messageOf(e, l), param: paramOf(e) });
    } finally {
      setSaving(false);
    }
  };

  const act = async (how: 'left' | 'deleted') => {
    setBusy(true);
    setError(null);
    try {
      if (how === 'left') await client.leaveOrganization(organization.id);
      else await organization.destroy();
      props.onGone(how, organization.name);
    } catch (e) {
      setError(messageOf(e, l));
      setBusy(false);
      setConfirming(null);
      (how === 'left' ? leaveRef : deleteRef).current?.focus();
    }
  };

  const cancel = () => {
    const from = confirming === 'leave' ? leaveRef : deleteRef;
    setConfirming(null);
    setTyped('');
    from.current?.focus();
  };

  return (
    <div>
      <section className="roster-section" aria-labelledby={`${id}-profile`}>
        <h3 id={`${id}-profile`}>{t('organizationProfile.start.profileSection.title')}</h3>
        <div style={{ display: 'flex', alignItems: 'center', gap: 12, margin: '8px 0 12px' }}>
          <Avatar
            appearance={appearance}
            name={organization.name}
            imageUrl={logo.imageUrl}
            hasImage={logo.hasImage}
            size={48}
            square
          />
          <span className="roster-muted">
            {l.rich('organizationProfile.start.profileSection.created', {
              date: <FormattedDate date={organization.createdAt} />,
            })}
          </span>
        </div>
        {canEdit && (
          <ImagePicker
            appearance={appearance}
            what="logo"
            hasImage={logo.hasImage}
            onUpload={async (file) => setLogo(await organization.setLogo({ file }))}
            onRemove={async () => setLogo(await organization.setLogo({ file: null }))}
          />
        )}
        {canEdit ? (
          <form className={classOf(appearance, 'form')} onSubmit={onSave} aria-labelledby={`${id}-profile`}>
            <Alert appearance={appearance} message={saveError?.message ?? null} />
            <Field
              appearance={appearance}
              label={t('organizationProfile.start.profileSection.nameLabel')}
              name="name"
              required
              maxLength={256}
              value={name}
              onChange={(e) => setName(e.target.value)}
              invalid={saveError?.param === 'name'}
            />
            <Field
              appearance={appearance}
              label={t('organizationProfile.start.profileSection.slugLabel')}
              name="slug"
              hint={t('organizationProfile.start.profileSection.slugHint')}
              value={slug}
              onChange={(e) => setSlug(e.target.value)}
              invalid={saveError?.param === 'slug'}
            />
            <Notice appearance={appearance} message={notice} />
            <button
              type="submit"
              className={classOf(appearance, 'button')}
              // aria-disabled keeps focus on the button while saving and once nothing is left to save.
              aria-disabled={saving || !changed || !name.trim() || undefined}
            >
              {saving ? t('formButtonPrimary__saving') : t('formButtonPrimary__save')}
            </button>
          </form>
        ) : (
          <dl style={{ margin: 0 }}>
            <dt className={classOf(appearance, 'label')}>{t('organizationProfile.start.profileSection.nameLabel')}</dt>
            <dd style={{ margin: '0 0 8px' }}>{organization.name}</dd>
            <dt className={classOf(appearance, 'label')}>{t('organizationProfile.start.profileSection.slugLabel')}</dt>
            <dd style={{ margin: 0 }}>{organization.slug}</dd>
          </dl>
        )}
      </section>

      {props.canReadDomains && <DomainsSection appearance={appearance} canManage={props.canManageDomains} />}

      <section className="roster-section" aria-labelledby={`${id}-danger`}>
        <h3 id={`${id}-danger`}>{t('organizationProfile.profilePage.dangerSection.title')}</h3>
        <Alert appearance={appearance} message={error} />
        <p className="roster-muted" style={{ margin: '0 0 8px' }}>
          {t('organizationProfile.profilePage.dangerSection.leaveOrganization.description')}
        </p>
        <button
          ref={leaveRef}
          type="button"
          className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
          aria-expanded={confirming === 'leave'}
          onClick={() => setConfirming('leave')}
        >
          {t('organizationProfile.profilePage.dangerSection.leaveOrganization.title')}
        </button>
        {confirming === 'leave' && (
          <Confirm
            appearance={appearance}
            danger
            title={t('organizationProfile.profilePage.dangerSection.leaveOrganization.confirmTitle', {
              organizationName: organization.name,
            })}
            confirmLabel={t('organizationProfile.profilePage.dangerSection.leaveOrganization.title')}
            busyLabel={t('organizationProfile.profilePage.dangerSection.leaveOrganization.busy')}
            busy={busy}
            onConfirm={() => void act('left')}
            onCancel={cancel}
          >
            <p className="roster-muted" style={{ margin: 0 }}>
              {t('organizationProfile.profilePage.dangerSection.leaveOrganization.messageLine1')}
            </p>
          </Confirm>
        )}
        {props.canDelete && (
          <>
            <p className="roster-muted" style={{ margin: '16px 0 8px' }}>
              {t('organizationProfile.profilePage.dangerSection.deleteOrganization.description')}
            </p>
            <button
              ref={deleteRef}
              type="button"
              className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
              aria-expanded={confirming === 'delete'}
              onClick={() => setConfirming('delete')}
            >
              {t('organizationProfile.profilePage.dangerSection.deleteOrganization.title')}
            </button>
            {confirming === 'delete' && (
              <Confirm
                appearance={appearance}
                danger
                title={t('organizationProfile.profilePage.dangerSection.deleteOrganization.confirmTitle', {
                  organizationName: organization.name,
                })}
                confirmLabel={t('organizationProfile.profilePage.dangerSection.deleteOrganization.title')}
                busyLabel={t('organizationProfile.profilePage.dangerSection.deleteOrganization.busy')}
                busy={busy}
                confirmDisabled={typed.trim() !== organization.name}
                onConfirm={() => void act('deleted')}
                onCancel={cancel}
              >
                <Field
                  appearance={appearance}
                  label={t('organizationProfile.profilePage.dangerSection.deleteOrganization.actionDescription', {
                    organizationName: organization.name,
                  })}
                  autoComplete="off"
                  spellCheck={false}
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                />
              </Confirm>
            )}
          </>
        )}
      </section>
    </div>
  );
}
