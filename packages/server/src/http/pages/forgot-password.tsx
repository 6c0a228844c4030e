/** @jsxImportSource hono/jsx */
import { attemptEmailVerificationBody, forgotPasswordForm, resetPasswordBody } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import {
  attemptResetPasswordCode,
  prepareResetPassword,
  resetPassword,
  startSignIn,
} from '../../domain/passwords/reset.js';
import type { PageText } from '../../i18n/page-text.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { clearSession, requireSameOrigin, setSession } from '../session.js';
import { forgetSignInId, keepSignInId, signInIdOf } from '../sign-in-cookie.js';
import { formValues, pageError, readForm } from './forms.js';
import { CodeField, ErrorNote, Page, pageText } from './layout.js';

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

function AddressForm(props: { error: string | null; email: string; text: PageText }) {
  const { common, forgot } = props.text.m;
  return (
    <Page title={forgot.title} text={props.text}>
      <h1>{forgot.title}</h1>
      <p class="muted">{forgot.lead}</p>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/forgot-password">
        <label for="identifier">{common.emailAddress}</label>
        <input id="identifier" name="identifier" type="email" autocomplete="email" value={props.email} required />
        <button type="submit">{forgot.sendCode}</button>
      </form>
      <p class="muted" style="margin-top:16px">
        {forgot.remembered} <a href="/account">{common.signIn}</a>
      </p>
    </Page>
  );
}

function CodeForm(props: { error: string | null; email: string; text: PageText; codeMinutes: number }) {
  const { text } = props;
  const { common, forgot } = text.m;
  return (
    <Page title={common.checkEmail} text={text}>
      <h1>{common.checkEmail}</h1>
      <p>
        {text.rich(forgot.sentCode, {
          email: <strong>{props.email}</strong>,
          time: text.count(common.minutes, props.codeMinutes),
        })}
      </p>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/forgot-password/code">
        <input type="hidden" name="email_address" value={props.email} />
        <CodeField label={forgot.resetCode} />
        <button type="submit">{common.continue}</button>
      </form>
      <form method="post" action="/account/forgot-password">
        <input type="hidden" name="identifier" value={props.email} />
        <button type="submit" class="secondary">
          {common.sendNewCode}
        </button>
      </form>
      <p class="muted" style="margin-top:16px">
        <a href="/account/forgot-password">{forgot.otherAddress}</a>
      </p>
    </Page>
  );
}

function NewPasswordForm(props: { error: string | null; text: PageText }) {
  const { settings, forgot } = props.text.m;
  return (
    <Page title={forgot.newPasswordTitle} text={props.text}>
      <h1>{forgot.newPasswordTitle}</h1>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/forgot-password/reset">
        <label for="password">{settings.newPassword}</label>
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
          {forgot.newPasswordHelp}
        </p>
        <button type="submit">{forgot.setAndSignIn}</button>
      </form>
      <p class="muted" style="margin-top:16px">
        <a href="/account/forgot-password">{forgot.startAgain}</a>
      </p>
    </Page>
  );
}

export function registerForgotPasswordPages(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }) {
  const minutes = (c: Context<AppEnv>) => Math.round(c.var.deps.settings.signUpCodeTtlMs / 60_000);

  app.get('/account/forgot-password', (c) =>
    c.html(<AddressForm error={null} email={(c.req.query('email_address') ?? '').slice(0, 320)} text={pageText(c)} />),
  );

  app.post('/account/forgot-password', requireSameOrigin, async (c) => {
    const limits = c.var.limits;
    const text = pageText(c);
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
      return c.html(<CodeForm error={null} email={started.emailAddress} text={text} codeMinutes={minutes(c)} />);
    } catch (error) {
      const { message, status } = pageError(error, text);
      const email = ((await formValues(c).catch(() => ({}))) as Record<string, string>).identifier ?? '';
      return c.html(<AddressForm error={message} email={email.slice(0, 320)} text={text} />, status as 422);
    }
  });

  app.post('/account/forgot-password/code', requireSameOrigin, async (c) => {
    const text = pageText(c);
    try {
      const { code } = await readForm(c, attemptEmailVerificationBody);
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      await attemptResetPasswordCode(c.var.deps, { signInId: signInIdOf(c), code });
      return c.html(<NewPasswordForm error={null} text={text} />);
    } catch (error) {
      const { message, status } = pageError(error, text);
      const email = ((await formValues(c).catch(() => ({}))) as Record<string, string>).email_address ?? '';
      return c.html(
        <CodeForm error={message} email={email.slice(0, 320)} text={text} codeMinutes={minutes(c)} />,
        status as 422,
      );
    }
  });

  app.post('/account/forgot-password/reset', requireSameOrigin, async (c) => {
    const text = pageText(c);
    try {
      const { password } = await readForm(c, resetPasswordBody.pick({ password: true }));
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      const { session, token } = await resetPassword(c.var.deps, { signInId: signInIdOf(c), password });
      await clearSession(c);
      setSession(c, token, session);
      forgetSignInId(c);
      return c.redirect('/account?password_reset=1', 303);
    } catch (error) {
      const { message, status } = pageError(error, text);
      return c.html(<NewPasswordForm error={message} text={text} />, status as 422);
    }
  });
}
