'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
import { useUser } from '../use-auth.js';
import { type Appearance, classOf } from './appearance.js';
import { ResetPassword } from './reset-password.js';
import {
  Alert,
  EmailField,
  Footnote,
  Header,
  PasswordField,
  queryParam,
  Root,
  redirectTarget,
  SubmitButton,
} from './ui.js';
import { useFormSubmit } from './use-form-submit.js';

/**
 * Props of `<SignIn/>`.
 *
 * @example
 * ```tsx
 * const props: SignInProps = { afterSignInUrl: '/dashboard', signUpUrl: '/sign-up' };
 * ```
 */
export interface SignInProps {
  /** Where to go after signing in, unless the page has a `?redirect_url=` on this site. Default `/`. */
  afterSignInUrl?: string;
  /** A link to the sign-up page, shown under the form. */
  signUpUrl?: string;
  /**
   * Where "Forgot password?" leads: a page that resets passwords, such as Roster's hosted
   * `https://<roster>/account/forgot-password`. The address typed so far is added as
   * `?email_address=`. Without it, the reset runs inside the component (address, emailed code,
   * new password) and ends signed in, as a sign-in does.
   */
  forgotPasswordUrl?: string;
  appearance?: Appearance;
}

/**
 * Email-and-password sign-in. A visitor who is already signed in is offered to continue; when the
 * page has a `redirect_url` (set by `rosterMiddleware`), they are sent on at once. "Forgot
 * password?" resets the password in place (or goes to `forgotPasswordUrl` when given).
 *
 * @example
 * ```tsx
 * export default function Page() {
 *   return <SignIn afterSignInUrl="/dashboard" signUpUrl="/sign-up" />;
 * }
 * ```
 */
export function SignIn(props: SignInProps): ReactNode {
  const { signUpUrl, forgotPasswordUrl } = props;
  const appearance = useAppearance(props.appearance);
  const { client, navigate } = useRosterContext('SignIn');
  const { isLoaded, user } = useUser();
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const { pending, failure, submit, fail } = useFormSubmit();
  const { t } = useLocalization();
  const target = redirectTarget(props.afterSignInUrl ?? '/');
  const passwordRef = useRef<HTMLInputElement>(null);
  const sentOn = useRef(false);
  // In the reset path, which signs in on its own and then navigates: no "You are signed in" meanwhile.
  const [resetting, setResetting] = useState(false);

  // Back from rosterMiddleware with a session that is still good: go on without asking again.
  useEffect(() => {
    if (user && queryParam('redirect_url') && !sentOn.current && !pending && !resetting) {
      sentOn.current = true;
      void navigate(target);
    }
  }, [user, navigate, target, pending, resetting]);

  const onSubmit = submit(
    async () => {
      await client.signIn.create({ identifier: identifier.trim(), password });
      await navigate(target);
    },
    () => {
      setPassword('');
      passwordRef.current?.focus();
    },
  );

  if (resetting) {
    return (
      <ResetPassword
        appearance={appearance}
        emailAddress={identifier}
        target={target}
        onCancel={(emailAddress) => {
          setIdentifier(emailAddress);
          setResetting(false);
        }}
      />
    );
  }

  if (isLoaded && user && !pending) {
    return (
      <Root appearance={appearance} name="sign-in">
        <Header appearance={appearance} title={t('signIn.signedIn.title')}>
          {t('signIn.signedIn.subtitle', { identifier: user.primaryEmailAddress?.emailAddress ?? user.fullName ?? '' })}
        </Header>
        <button type="button" className={classOf(appearance, 'button')} onClick={() => void navigate(target)}>
          {t('formButtonPrimary')}
        </button>{' '}
        <button
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          onClick={() => void client.signOut().catch(fail)}
        >
          {t('userButton.action__signOut')}
        </button>
        <Alert appearance={appearance} message={failure?.message ?? null} />
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-in" busy={!isLoaded}>
      <Header appearance={appearance} title={t('signIn.start.title__noApplication')}>
        {t('signIn.start.subtitle')}
      </Header>
      <Alert appearance={appearance} message={failure?.message ?? null} />
      <form className={classOf(appearance, 'form')} onSubmit={onSubmit} noValidate={false}>
        <EmailField appearance={appearance} value={identifier} onChange={setIdentifier} invalid={failure !== null} />
        <PasswordField
          ref={passwordRef}
          appearance={appearance}
          name="password"
          value={password}
          onChange={setPassword}
          invalid={failure !== null}
        />
        <SubmitButton
          appearance={appearance}
          busy={pending}
          busyLabel={t('signIn.start.formButtonPrimary__busy')}
          disabled={!isLoaded}
        >
          {t('signIn.start.formButtonPrimary')}
        </SubmitButton>
      </form>
      <Footnote>
        {forgotPasswordUrl ? (
          <a href={withEmail(forgotPasswordUrl, identifier.trim())}>{t('formFieldAction__forgotPassword')}</a>
        ) : (
          <button type="button" className="roster-link" onClick={() => setResetting(true)}>
            {t('formFieldAction__forgotPassword')}
          </button>
        )}
      </Footnote>
      {signUpUrl && (
        <Footnote>
          {t('signIn.start.actionText')} <a href={signUpUrl}>{t('signIn.start.actionLink')}</a>
        </Footnote>
      )}
    </Root>
  );
}

/** `url` with `email_address` set when one was typed (relative URLs stay relative). */
function withEmail(url: string, email: string): string {
  if (!email) return url;
  return `${url}${url.includes('?') ? '&' : '?'}email_address=${encodeURIComponent(email)}`;
}
