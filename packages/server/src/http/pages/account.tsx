/** @jsxImportSource hono/jsx */
import { ERROR_CODES, ROLES } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { normalizeEmail } from '../../domain/crypto.js';
import { AppError } from '../../domain/errors.js';
import { acceptUserInvitation, declineUserInvitation, listUserInvitations } from '../../domain/invitations/accept.js';
import { startSession } from '../../domain/sessions/sessions.js';
import { authenticate, displayName } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { clearSession, requireSameOrigin, setSession } from '../session.js';
import { readForm } from './form.js';
import { ErrorNote, Page } from './layout.js';

/** The account page: your organizations and the invitations waiting for you (accept or decline here). */
async function accountPage(c: Context<AppEnv>, notice: { error?: string; ok?: string } = {}, status = 200) {
  const user = c.var.user;
  if (!user) {
    return c.html(
      <Page title="Sign in">
        <h1>Sign in</h1>
        <ErrorNote message={notice.error ?? null} />
        <form method="post" action="/account/sign-in">
          <label for="identifier">Email address</label>
          <input id="identifier" name="identifier" type="email" autocomplete="email" required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Sign in</button>
        </form>
      </Page>,
      status as 200,
    );
  }
  const deps = c.var.deps;
  const [memberships, invitations] = await Promise.all([
    deps.store.listMemberships({ userId: user.id, limit: 100, offset: 0 }),
    listUserInvitations(deps, user, { limit: 50, offset: 0 }),
  ]);
  const orgs = await Promise.all(memberships.data.map((m) => deps.store.findOrganization(m.organizationId)));
  const invitedOrgs = await Promise.all(invitations.data.map((i) => deps.store.findOrganization(i.organizationId)));
  return c.html(
    <Page title="Your account">
      <h1>{displayName(user)}</h1>
      <p class="muted">{user.emailAddresses.map((e) => e.email).join(', ')}</p>
      {notice.ok && <div class="ok">{notice.ok}</div>}
      <ErrorNote message={notice.error ?? null} />
      <h2 style="font-size:1.05rem">Your organizations</h2>
      {memberships.data.length === 0 ? (
        <p class="muted">You are not a member of any organization yet.</p>
      ) : (
        <ul data-testid="memberships">
          {memberships.data.map((m, i) => (
            <li>
              {orgs[i]?.name} <span class="muted">({ROLES[m.role].name})</span>
            </li>
          ))}
        </ul>
      )}
      <h2 style="font-size:1.05rem">Invitations</h2>
      {invitations.data.length === 0 ? (
        <p class="muted">No pending invitations.</p>
      ) : (
        <ul data-testid="invitations">
          {invitations.data.map((inv, i) => (
            <li>
              {invitedOrgs[i]?.name} as {ROLES[inv.role].name.toLowerCase()}
              <form method="post" action={`/account/invitations/${inv.id}/accept`} style="display:inline">
                <button type="submit" style="width:auto;margin:0 0 0 8px;padding:4px 10px">
                  Accept
                </button>
              </form>
              <form method="post" action={`/account/invitations/${inv.id}/decline`} style="display:inline">
                <button type="submit" class="secondary" style="width:auto;margin:0 0 0 6px;padding:4px 10px">
                  Decline
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/account/sign-out">
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </Page>,
    status as 200,
  );
}

export function registerAccountPage(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }) {
  const failed = (c: Context<AppEnv>, error: unknown) => {
    if (!(error instanceof AppError)) throw error;
    return accountPage(c, { error: ERROR_CODES[error.code].long }, ERROR_CODES[error.code].status);
  };

  app.get('/account', (c) => accountPage(c));

  app.post('/account/sign-in', requireSameOrigin, async (c) => {
    const form = await readForm(c);
    const identifier = String(form.identifier ?? '').slice(0, 320);
    try {
      await consume(c.var.limits, c.var.limits.signInPerIp, options.ip(c));
      await consume(c.var.limits, c.var.limits.signInPerAccount, normalizeEmail(identifier));
      const user = await authenticate(c.var.deps, { identifier, password: String(form.password ?? '').slice(0, 256) });
      await clearSession(c);
      const issued = await startSession(c.var.deps, c.var.deps.store, user);
      setSession(c, issued.token, issued.session);
      return c.redirect('/account', 303);
    } catch (error) {
      return failed(c, error);
    }
  });

  app.post('/account/sign-out', requireSameOrigin, async (c) => {
    await clearSession(c);
    return c.redirect('/account', 303);
  });

  app.post('/account/invitations/:id/:action{accept|decline}', requireSameOrigin, async (c) => {
    const user = c.var.user;
    if (!user) return accountPage(c, { error: ERROR_CODES.session_invalid.long }, 401);
    try {
      if (c.req.param('action') === 'accept') {
        const { organization } = await acceptUserInvitation(c.var.deps, user.id, c.req.param('id'));
        return accountPage(c, { ok: `You joined ${organization.name}.` });
      }
      await declineUserInvitation(c.var.deps, user, c.req.param('id'));
      return accountPage(c, { ok: 'Invitation declined.' });
    } catch (error) {
      return failed(c, error);
    }
  });
}
