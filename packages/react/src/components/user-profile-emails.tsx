import type { EmailAddressResource, User } from '@roster/client';
import { type ComponentProps, type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../localization/context.js';
import { type Appearance, classOf } from './appearance.js';
import { Confirm } from './confirm.js';
import { Alert, Field, messageOf, Notice, paramOf } from './ui.js';

export function EmailSection(props: { appearance: Appearance | undefined; user: User }): ReactNode {
  const { appearance, user } = props;
  const [adding, setAdding] = useState(false);
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState<EmailAddressResource | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; param: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  /** Focus goes back to "Add email address" once it is shown again (after a verify or a removal). */
  const refocusAdd = useRef(false);
  const id = useId();
  const l = useLocalization();
  const { t } = l;

  useEffect(() => {
    if (!adding && refocusAdd.current) {
      refocusAdd.current = false;
      addRef.current?.focus();
    }
  });

  const run = async (what: string, work: () => Promise<string>) => {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      return true;
    } catch (e) {
      setError({ message: messageOf(e, l), param: paramOf(e) });
      return false;
    } finally {
      setBusy(null);
    }
  };

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !email.trim()) return;
    void run('add', async () => {
      const created = await user.createEmailAddress({ email: email.trim() });
      await created.prepareVerification({ strategy: 'email_code' });
      setPending(created);
      setCode('');
      return t('userProfile.start.emailAddressesSection.codeSent', { emailAddress: created.emailAddress });
    });
  };

  const onVerify = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !pending || !code.trim()) return;
    void run('verify', async () => {
      const verified = await pending.attemptVerification({ code: code.trim() });
      setPending(null);
      setAdding(false);
      setEmail('');
      return t('userProfile.start.emailAddressesSection.verified', { emailAddress: verified.emailAddress });
    }).then((ok) => {
      if (ok) refocusAdd.current = true;
    });
  };

  const cancelAdd = () => {
    setAdding(false);
    setPending(null);
    setEmail('');
    setCode('');
    setError(null);
    refocusAdd.current = true;
  };

  return (
    <section className="roster-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('userProfile.start.emailAddressesSection.title')}</h3>
      <Alert appearance={appearance} message={adding ? null : (error?.message ?? null)} />
      <ul className="roster-list" aria-labelledby={`${id}-title`}>
        {user.emailAddresses.map((address) => {
          const primary = address.id === user.primaryEmailAddressId;
          return (
            <li key={address.id} className="roster-list-item roster-member-row">
              <div className="roster-grow">
                <span style={{ fontWeight: 600 }}>{address.emailAddress}</span>{' '}
                {primary && <span className="roster-badge">{t('badge__primary')}</span>}{' '}
                {!address.verified && (
                  <span className="roster-badge" data-tone="muted">
                    {t('badge__unverified')}
                  </span>
                )}
              </div>
              {!primary && address.verified && (
                <button
                  type="button"
                  className={classOf(appearance, 'buttonSecondary')}
                  aria-disabled={busy !== null || undefined}
                  aria-label={t('userProfile.start.emailAddressesSection.primaryLabel', {
                    emailAddress: address.emailAddress,
                  })}
                  onClick={() => {
                    if (!busy)
                      void run(`primary-${address.id}`, async () => {
                        await user.update({ primaryEmailAddressId: address.id });
                        return t('userProfile.start.emailAddressesSection.primaryChanged', {
                          emailAddress: address.emailAddress,
                        });
                      });
                  }}
                >
                  {t('userProfile.start.emailAddressesSection.detailsAction__nonPrimary')}
                </button>
              )}
              {!primary && (
                <button
                  type="button"
                  className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
                  aria-label={t('userProfile.start.emailAddressesSection.removeLabel', {
                    emailAddress: address.emailAddress,
                  })}
                  aria-expanded={removing === address.id}
                  onClick={() => setRemoving(address.id)}
                >
                  {t('userProfile.start.emailAddressesSection.destructiveAction')}
                </button>
              )}
              {removing === address.id && (
                <div style={{ flexBasis: '100%' }}>
                  <Confirm
                    appearance={appearance}
                    danger
                    title={t('userProfile.emailAddressPage.removeResource.title', {
                      emailAddress: address.emailAddress,
                    })}
                    confirmLabel={t('userProfile.emailAddressPage.removeResource.confirm')}
                    busyLabel={t('imageUpload.removing')}
                    busy={busy === `remove-${address.id}`}
                    onConfirm={() =>
                      void run(`remove-${address.id}`, async () => {
                        await address.destroy();
                        setRemoving(null);
                        return t('userProfile.emailAddressPage.removeResource.successMessage', {
                          emailAddress: address.emailAddress,
                        });
                      }).then(() => {
                        refocusAdd.current = true;
                      })
                    }
                    onCancel={() => setRemoving(null)}
                  >
                    <p className="roster-muted" style={{ margin: 0 }}>
                      {t('userProfile.emailAddressPage.removeResource.messageLine2')}
                    </p>
                  </Confirm>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {!adding ? (
        <button
          ref={addRef}
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
        >
          {t('userProfile.start.emailAddressesSection.primaryButton')}
        </button>
      ) : (
        <CodeStepForm
          appearance={appearance}
          error={error}
          onCancel={cancelAdd}
          {...(!pending
            ? {
                label: t('userProfile.emailAddressPage.title'),
                onSubmit: onAdd,
                submit:
                  busy === 'add'
                    ? t('signUp.start.formButtonPrimary__busy')
                    : t('signIn.forgotPassword.formButtonPrimary'),
                field: {
                  label: t('userProfile.emailAddressPage.newAddressLabel'),
                  name: 'email',
                  type: 'email',
                  autoComplete: 'email',
                  value: email,
                  onChange: (e) => setEmail(e.target.value),
                  invalid: error?.param === 'email_address',
                },
              }
            : {
                label: t('userProfile.emailAddressPage.emailCode.title', { emailAddress: pending.emailAddress }),
                onSubmit: onVerify,
                submit:
                  busy === 'verify' ? t('signUp.emailCode.formButtonPrimary__busy') : t('formButtonPrimary__verify'),
                field: {
                  label: t('userProfile.emailAddressPage.emailCode.formSubtitle', { identifier: pending.emailAddress }),
                  name: 'code',
                  inputMode: 'numeric',
                  autoComplete: 'one-time-code',
                  maxLength: 6,
                  value: code,
                  onChange: (e) => setCode(e.target.value),
                  invalid: error?.param === 'code',
                },
              })}
          busy={busy !== null}
        />
      )}
      <Notice appearance={appearance} message={notice} />
    </section>
  );
}

/** The one-field step of adding an address: the address first, then the code mailed to it. */
function CodeStepForm(props: {
  appearance: Appearance | undefined;
  label: string;
  field: Omit<ComponentProps<typeof Field>, 'appearance' | 'required' | 'autoFocus'>;
  submit: string;
  busy: boolean;
  error: { message: string } | null;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
}): ReactNode {
  const { appearance } = props;
  const { t } = useLocalization();
  return (
    <form className={classOf(appearance, 'form')} onSubmit={props.onSubmit} aria-label={props.label}>
      <Alert appearance={appearance} message={props.error?.message ?? null} />
      <Field key={props.field.name} appearance={appearance} required autoFocus {...props.field} />
      <div className="roster-actions">
        <button type="submit" className={classOf(appearance, 'button')} aria-disabled={props.busy || undefined}>
          {props.submit}
        </button>
        <button type="button" className={classOf(appearance, 'buttonSecondary')} onClick={props.onCancel}>
          {t('formButtonReset')}
        </button>
      </div>
    </form>
  );
}
