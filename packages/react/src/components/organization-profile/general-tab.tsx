'use client';
import type { Organization } from '@roster/client';
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useRosterContext } from '../../context.js';
import { type Appearance, classOf } from '../appearance.js';
import { Avatar } from '../avatar.js';
import { Confirm } from '../confirm.js';
import { FormattedDate } from '../format.js';
import { ImagePicker } from '../image-picker.js';
import { Alert, Field, messageOf, Notice, paramOf } from '../ui.js';

/**
 * The organization itself (Clerk's General page): its name and slug, editable by those with
 * `org:sys_profile:manage`; leaving it (asked to confirm); deleting it, for those with
 * `org:sys_profile:delete` when the organization allows it, after typing its name.
 * Render with `key={organization.id}` so another organization starts a fresh form.
 */
export function GeneralTab(props: {
  appearance: Appearance | undefined;
  organization: Organization;
  canEdit: boolean;
  canDelete: boolean;
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
      setNotice('Saved.');
    } catch (e) {
      setSaveError({ message: messageOf(e), param: paramOf(e) });
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
      setError(messageOf(e));
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
        <h3 id={`${id}-profile`}>Organization profile</h3>
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
            Created <FormattedDate date={organization.createdAt} />
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
              label="Name"
              name="name"
              required
              maxLength={256}
              value={name}
              onChange={(e) => setName(e.target.value)}
              invalid={saveError?.param === 'name'}
            />
            <Field
              appearance={appearance}
              label="Slug"
              name="slug"
              hint="Lowercase letters, digits and dashes; used in links."
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
              {saving ? 'Saving…' : 'Save'}
            </button>
          </form>
        ) : (
          <dl style={{ margin: 0 }}>
            <dt className={classOf(appearance, 'label')}>Name</dt>
            <dd style={{ margin: '0 0 8px' }}>{organization.name}</dd>
            <dt className={classOf(appearance, 'label')}>Slug</dt>
            <dd style={{ margin: 0 }}>{organization.slug}</dd>
          </dl>
        )}
      </section>

      <section className="roster-section" aria-labelledby={`${id}-danger`}>
        <h3 id={`${id}-danger`}>Danger zone</h3>
        <Alert appearance={appearance} message={error} />
        <p className="roster-muted" style={{ margin: '0 0 8px' }}>
          Leaving removes your access; to come back you need a new invitation.
        </p>
        <button
          ref={leaveRef}
          type="button"
          className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
          aria-expanded={confirming === 'leave'}
          onClick={() => setConfirming('leave')}
        >
          Leave organization
        </button>
        {confirming === 'leave' && (
          <Confirm
            appearance={appearance}
            danger
            title={`Leave ${organization.name}?`}
            confirmLabel="Leave organization"
            busyLabel="Leaving…"
            busy={busy}
            onConfirm={() => void act('left')}
            onCancel={cancel}
          >
            <p className="roster-muted" style={{ margin: 0 }}>
              You will no longer see its members or invitations.
            </p>
          </Confirm>
        )}
        {props.canDelete && (
          <>
            <p className="roster-muted" style={{ margin: '16px 0 8px' }}>
              Deleting removes the organization, its memberships and invitations for everyone. It cannot be undone.
            </p>
            <button
              ref={deleteRef}
              type="button"
              className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
              aria-expanded={confirming === 'delete'}
              onClick={() => setConfirming('delete')}
            >
              Delete organization
            </button>
            {confirming === 'delete' && (
              <Confirm
                appearance={appearance}
                danger
                title={`Delete ${organization.name}?`}
                confirmLabel="Delete organization"
                busyLabel="Deleting…"
                busy={busy}
                confirmDisabled={typed.trim() !== organization.name}
                onConfirm={() => void act('deleted')}
                onCancel={cancel}
              >
                <Field
                  appearance={appearance}
                  label={`Type “${organization.name}” to confirm`}
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
