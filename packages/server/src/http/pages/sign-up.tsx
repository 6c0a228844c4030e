/** @jsxImportSource hono/jsx */
import { signUpBody } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { startSession } from '../../domain/sessions/sessions.js';
import type { PageText } from '../../i18n/page-text.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { clearSession, requireSameOrigin, setSession } from '../session.js';
import { startSignUpWithCookie, verifySignUpFromCookie } from '../sign-up-cookie.js';
import { formValues, pageError } from './forms.js';
import { CodeField, ErrorNote, NewAccountFields, Page, pageText } from './layout.js';

/**
 * Hosted sign-up without an invitation: email and password, then the six-digit code mailed to
 * the address. The account exists only once the code comes back (decision 006).
 */

function SignUpForm(props: { error: string | null; email: string; text: PageText }) {
  const { common, signUp } = props.text.m;
  return (
    <Page title={signUp.title} text={props.text}>
      <h1>{signUp.title}</h1>
      <ErrorNote message={props.error} />
      <form method="post" action="/sign-up">
        <label for="email_address">{common.emailAddress}</label>
        <input id="email_address" name="email_address" type="email" autocomplete="email" value={props.email} required />
        <NewAccountFields text={props.text} />
        <button type="submit">{common.continue}</button>
      </form>
      <p class="muted" style="margin-top:16px">
        {signUp.haveAccount} <a href="/account">{common.signIn}</a>
      </p>
    </Page>
  );
}

/** `/sign-up` for someone already signed in: who they are, their account, signing out; no second account form. */
function SignedIn(props: { email: string; text: PageText }) {
  const { common, signUp } = props.text.m;
  return (
    <Page title={signUp.signedInTitle} text={props.text}>
      <h1>{signUp.signedInTitle}</h1>
      <p data-testid="signed-in-as">{props.text.rich(signUp.signedInAs, { email: <strong>{props.email}</strong> })}</p>
      <p>
        <a href="/account">{common.goToAccount}</a>
      </p>
      <form method="post" action="/account/sign-out">
        <button type="submit" class="secondary">
          {common.signOut}
        </button>
      </form>
    </Page>
  );
}

function VerifyForm(props: { error: string | null; email: string; text: PageText; codeMinutes: number }) {
  const { text } = props;
  const { common, signUp } = text.m;
  return (
    <Page title={common.checkEmail} text={text}>
      <h1>{common.checkEmail}</h1>
      <p>
        {text.rich(signUp.sentCode, {
          email: <strong>{props.email}</strong>,
          time: text.count(common.minutes, props.codeMinutes),
        })}
      </p>
      <ErrorNote message={props.error} />
      <form method="post" action="/sign-up/verify">
        <input type="hidden" name="email_address" value={props.email} />
        <CodeField label={common.verificationCode} />
        <button type="submit">{signUp.verifyAndCreate}</button>
      </form>
    </Page>
  );
}

const field = (form: Record<string, unknown>, name: string, max = 320) =>
  typeof form[name] === 'string' ? (form[name] as string).slice(0, max) : '';

export function registerSignUpPages(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }) {
  const minutes = (c: Context<AppEnv>) => Math.round(c.var.deps.settings.signUpCodeTtlMs / 60_000);

  app.get('/sign-up', (c) => {
    const user = c.var.user;
    const text = pageText(c);
    if (user) return c.html(<SignedIn email={user.emailAddresses[0]?.email ?? ''} text={text} />);
    return c.html(<SignUpForm error={null} email="" text={text} />);
  });

  app.post('/sign-up', requireSameOrigin, async (c) => {
    const fields = await formValues(c);
    const email = (fields.email_address ?? '').trim().slice(0, 320);
    const text = pageText(c);
    try {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const body = signUpBody.parse(fields);
      await startSignUpWithCookie(c, {
        emailAddress: body.email_address,
        password: body.password,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null,
        // The page's language, when the reader chose it, for the code mail and then the account.
        locale: text.readerLocale,
      });
      return c.html(<VerifyForm error={null} email={email} text={text} codeMinutes={minutes(c)} />);
    } catch (error) {
      const { message, status } = pageError(error, text);
      return c.html(<SignUpForm error={message} email={email} text={text} />, status as 422);
    }
  });

  app.post('/sign-up/verify', requireSameOrigin, async (c) => {
    const form = await formValues(c);
    const email = field(form, 'email_address').trim();
    const text = pageText(c);
    try {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const user = await verifySignUpFromCookie(c, { code: field(form, 'code', 12) });
      await clearSession(c);
      const issued = await startSession(c.var.deps, c.var.deps.store, user);
      setSession(c, issued.token, issued.session);
      return c.redirect('/account', 303);
    } catch (error) {
      const { message, status } = pageError(error, text);
      return c.html(<VerifyForm error={message} email={email} text={text} codeMinutes={minutes(c)} />, status as 422);
    }
  });
}
