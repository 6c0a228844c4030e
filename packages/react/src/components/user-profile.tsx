'use client';
import type { SessionWithActivities, User } from '@roster/client';
import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useLocalization } from '../localization/context.js';
import type { Localizer } from '../localization/localizer.js';
import { useAuth, useUser } from '../use-auth.js';
import { type Appearance, classOf } from './appearance.js';
import { Avatar } from './avatar.js';
import { FormattedDate } from './format.js';
import { ImagePicker } from './image-picker.js';
import { userLabel } from './organization-switcher/items.js';
import { Alert, Field, messageOf, Notice, paramOf, Root } from './ui.js';
import { EmailSection } from './user-profile-emails.js';

/**
 * Props of `<UserProfile/>`.
 *
 * @example
 * ```tsx
 * const props: UserProfileProps = { appearance: { variables: { colorPrimary: '#0f766e' } } };
 * ```
 */
export interface UserProfileProps {
  appearance?: Appearance;
}

/**
 * The signed-in user's account, as Clerk's `<UserProfile/>`: profile image and names; email
 * addresses (add one and prove it with the emailed code, make a verified one primary, remove one
 * after confirming); password; and the devices signed in, each of which can be signed out.
 * Renders nothing when signed out.
 *
 * @example
 * ```tsx
 * <UserProfile />
 * ```
 */
export function UserProfile(props: UserProfileProps): ReactNode {
  const appearance = useAppearance(props.appearance);
  const { isLoaded, user } = useUser();
  const { t } = useLocalization();
  if (!isLoaded) {
    return (
      <Root appearance={appearance} name="user-profile" busy>
        <p className="roster-muted" role="status">
          {t('userProfile.loading')}
        </p>
      </Root>
    );
  }
  if (!user) return null;
  return (
    <Root appearance={appearance} name="user-profile">
      <h2 style={{ margin: '0 0 12px' }}>{t('userProfile.navbar.title')}</h2>
      <ProfileSection appearance={appearance} user={user} key={`profile-${user.id}`} />
      <EmailSection appearance={appearance} user={user} />
      <PasswordSection appearance={appearance} user={user} />
      <SessionsSection appearance={appearance} user={user} />
    </Root>
  );
}

function ProfileSection(props: { appearance: Appearance | undefined; user: User }): ReactNode {
  const { appearance, user } = props;
  const [firstName, setFirstName] = useState(user.firstName ?? '');
  const [lastName, setLastName] = useState(user.lastName ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const id = useId();
  const l = useLocalization();
  const { t } = l;
  const changed = firstName.trim() !== (user.firstName ?? '') || lastName.trim() !== (user.lastName ?? '');

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || !changed) return;
    setSaving(true);
    setError(null);
    setNotice(null);
    try {
      await user.update({ firstName: firstName.trim() || null, lastName: lastName.trim() || null });
      setNotice(t('userProfile.profilePage.successMessage'));
    } catch (e) {
      setError(messageOf(e, l));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="roster-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('userProfile.start.profileSection.title')}</h3>
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, margin: '8px 0 12px' }}>
        <Avatar
          appearance={appearance}
          name={userLabel(user, l)}
          imageUrl={user.imageUrl}
          hasImage={user.hasImage}
          size={48}
        />
        <ImagePicker
          appearance={appearance}
          what="profileImage"
          hasImage={user.hasImage}
          onUpload={(file) => user.setProfileImage({ file })}
          onRemove={() => user.setProfileImage({ file: null })}
        />
      </div>
      <form className={classOf(appearance, 'form')} onSubmit={onSave} aria-labelledby={`${id}-title`}>
        <Alert appearance={appearance} message={error} />
        <div className="roster-row">
          <Field
            appearance={appearance}
            label={t('formFieldLabel__firstName')}
            name="firstName"
            autoComplete="given-name"
            maxLength={256}
            value={firstName}
            onChange={(e) => setFirstName(e.target.value)}
          />
          <Field
            appearance={appearance}
            label={t('formFieldLabel__lastName')}
            name="lastName"
            autoComplete="family-name"
            maxLength={256}
            value={lastName}
            onChange={(e) => setLastName(e.target.value)}
          />
        </div>
        <Notice appearance={appearance} message={notice} />
        <button type="submit" className={classOf(appearance, 'button')} aria-disabled={saving || !changed || undefined}>
          {saving ? t('formButtonPrimary__saving') : t('formButtonPrimary__save')}
        </button>
      </form>
    </section>
  );
}

