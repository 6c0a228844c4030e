/** @jsxImportSource hono/jsx */
import { signUpBody } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { startSession } from '../../domain/sessions/sessions.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { clearSession, requireSameOrigin, setSession } from '../session.js';
import { startSignUpWithCookie, verifySignUpFromCookie } from '../sign-up-cookie.js';
import { formValues, pageError } from './forms.js';
import { CodeField, ErrorNote, NewAccountFields, Page } from './layout.js';

/**
 * Hosted sign-up without an invitation: email and password, then the six-digit code mailed to
 * the address. The account exists only once the code comes back (decision 006).
 */

function SignUpForm(props: { error: string | null; email: string }) {
  return (
    <Page title="Create your account">
      <h1>Create your account</h1>
      <ErrorNote message={props.error} />
      <form method="post" action="/sign-up">
        <label for="email_address">Email address</label>
        <input id="email_address" name="email_address" type="email" autocomplete="email" value={props.email} required />
        <NewAccountFields />
        <button type="submit">Continue</button>
      </form>
      <p class="muted" style="margin-top:16px">
        Already have an account? <a href="/account">Sign in</a>
      </p>
    </Page>
  );
}

/** `/sign-up` for someone already signed in: who they are, their account, signing out; no second account form. */
function SignedIn(props: { email: string }) {
  return (
    <Page title="You are signed in">
      <h1>You are signed in</h1>
      <p data-testid="signed-in-as">
        You are signed in as <strong>{props.email}</strong>.
      </p>
      <p>
        <a href="/account">Go to your account</a>
      </p>
      <form method="post" action="/account/sign-out">
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </Page>
  );
}

function VerifyForm(props: { error: string | null; email: string }) {
  return (
    <Page title="Check your email">
      <h1>Check your email</h1>
      <p>
        We sent a six-digit code to <strong>{props.email}</strong>. It works for 10 minutes.
      </p>
      <ErrorNote message={props.error} />
      <form method="post" action="/sign-up/verify">
        <input type="hidden" name="email_address" value={props.email} />
        <CodeField label="Verification code" />
        <button type="submit">Verify and create account</button>
      </form>
    </Page>
  );
}

const text = (form: Record<string, unknown>, name: string, max = 320) =>
  typeof form[name] === 'string' ? (form[name] as string).slice(0, max) : '';

export function registerSignUpPages(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }) {
  app.get('/sign-up', (c) => {
    const user = c.var.user;
    if (user) return c.html(<SignedIn email={user.emailAddresses[0]?.email ?? ''} />);
    return c.html(<SignUpForm error={null} email="" />);
  });

  app.post('/sign-up', requireSameOrigin, async (c) => {
    const fields = await formValues(c);
    const email = (fields.email_address ?? '').trim().slice(0, 320);
    try {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const body = signUpBody.parse(fields);
      await startSignUpWithCookie(c, {
        emailAddress: body.email_address,
        password: body.password,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null,
      });
      return c.html(<VerifyForm error={null} email={email} />);
    } catch (error) {
      const { message, status } = pageError(error);
      return c.html(<SignUpForm error={message} email={email} />, status as 422);
    }
  });

  app.post('/sign-up/verify', requireSameOrigin, async (c) => {
    const form = await formValues(c);
    const email = text(form, 'email_address').trim();
    try {
      await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
      const user = await verifySignUpFromCookie(c, { code: text(form, 'code', 12) });
      await clearSession(c);
      const issued = await startSession(c.var.deps, c.var.deps.store, user);
      setSession(c, issued.token, issued.session);
      return c.redirect('/account', 303);
    } catch (error) {
      const { message, status } = pageError(error);
      return c.html(<VerifyForm error={message} email={email} />, status as 422);
    }
  });
}
