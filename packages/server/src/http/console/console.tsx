/** @jsxImportSource hono/jsx */
import { ERROR_CODES } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { sameSecret } from '../../domain/crypto.js';
import type { AppEnv } from '../env.js';
import { requireSameOrigin } from '../session.js';
import { registerConsoleAuditLog } from './audit.js';
import { consoleSignedIn, endConsoleSession, startConsoleSession } from './console-session.js';
import { registerConsoleEmail } from './email.js';
import { registerConsoleInvitations } from './invitations.js';
import { ConsolePage, Notice } from './layout.js';
import { registerConsoleOrganizations } from './organizations.js';
import { registerConsoleUsers } from './users.js';
import { registerConsoleWebhooks } from './webhooks.js';

function SignIn(props: { error: string | null }) {
  return (
    <ConsolePage title="Sign in" signedIn={false}>
      <form class="card" method="post" action="/console/sign-in">
        <h1>Roster console</h1>
        <p>Sign in with the instance's secret key.</p>
        <Notice error={props.error} />
        <label for="secret_key">Secret key</label>
        <input id="secret_key" name="secret_key" type="password" autocomplete="off" required autofocus />
        <button type="submit">Sign in</button>
      </form>
    </ConsolePage>
  );
}

function signInPage(c: Context<AppEnv>, code: 'authentication_invalid' | 'clerk_key_invalid' | null) {
  const status = code ? ERROR_CODES[code].status : 200;
  return c.html(<SignIn error={code === 'clerk_key_invalid' ? ERROR_CODES[code].message : null} />, status as 200);
}

/**
 * The operator console at `/console` (decision 030): server-rendered pages over the domain
 * functions, for whoever holds the secret key. Writes are same-origin checked like the Frontend API.
 */
export function registerConsole(app: Hono<AppEnv>): void {
  app.use('/console', requireSameOrigin);
  app.use('/console/*', requireSameOrigin);
  app.get('/console', (c) => (consoleSignedIn(c) ? c.redirect('/console/invitations', 303) : signInPage(c, null)));
  app.post('/console/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.secret_key === 'string' ? form.secret_key.trim() : '';
    if (!key || !sameSecret(key, c.var.secretKey)) return signInPage(c, 'clerk_key_invalid');
    startConsoleSession(c);
    return c.redirect('/console/invitations', 303);
  });
  app.post('/console/sign-out', (c) => {
    endConsoleSession(c);
    return c.redirect('/console', 303);
  });
  app.use('/console/*', async (c, next) => {
    if (!consoleSignedIn(c)) return signInPage(c, 'authentication_invalid');
    c.set('actor', { kind: 'secret_key' });
    await next();
  });
  registerConsoleInvitations(app);
  registerConsoleUsers(app);
  registerConsoleOrganizations(app);
  registerConsoleWebhooks(app);
  registerConsoleEmail(app);
  registerConsoleAuditLog(app);
}
