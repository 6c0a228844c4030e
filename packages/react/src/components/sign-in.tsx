'use client';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useRosterContext } from '../context.js';
import { useUser } from '../use-auth.js';
import { type Appearance, classOf } from './appearance.js';
import { Alert, Field, messageOf, queryParam, Root, redirectTarget, SubmitButton } from './ui.js';

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
  appearance?: Appearance;
}

/**
 * Email-and-password sign-in. A visitor who is already signed in is offered to continue; when the
 * page has a `redirect_url` (set by `rosterMiddleware`), they are sent on at once.
 *
 * @example
 * ```tsx
 * export default function Page() {
 *   return <SignIn afterSignInUrl="/dashboard" signUpUrl="/sign-up" />;
 * }
 * ```
 */
export function SignIn(props: SignInProps): ReactNode {
  const { appearance, signUpUrl } = props;
  const { client, navigate } = useRosterContext('SignIn');
  const { isLoaded, user } = useUser();
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const target = redirectTarget(props.afterSignInUrl ?? '/');
  const passwordRef = useRef<HTMLInputElement>(null);
  const sentOn = useRef(false);

  // Back from rosterMiddleware with a session that is still good: go on without asking again.
  useEffect(() => {
    if (user && queryParam('redirect_url') && !sentOn.current && !pending) {
      sentOn.current = true;
      void navigate(target);
    }
  }, [user, navigate, target, pending]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await client.signIn.create({ identifier: identifier.trim(), password });
      await navigate(target);
    } catch (e) {
      setError(messageOf(e));
      setPassword('');
      passwordRef.current?.focus();
      setPending(false);
    }
  };

  if (isLoaded && user && !pending) {
    return (
      <Root appearance={appearance} name="sign-in">
        <div className={classOf(appearance, 'header')}>
          <h2>You are signed in</h2>
          <p>As {user.primaryEmailAddress?.emailAddress ?? user.fullName}.</p>
        </div>
        <button type="button" className={classOf(appearance, 'button')} onClick={() => void navigate(target)}>
          Continue
        </button>{' '}
        <button
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          onClick={() => void client.signOut().catch((e: unknown) => setError(messageOf(e)))}
        >
          Sign out
        </button>
        <Alert appearance={appearance} message={error} />
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="sign-in" busy={!isLoaded}>
      <div className={classOf(appearance, 'header')}>
        <h2>Sign in</h2>
        <p>Welcome back. Sign in with your email address.</p>
      </div>
      <Alert appearance={appearance} message={error} />
      <form className={classOf(appearance, 'form')} onSubmit={onSubmit} noValidate={false}>
        <Field
          appearance={appearance}
          label="Email address"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          invalid={error !== null}
        />
        <Field
          ref={passwordRef}
          appearance={appearance}
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          invalid={error !== null}
        />
        <SubmitButton appearance={appearance} busy={pending} busyLabel="Signing in…" disabled={!isLoaded}>
          Sign in
        </SubmitButton>
      </form>
      {signUpUrl && (
        <p className="roster-muted" style={{ marginTop: 16 }}>
          No account yet? <a href={signUpUrl}>Create one</a>
        </p>
      )}
    </Root>
  );
}