function PasswordSection(props: { appearance: Appearance | undefined; user: User }): ReactNode {
  const { appearance, user } = props;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; param: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const id = useId();
  const l = useLocalization();
  const { t } = l;

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || !next) return;
    setSaving(true);
    setError(null);
    setNotice(null);
    try {
      await user.updatePassword({
        ...(user.passwordEnabled && { currentPassword: current }),
        newPassword: next,
        signOutOfOtherSessions: signOutOthers,
      });
      setCurrent('');
      setNext('');
      setNotice(
        signOutOthers
          ? t('userProfile.passwordPage.successMessage__signedOutOthers')
          : t('userProfile.passwordPage.successMessage__update'),
      );
    } catch (e) {
      setError({ message: messageOf(e, l), param: paramOf(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="roster-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('userProfile.start.passwordSection.title')}</h3>
      <form className={classOf(appearance, 'form')} onSubmit={onSave} aria-labelledby={`${id}-title`}>
        <Alert appearance={appearance} message={error?.message ?? null} />
        {/* Lets password managers tie the new password to the account. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={user.primaryEmailAddress?.emailAddress ?? ''}
          readOnly
          hidden
        />
        {user.passwordEnabled && (
          <Field
            appearance={appearance}
            label={t('formFieldLabel__currentPassword')}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            invalid={error?.param === 'current_password'}
          />
        )}
        <Field
          appearance={appearance}
          label={t('formFieldLabel__newPassword')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint={t('userProfile.passwordPage.newPasswordHint')}
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          invalid={error?.param === 'new_password'}
        />
        <label className="roster-check">
          <input type="checkbox" checked={signOutOthers} onChange={(e) => setSignOutOthers(e.target.checked)} />{' '}
          {t('formFieldLabel__signOutOfOtherSessions')}
        </label>
        <Notice appearance={appearance} message={notice} />
        <button type="submit" className={classOf(appearance, 'button')} aria-disabled={saving || !next || undefined}>
          {saving
            ? t('formButtonPrimary__saving')
            : user.passwordEnabled
              ? t('userProfile.start.passwordSection.primaryButton__updatePassword')
              : t('userProfile.start.passwordSection.primaryButton__setPassword')}
        </button>
      </form>
    </section>
  );
}

function SessionsSection(props: { appearance: Appearance | undefined; user: User }): ReactNode {
  const { appearance, user } = props;
  const { sessionId } = useAuth();
  const [sessions, setSessions] = useState<SessionWithActivities[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const id = useId();
  const l = useLocalization();
  const { t } = l;

  const load = useCallback(async () => {
    try {
      setSessions(await user.getSessions());
      setError(null);
    } catch (e) {
      setError(messageOf(e, l));
    }
  }, [user, l]);

  useEffect(() => {
    void load();
  }, [load]);

  const signOut = async (session: SessionWithActivities, label: string) => {
    setBusy(session.id);
    setNotice(null);
    try {
      await session.revoke();
      setSessions((all) => all?.filter((s) => s.id !== session.id) ?? null);
      setNotice(t('userProfile.start.activeDevicesSection.signedOut', { device: label }));
      headingRef.current?.focus();
    } catch (e) {
      setError(messageOf(e, l));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="roster-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('userProfile.start.activeDevicesSection.title')}
      </h3>
      <Alert appearance={appearance} message={error} />
      {sessions === null && !error && (
        <p className="roster-muted">{t('userProfile.start.activeDevicesSection.loading')}</p>
      )}
      {sessions && (
        <ul className="roster-list" aria-labelledby={`${id}-title`}>
          {sessions.map((s) => {
            const label = deviceLabel(s, l);
            const current = s.id === sessionId;
            return (
              <li key={s.id} className="roster-list-item roster-member-row">
                <div className="roster-grow">
                  <span style={{ fontWeight: 600 }}>{label}</span>{' '}
                  {current && <span className="roster-badge">{t('badge__thisDevice')}</span>}
                  <div className="roster-muted" style={{ fontSize: '0.875em' }}>
                    {s.latestActivity.ipAddress && `${s.latestActivity.ipAddress} · `}
                    {l.rich('userProfile.start.activeDevicesSection.lastActive', {
                      date: <FormattedDate date={s.lastActiveAt} />,
                    })}
                  </div>
                </div>
                {!current && (
                  <button
                    type="button"
                    className={classOf(appearance, 'buttonSecondary')}
                    aria-label={t('userProfile.start.activeDevicesSection.signOutLabel', { device: label })}
                    aria-disabled={busy !== null || undefined}
                    onClick={() => {
                      if (!busy) void signOut(s, label);
                    }}
                  >
                    {busy === s.id
                      ? t('userButton.action__signOut__busy')
                      : t('userProfile.start.activeDevicesSection.destructiveAction')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Notice appearance={appearance} message={notice} />
    </section>
  );
}

/** "Firefox on Linux", or "Unknown device" when the session's browser did not say. */
function deviceLabel(session: SessionWithActivities, { t }: Localizer): string {
  const { browserName, deviceType } = session.latestActivity;
  if (browserName && deviceType) return t('userProfile.start.activeDevicesSection.device', { browserName, deviceType });
  return browserName ?? deviceType ?? t('userProfile.start.activeDevicesSection.unknownDevice');
}
