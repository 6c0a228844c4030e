/** @jsxImportSource hono/jsx */
import { attemptEmailVerificationBody, forgotPasswordForm, resetPasswordBody } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import {
  attemptResetPasswordCode,
  prepareResetPassword,
  resetPassword,
  startSignIn,
} from '../../domain/passwords/reset.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { clearSession, requireSameOrigin, setSession } from '../session.js';
import { forgetSignInId, keepSignInId, signInIdOf } from '../sign-in-cookie.js';
import { formValues, pageError, readForm } from './forms.js';
import { CodeField, ErrorNote, Page } from './layout.js';

/**
 * The hosted forgot-password flow: address → six-digit code → new password, then signed in on
 * /account with every other session ended. Each step answers the same whether or not the address
 * has an account. The sign-in id lives in an HttpOnly cookie between the steps.
 */

/**
 * The path of the hosted forgot-password page, with the address filled in when given (the account
 * and accept pages link here; pages link by path, so the link stays on Roster's own origin).
 *
 * @example
 * forgotPasswordPath('ada@example.com'); // '/account/forgot-password?email_address=ada%40example.com'
 */
export function forgotPasswordPath(emailAddress?: string | null): string {
  return emailAddress
    ? `/account/forgot-password?email_address=${encodeURIComponent(emailAddress)}`
    : '/account/forgot-password';
}

function AddressForm(props: { error: string | null; email: string }) {
  return (
    <Page title="Reset your password">
      <h1>Reset your password</h1>
      <p class="muted">Enter the email address of your account. We will send it a six-digit code.</p>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/forgot-password">
        <label for="identifier">Email address</label>
        <input id="identifier" name="identifier" type="email" autocomplete="email" value={props.email} required />
        <button type="submit">Send code</button>
      </form>
      <p class="muted" style="margin-top:16px">
        Remembered it? <a href="/account">Sign in</a>
      </p>
    </Page>
  );
}

function CodeForm(props: { error: string | null; email: string }) {
  return (
    <Page title="Check your email">
      <h1>Check your email</h1>
      <p>
        If an account uses <strong>{props.email}</strong>, we sent it a six-digit code. It works for 10 minutes.
      </p>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/forgot-password/code">
        <input type="hidden" name="email_address" value={props.email} />
        <CodeField label="Reset code" />
        <button type="submit">Continue</button>
      </form>
      <form method="post" action="/account/forgot-password">
        <input type="hidden" name="identifier" value={props.email} />
        <button type="submit" class="secondary">
          Send a new code
        </button>
      </form>
      <p class="muted" style="margin-top:16px">
        <a href="/account/forgot-password">Use another address</a>
      </p>
    </Page>
  );
}

function NewPasswordForm(props: { error: string | null }) {
  return (
    <Page title="Choose a new password">
      <h1>Choose a new password</h1>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/forgot-password/reset">
        <label for="password">New password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength={8}
          required
          autofocus
          aria-describedby="password-help"
        />
        <p class="muted" id="password-help">
          At least 8 characters, and not a common or leaked password. You will be signed out everywhere else.
        </p>
        <button type="submit">Set password and sign in</button>
      </form>
      <p class="muted" style="margin-top:16px">
        <a href="/account/forgot-password">Start again</a>
      </p>
    </Page>
  );
}

export function registerForgotPasswordPages(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }) {
  app.get('/account/forgot-password', (c) =>
    c.html(<AddressForm error={null} email={(c.req.query('email_address') ?? '').slice(0, 320)} />),
  );

  app.post('/account/forgot-password', requireSameOrigin, async (c) => {
    const limits = c.var.limits;
    try {
      const { identifier } = await readForm(c, forgotPasswordForm);
      await consume(limits, limits.signInPerIp, options.ip(c));
      await consume(limits, limits.codesPerIp, options.ip(c));
      const started = await startSignIn(c.var.deps, { identifier });
      keepSignInId(c, started.signInId);
      await prepareResetPassword(c.var.deps, {
        signInId: started.signInId,
        throttle: (addressKey) => consume(limits, limits.codeMailsPerAddress, addressKey),
      });
      return c.html(<CodeForm error={null} email={started.emailAddress} />);
    } catch (error) {
      const { message, status } = pageError(error);
      const email = ((await formValues(c).catch(() => ({}))) as Record<string, string>).identifier ?? '';
      return c.html(<AddressForm error={message} email={email.slice(0, 320)} />, status as 422);
    }
  });

  app.post('/account/forgot-password/code', requireSameOrigin, async (c) => {
    try {
      const { code } = await readForm(c, attemptEmailVerificationBody);
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      await attemptResetPasswordCode(c.var.deps, { signInId: signInIdOf(c), code });
      return c.html(<NewPasswordForm error={null} />);
    } catch (error) {
      const { message, status } = pageError(error);
      const email = ((await formValues(c).catch(() => ({}))) as Record<string, string>).email_address ?? '';
      return c.html(<CodeForm error={message} email={email.slice(0, 320)} />, status as 422);
    }
  });

  app.post('/account/forgot-password/reset', requireSameOrigin, async (c) => {
    try {
      const { password } = await readForm(c, resetPasswordBody.pick({ password: true }));
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      const { session, token } = await resetPassword(c.var.deps, { signInId: signInIdOf(c), password });
      await clearSession(c);
      setSession(c, token, session);
      forgetSignInId(c);
      return c.redirect('/account?password_reset=1', 303);
    } catch (error) {
      const { message, status } = pageError(error);
      return c.html(<NewPasswordForm error={message} />, status as 422);
    }
  });
}
