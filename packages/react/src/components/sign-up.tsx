'use client';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useRosterContext } from '../context.js';
import { type Appearance, classOf } from './appearance.js';
import {
  Alert,
  Field,
  messageOf,
  NewAccountFields,
  Notice,
  namesOf,
  paramOf,
  Root,
  redirectTarget,
  SubmitButton,
  useNewAccount,
} from './ui.js';

/**
 * Props of `<SignUp/>`.
 *
 * @example
 * ```tsx
 * const props: SignUpProps = { afterSignUpUrl: '/organizations/new', signInUrl: '/sign-in' };
 * ```
 */
export interface SignUpProps {
  /** Where to go once the account exists, unless the page has a local `?redirect_url=`. Default `/`. */
  afterSignUpUrl?: string;
  /** A link to the sign-in page. */
  signInUrl?: string;
  appearance?: Appearance;
}

/**
 * Sign-up in two steps: email, name and password, then the six-digit code mailed to the address.
 * The account is created only when the code comes back, and the user is then signed in.
 *
 * @example
 * ```tsx
 * export default function Page() {
 *   return <SignUp afterSignUpUrl="/organizations/new" signInUrl="/sign-in" />;
 * }
 * ```
 */
export function SignUp(props: SignUpProps): ReactNode {
  const { appearance, signInUrl } = props;
  const { client, navigate } = useRosterContext('SignUp');
  const [step, setStep] = useState<'details' | 'code'>('details');
  const [emailAddress, setEmailAddress] = useState('');
  const account = useNewAccount();
  const [code, setCode] = useState('');
  const [error, setError] = useState<{ message: string; param: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (step === 'code') codeRef.current?.focus();
  }, [step]);

  const fail = (e: unknown) => {
    setError({ message: messageOf(e), param: paramOf(e) });
    setPending(false);
  };

  const sendCode = async () => {
    await client.signUp.create({
      emailAddress: emailAddress.trim(),
      password: account.password,
      ...namesOf(account),
    });
  };

  const onDetails = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await sendCode();
      setStep('code');
      setPending(false);
    } catch (e) {
      fail(e);
    }
  };

  const onCode = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await client.signUp.verify({ emailAddress: emailAddress.trim(), code: code.trim() });
      await navigate(redirectTarget(props.afterSignUpUrl ?? '/'));
    } catch (e) {
      setCode('');
      codeRef.current?.focus();
      fail(e);
    }
  };

  const resend = async () => {
    setError(null);
    setNotice(null);
    try {
      await sendCode();
      setNotice(`A new code is on its way to ${emailAddress.trim()}.`);
    } catch (e) {
      fail(e);
    }
  };

  if (step === 'code') {
    return (
      <Root appearance={appearance} name="sign-up">
        <div className={classOf(appearance, 'header')}>
          <h2>Check your email</h2>
          <p>
            We sent a six-digit code to <strong>{emailAddress.trim()}</strong>. It works for 10 minutes.
          </p>
        </div>
        <Alert appearance={appearance} message={error?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onCode}>
          <Field
            ref={codeRef}
            appearance={appearance}
            label="Verification code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            invalid={error !== null}
          />
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Verifying…" disabled={code.length !== 6}>
            Verify and create account
          </SubmitButton>
        </form>
        <p className="roster-muted" style={{ marginTop: 16 }}>
          No code?{' '}
          <button type="button" className="roster-link" onClick={() => void resend()}>
            Send a new one
          </button>{' '}
          or{' '}
          <button
            type="button"
            className="roster-link"
            onClick={() => {
              setStep('details');
              setCode('');
              setError(null);
              setNotice(null);
            }}
          >
            use another address
          </button>
          .
        </p>
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-up">
      <div className={classOf(appearance, 'header')}>
        <h2>Create your account</h2>
        <p>We will email you a code to confirm your address.</p>
      </div>
      <Alert appearance={appearance} message={error?.message ?? null} />
      <form className={classOf(appearance, 'form')} onSubmit={onDetails}>
        <Field
          appearance={appearance}
          label="Email address"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={emailAddress}
          onChange={(e) => setEmailAddress(e.target.value)}
          invalid={error?.param === 'email_address'}
        />
        <NewAccountFields
          appearance={appearance}
          named
          account={account}
          passwordInvalid={error?.param === 'password'}
        />
        <SubmitButton appearance={appearance} busy={pending} busyLabel="Sending code…">
          Continue
        </SubmitButton>
      </form>
      {signInUrl && (
        <p className="roster-muted" style={{ marginTop: 16 }}>
          Already have an account? <a href={signInUrl}>Sign in</a>
        </p>
      )}
    </Root>
  );
}
