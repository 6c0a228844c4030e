'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
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
  const { t, rich } = useLocalization();

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
      setNotice(t('signUp.emailCode.resendNotice', { emailAddress: emailAddress.trim() }));
    } catch (e) {
      fail(e);
    }
  };

  if (step === 'code') {
    return (
      <Root appearance={appearance} name="sign-up">
        <Header appearance={appearance} title={t('signUp.emailCode.title')}>
          {rich('signUp.emailCode.subtitle', { emailAddress: <strong>{emailAddress.trim()}</strong> })}
        </Header>
        <Alert appearance={appearance} message={failure?.message ?? null} />
        <Notice appearance={appearance} message={notice} />
        <form className={classOf(appearance, 'form')} onSubmit={onCode}>
          <CodeField ref={codeRef} appearance={appearance} value={code} onChange={setCode} invalid={failure !== null} />
          <SubmitButton
            appearance={appearance}
            busy={pending}
            busyLabel={t('signUp.emailCode.formButtonPrimary__busy')}
            disabled={code.length !== 6}
          >
            {t('signUp.emailCode.formButtonPrimary')}
          </SubmitButton>
        </form>
        <Footnote>
          {t('signUp.emailCode.resendText')}{' '}
          <button type="button" className="roster-link" onClick={() => void resend()}>
            {t('signUp.emailCode.resendButton')}
          </button>{' '}
          {t('dividerText')}{' '}
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
            {t('signUp.emailCode.action__useAnotherAddress')}
          </button>
          .
        </Footnote>
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-up">
      <Header appearance={appearance} title={t('signUp.start.title')}>
        {t('signUp.start.subtitle')}
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
        <SubmitButton appearance={appearance} busy={pending} busyLabel={t('signUp.start.formButtonPrimary__busy')}>
          {t('formButtonPrimary')}
        </SubmitButton>
      </form>
      {signInUrl && (
        <Footnote>
          {t('signUp.start.actionText')} <a href={signInUrl}>{t('signUp.start.actionLink')}</a>
        </Footnote>
      )}
    </Root>
  );
}
