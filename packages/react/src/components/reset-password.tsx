'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useRosterContext } from '../context.js';
import { type Appearance, classOf } from './appearance.js';
import { Alert, CodeField, EmailField, Footnote, Header, NewPasswordField, Notice, Root, SubmitButton } from './ui.js';
import { useFormSubmit } from './use-form-submit.js';

const STRATEGY = 'reset_password_email_code';

/** Props of `ResetPassword`, the "Forgot password?" path inside `<SignIn/>`. */
export interface ResetPasswordProps {
  appearance: Appearance | undefined;
  /** The address typed into the sign-in form so far. */
  emailAddress: string;
  /** Where to go once signed in with the new password. */
  target: string;
  /** Back to the sign-in form, with the address as it stands here. */
  onCancel: (emailAddress: string) => void;
}

type Step = 'email' | 'code' | 'password';

/**
 * A password reset in three steps (`reset_password_email_code`): the address, the six-digit code
 * mailed to it, then the new password, which signs in and ends every other session. The server
 * answers the same whether or not the address has an account, and so does this.
 */
export function ResetPassword(props: ResetPasswordProps): ReactNode {
  const { appearance, onCancel } = props;
  const { client, navigate } = useRosterContext('SignIn');
  const [step, setStep] = useState<Step>('email');
  const [emailAddress, setEmailAddress] = useState(props.emailAddress);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { pending, failure, submit, fail, clear, done } = useFormSubmit();
  const [notice, setNotice] = useState<string | null>(null);
  // The first field of whichever step is shown: focused when the step begins and after a failure.
  const first = useRef<HTMLInputElement>(null);
  const email = emailAddress.trim();

  // biome-ignore lint/correctness/useExhaustiveDependencies: the step is the trigger, not an input.
  useEffect(() => {
    first.current?.focus();
  }, [step]);

  const go = (next: Step) => {
    clear();
    setNotice(null);
    setStep(next);
  };

  const onEmail = submit(
    async () => {
      await client.signIn.create({ identifier: email, strategy: STRATEGY });
      setCode('');
      go('code');
      done();
    },
    () => first.current?.focus(),
  );

  const onCode = submit(
    async () => {
      await client.signIn.attemptFirstFactor({ strategy: STRATEGY, code: code.trim() });
      go('password');
      done();
    },
    () => {
      setCode('');
      first.current?.focus();
    },
  );

  const onPassword = submit(
    async () => {
      await client.signIn.resetPassword({ password, signOutOfOtherSessions: true });
      await navigate(props.target);
    },
    () => first.current?.focus(),
  );

  const resend = async () => {
    clear();
    setNotice(null);
    try {
      await client.signIn.prepareFirstFactor({ strategy: STRATEGY });
      setCode('');
      setNotice(`A new code is on its way to ${email}.`);
      first.current?.focus();
    } catch (e) {
      fail(e);
    }
  };

  const backToSignIn = (
    <Footnote>
      <button type="button" className="roster-link" onClick={() => onCancel(emailAddress)}>
        Back to sign in
      </button>
    </Footnote>
  );

  if (step === 'code') {
    return (
      <Root appearance={appearance} name="sign-in">
        <Header appearance={appearance} title="Check your email">
          If <strong>{email}</strong> has an account, we sent a six-digit code to it. It works for 10 minutes.
        </Header>
        <Alert appearance={appearance} message={failure?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onCode}>
          <CodeField ref={first} appearance={appearance} value={code} onChange={setCode} invalid={failure !== null} />
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Checking…" disabled={code.length !== 6}>
            Continue
          </SubmitButton>
        </form>
        <Footnote>
          No code?{' '}
          <button type="button" className="roster-link" onClick={() => void resend()}>
            Send a new one
          </button>{' '}
          or{' '}
          <button type="button" className="roster-link" onClick={() => go('email')}>
            Back
          </button>
          .
        </Footnote>
      </Root>
    );
  }

  if (step === 'password') {
    return (
      <Root appearance={appearance} name="sign-in">
        <Header appearance={appearance} title="Choose a new password">
          For <strong>{email}</strong>. You will be signed in here and signed out everywhere else.
        </Header>
        <Alert appearance={appearance} message={failure?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onPassword}>
          <NewPasswordField
            ref={first}
            appearance={appearance}
            label="New password"
            name="password"
            revealable
            value={password}
            onChange={setPassword}
            invalid={failure !== null}
          />
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Saving…">
            Set password and sign in
          </SubmitButton>
        </form>
        {backToSignIn}
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-in">
      <Header appearance={appearance} title="Reset your password">
        Enter your account’s email address and we will send you a code.
      </Header>
      <Alert appearance={appearance} message={failure?.message ?? null} />
      <Notice appearance={appearance} message={notice} />
      <form className={classOf(appearance, 'form')} onSubmit={onEmail}>
        <EmailField
          ref={first}
          appearance={appearance}
          value={emailAddress}
          onChange={setEmailAddress}
          invalid={failure !== null}
        />
        <SubmitButton appearance={appearance} busy={pending} busyLabel="Sending code…">
          Send code
        </SubmitButton>
      </form>
      {backToSignIn}
    </Root>
  );
}
