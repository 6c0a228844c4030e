import type { EmailAddressResource, User } from '@roster/client';
import { type ComponentProps, type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
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
      setError({ message: messageOf(e), param: paramOf(e) });
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
      return `We sent a code to ${created.emailAddress}.`;
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
      return `${verified.emailAddress} is verified.`;
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
      <h3 id={`${id}-title`}>Email addresses</h3>
      <Alert appearance={appearance} message={adding ? null : (error?.message ?? null)} />
      <ul className="roster-list" aria-labelledby={`${id}-title`}>
        {user.emailAddresses.map((address) => {
          const primary = address.id === user.primaryEmailAddressId;
          return (
            <li key={address.id} className="roster-list-item roster-member-row">
              <div className="roster-grow">
                <span style={{ fontWeight: 600 }}>{address.emailAddress}</span>{' '}
                {primary && <span className="roster-badge">Primary</span>}{' '}
                {!address.verified && (
                  <span className="roster-badge" data-tone="muted">
                    Unverified
                  </span>
                )}
              </div>
              {!primary && address.verified && (
                <button
                  type="button"
                  className={classOf(appearance, 'buttonSecondary')}
                  aria-disabled={busy !== null || undefined}
                  aria-label={`Make ${address.emailAddress} primary`}
                  onClick={() => {
                    if (!busy)
                      void run(`primary-${address.id}`, async () => {
                        await user.update({ primaryEmailAddressId: address.id });
                        return `${address.emailAddress} is now your primary address.`;
                      });
                  }}
                >
                  Make primary
                </button>
              )}
              {!primary && (
                <button
                  type="button"
                  className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
                  aria-label={`Remove ${address.emailAddress}`}
                  aria-expanded={removing === address.id}
                  onClick={() => setRemoving(address.id)}
                >
                  Remove
                </button>
              )}
              {removing === address.id && (
                <div style={{ flexBasis: '100%' }}>
                  <Confirm
                    appearance={appearance}
                    danger
                    title={`Remove ${address.emailAddress}?`}
                    confirmLabel="Remove address"
                    busyLabel="Removing…"
                    busy={busy === `remove-${address.id}`}
                    onConfirm={() =>
                      void run(`remove-${address.id}`, async () => {
                        await address.destroy();
                        setRemoving(null);
                        return `${address.emailAddress} was removed.`;
                      }).then(() => {
                        refocusAdd.current = true;
                      })
                    }
                    onCancel={() => setRemoving(null)}
                  >
                    <p className="roster-muted" style={{ margin: 0 }}>
                      You will no longer be able to sign in with it.
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
          Add email address
        </button>
      ) : (
        <CodeStepForm
          appearance={appearance}
          error={error}
          onCancel={cancelAdd}
          {...(!pending
            ? {
                label: 'Add an email address',
                onSubmit: onAdd,
                submit: busy === 'add' ? 'Sending code…' : 'Send code',
                field: {
                  label: 'New email address',
                  name: 'email',
                  type: 'email',
                  autoComplete: 'email',
                  value: email,
                  onChange: (e) => setEmail(e.target.value),
                  invalid: error?.param === 'email_address',
                },
              }
            : {
                label: `Verify ${pending.emailAddress}`,
                onSubmit: onVerify,
                submit: busy === 'verify' ? 'Verifying…' : 'Verify',
                field: {
                  label: `Code sent to ${pending.emailAddress}`,
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
  return (
    <form className={classOf(appearance, 'form')} onSubmit={props.onSubmit} aria-label={props.label}>
      <Alert appearance={appearance} message={props.error?.message ?? null} />
      <Field key={props.field.name} appearance={appearance} required autoFocus {...props.field} />
      <div className="roster-actions">
        <button type="submit" className={classOf(appearance, 'button')} aria-disabled={props.busy || undefined}>
          {props.submit}
        </button>
        <button type="button" className={classOf(appearance, 'buttonSecondary')} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
