/** @jsxImportSource hono/jsx */
import { ERROR_CODES, type ErrorCode } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { findInstanceAdmin } from '../../domain/console/admins.js';
import { sameSecret } from '../../domain/crypto.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/memberships/policy.js';
import type { AppEnv } from '../env.js';
import { passwordSignIn } from '../password-sign-in.js';
import { clearSession, loadSession, requireSameOrigin } from '../session.js';
import { registerConsoleAuditLog } from './audit.js';
import { consoleSignedIn, endConsoleSession, startConsoleSession } from './console-session.js';
import { registerConsoleEmail } from './email.js';
import { registerConsoleInvitations } from './invitations.js';
import { ConsolePage, Notice } from './layout.js';
import { registerConsoleOrganizations } from './organizations.js';
import { registerConsoleUsers } from './users.js';
import { registerConsoleWebhooks } from './webhooks.js';

function SignIn(props: { keyError: string | null; accountError: string | null; email: string }) {
  return (
    <ConsolePage title="Sign in" signedIn={false}>
      <div class="card">
        <h1>Roster console</h1>
        <form method="post" action="/console/sign-in" aria-labelledby="with-key">
          <h2 id="with-key">With the secret key</h2>
          <Notice error={props.keyError} />
          <label for="secret_key">Secret key</label>
          <input id="secret_key" name="secret_key" type="password" autocomplete="off" required />
          <button type="submit">Sign in with the key</button>
        </form>
        <form method="post" action="/console/sign-in/account" aria-labelledby="with-account">
          <h2 id="with-account">With your account</h2>
          <p>For users an operator made instance admin.</p>
          <Notice error={props.accountError} />
          <label for="email">Email address</label>
          <input id="email" name="email" type="email" autocomplete="username" value={props.email} required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Sign in with your account</button>
        </form>
      </div>
    </ConsolePage>
  );
}

type SignInRefusal = { form: 'key' | 'account'; code: ErrorCode; email?: string };

function signInPage(c: Context<AppEnv>, refusal: SignInRefusal | null) {
  const status = refusal ? ERROR_CODES[refusal.code].status : 200;
  // The key's refusal in its short words (its long ones speak of an Authorization header); an
  // account's in full, as the hosted pages say them.
  const message = (form: SignInRefusal['form']) =>
    refusal?.form !== form || refusal.code === 'authentication_invalid'
      ? null
      : form === 'key'
        ? ERROR_CODES[refusal.code].message
        : ERROR_CODES[refusal.code].long;
  return c.html(
    <SignIn keyError={message('key')} accountError={message('account')} email={refusal?.email ?? ''} />,
    status as 200,
  );
}

/** Who the console request is from: the key's operator, an instance admin's own session, or nobody. */
async function consoleActor(c: Context<AppEnv>): Promise<Actor | 'not_admin' | null> {
  if (consoleSignedIn(c)) return { kind: 'secret_key' };
  const user = c.var.user;
  if (!user) return null;
  return (await findInstanceAdmin(c.var.deps, user.id)) ? { kind: 'user', userId: user.id, user } : 'not_admin';
}

/**
 * The operator console at `/console` (decisions 030, 051): server-rendered pages over the domain
 * functions, for whoever holds the secret key and for users made instance admin (with their own
 * session, so banning, locking or revoking it, or removing the grant, ends their access at once).
 * Writes are same-origin checked like the Frontend API.
 */
export function registerConsole(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }): void {
  app.use('/console', loadSession, requireSameOrigin);
  app.use('/console/*', loadSession, requireSameOrigin);
  app.get('/console', async (c) => {
    const actor = await consoleActor(c);
    if (actor && actor !== 'not_admin') return c.redirect('/console/invitations', 303);
    return signInPage(c, actor === 'not_admin' ? { form: 'account', code: 'instance_admin_required' } : null);
  });
  app.post('/console/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.secret_key === 'string' ? form.secret_key.trim() : '';
    if (!key || !sameSecret(key, c.var.secretKey)) return signInPage(c, { form: 'key', code: 'clerk_key_invalid' });
    startConsoleSession(c);
    return c.redirect('/console/invitations', 303);
  });
  app.post('/console/sign-in/account', async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email.trim().slice(0, 320) : '';
    const password = typeof form.password === 'string' ? form.password : '';
    let userId: string;
    try {
      ({
        user: { id: userId },
      } = await passwordSignIn(c, { identifier: email, password, ip: options.ip(c) }));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return signInPage(c, { form: 'account', code: error.code, email });
    }
    // A right password for an account that may not use the console: signed out again, and told so.
    if (!(await findInstanceAdmin(c.var.deps, userId))) {
      await clearSession(c);
      return signInPage(c, { form: 'account', code: 'instance_admin_required', email });
    }
    return c.redirect('/console/invitations', 303);
  });
  app.post('/console/sign-out', async (c) => {
    endConsoleSession(c);
    // An instance admin signs out of Roster too: the console was their session.
    if (c.var.user && (await findInstanceAdmin(c.var.deps, c.var.user.id))) await clearSession(c);
    return c.redirect('/console', 303);
  });
  app.use('/console/*', async (c, next) => {
    const actor = await consoleActor(c);
    if (!actor) return signInPage(c, { form: 'key', code: 'authentication_invalid' });
    if (actor === 'not_admin') return signInPage(c, { form: 'account', code: 'instance_admin_required' });
    c.set('actor', actor);
    await next();
  });
  registerConsoleInvitations(app);
  registerConsoleUsers(app);
  registerConsoleOrganizations(app);
  registerConsoleWebhooks(app);
  registerConsoleEmail(app);
  registerConsoleAuditLog(app);
}
