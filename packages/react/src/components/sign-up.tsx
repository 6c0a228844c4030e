'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { type Appearance, classOf } from './appearance.js';
import {
  Alert,
  CodeField,
  EmailField,
  Footnote,
  Header,
  NewAccountFields,
  Notice,
  namesOf,
  Root,
  redirectTarget,
  SubmitButton,
  useNewAccount,
} from './ui.js';
import { useFormSubmit } from './use-form-submit.js';

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
  const { signInUrl } = props;
  const appearance = useAppearance(props.appearance);
  const { client, navigate } = useRosterContext('SignUp');
  const [step, setStep] = useState<'details' | 'code'>('details');
  const [emailAddress, setEmailAddress] = useState('');
  const account = useNewAccount();
  const [code, setCode] = useState('');
  const { pending, failure, submit, fail, clear, done } = useFormSubmit();
  const [notice, setNotice] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (step === 'code') codeRef.current?.focus();
  }, [step]);

  const sendCode = async () => {
    await client.signUp.create({
      emailAddress: emailAddress.trim(),
      password: account.password,
      ...namesOf(account),
    });
  };

  const onDetails = submit(async () => {
    await sendCode();
    setStep('code');
    done();
  });

  const onCode = submit(
    async () => {
      await client.signUp.verify({ emailAddress: emailAddress.trim(), code: code.trim() });
      await navigate(redirectTarget(props.afterSignUpUrl ?? '/'));
    },
    () => {
      setCode('');
      codeRef.current?.focus();
    },
  );

  const resend = async () => {
    clear();
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
        <Header appearance={appearance} title="Check your email">
          We sent a six-digit code to <strong>{emailAddress.trim()}</strong>. It works for 10 minutes.
        </Header>
        <Alert appearance={appearance} message={failure?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onCode}>
          <CodeField ref={codeRef} appearance={appearance} value={code} onChange={setCode} invalid={failure !== null} />
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Verifying…" disabled={code.length !== 6}>
            Verify and create account
          </SubmitButton>
        </form>
        <Footnote>
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
              clear();
              setNotice(null);
            }}
          >
            use another address
          </button>
          .
        </Footnote>
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-up">
      <Header appearance={appearance} title="Create your account">
        We will email you a code to confirm your address.
      </Header>
      <Alert appearance={appearance} message={failure?.message ?? null} />
      <form className={classOf(appearance, 'form')} onSubmit={onDetails}>
        <EmailField
          appearance={appearance}
          value={emailAddress}
          onChange={setEmailAddress}
          invalid={failure?.param === 'email_address'}
        />
        <NewAccountFields
          appearance={appearance}
          named
          account={account}
          passwordInvalid={failure?.param === 'password'}
        />
        <SubmitButton appearance={appearance} busy={pending} busyLabel="Sending code…">
          Continue
        </SubmitButton>
      </form>
      {signInUrl && (
        <Footnote>
          Already have an account? <a href={signInUrl}>Sign in</a>
        </Footnote>
      )}
    </Root>
  );
}
