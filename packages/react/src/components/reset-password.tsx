'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
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
  const { t, rich } = useLocalization();

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
      setNotice(t('signUp.emailCode.resendNotice', { emailAddress: email }));
      first.current?.focus();
    } catch (e) {
      fail(e);
    }
  };

  const backToSignIn = (
    <Footnote>
      <button type="button" className="roster-link" onClick={() => onCancel(emailAddress)}>
        {t('signIn.forgotPassword.action__backToSignIn')}
      </button>
    </Footnote>
  );

  if (step === 'code') {
    return (
      <Root appearance={appearance} name="sign-in">
        <Header appearance={appearance} title={t('signIn.forgotPassword.title__code')}>
          {rich('signIn.forgotPassword.subtitle_email', { emailAddress: <strong>{email}</strong> })}
        </Header>
        <Alert appearance={appearance} message={failure?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onCode}>
          <CodeField ref={first} appearance={appearance} value={code} onChange={setCode} invalid={failure !== null} />
          <SubmitButton
            appearance={appearance}
            busy={pending}
            busyLabel={t('signIn.forgotPassword.formButtonPrimary__busy')}
            disabled={code.length !== 6}
          >
            {t('formButtonPrimary')}
          </SubmitButton>
        </form>
        <Footnote>
          {t('signUp.emailCode.resendText')}{' '}
          <button type="button" className="roster-link" onClick={() => void resend()}>
            {t('signUp.emailCode.resendButton')}
          </button>{' '}
          {t('dividerText')}{' '}
          <button type="button" className="roster-link" onClick={() => go('email')}>
            {t('backButton')}
          </button>
          .
        </Footnote>
      </Root>
    );
  }

  if (step === 'password') {
    return (
      <Root appearance={appearance} name="sign-in">
        <Header appearance={appearance} title={t('signIn.resetPassword.title')}>
          {rich('signIn.resetPassword.subtitle', { emailAddress: <strong>{email}</strong> })}
        </Header>
        <Alert appearance={appearance} message={failure?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onPassword}>
          <NewPasswordField
            ref={first}
            appearance={appearance}
            label={t('formFieldLabel__newPassword')}
            name="password"
            revealable
            value={password}
            onChange={setPassword}
            invalid={failure !== null}
          />
          <SubmitButton appearance={appearance} busy={pending} busyLabel={t('formButtonPrimary__saving')}>
            {t('signIn.resetPassword.formButtonPrimary')}
          </SubmitButton>
        </form>
        {backToSignIn}
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-in">
      <Header appearance={appearance} title={t('signIn.forgotPassword.title')}>
        {t('signIn.forgotPassword.subtitle')}
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
          {t('signIn.forgotPassword.formButtonPrimary')}
        </SubmitButton>
      </form>
      {backToSignIn}
    </Root>
  );
}
