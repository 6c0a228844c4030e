/** @jsxImportSource hono/jsx */
import { ERROR_CODES, signInBody } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { acceptUserInvitation, declineUserInvitation, listUserInvitations } from '../../domain/invitations/accept.js';
import { roleCatalog } from '../../domain/roles/catalog.js';
import { displayName } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { passwordSignIn } from '../password-sign-in.js';
import { clearSession, requireSameOrigin } from '../session.js';
import { EmailAddressesSection, PasswordSection, registerAccountSettings } from './account-settings.js';
import { forgotPasswordPath, registerForgotPasswordPages } from './forgot-password.js';
import { formValues, pageError, readForm } from './forms.js';
import { ErrorNote, Page } from './layout.js';

function SignInForm(props: { error: string | null; email: string }) {
  return (
    <Page title="Sign in">
      <h1>Sign in</h1>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/sign-in">
        <label for="identifier">Email address</label>
        <input id="identifier" name="identifier" type="email" autocomplete="email" value={props.email} required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <p class="muted" style="margin-top:16px">
        <a href={forgotPasswordPath(props.email)}>Forgot password?</a>
      </p>
      <p class="muted">
        No account yet? <a href="/sign-up">Create an account</a>
      </p>
    </Page>
  );
}

/**
 * The account page: your organizations and the invitations waiting for you (accept or decline
 * here), your email addresses and your password.
 */
async function accountPage(c: Context<AppEnv>, notice: { error?: string; ok?: string } = {}, status = 200) {
  const deps = c.var.deps;
  // After a settings action (a POST) read afresh: it may have changed the addresses. A GET shows
  // the user its session was read with.
  const user = c.var.user && c.req.method !== 'GET' ? await deps.store.findUser(c.var.user.id) : c.var.user;
  if (!user) return c.html(<SignInForm error={notice.error ?? null} email="" />, status as 200);
  if (!notice.ok && c.req.query('password_reset')) notice = { ...notice, ok: 'Your password was reset.' };
  const [memberships, invitations, pending] = await Promise.all([
    deps.store.listMemberships({ userId: user.id, limit: 100, offset: 0 }),
    listUserInvitations(deps, user, { limit: 50, offset: 0 }),
    deps.store.listPendingEmailAddresses(user.id),
  ]);
  const orgs = await Promise.all(memberships.data.map((m) => deps.store.findOrganization(m.organizationId)));
  const roles = await roleCatalog(deps.store);
  const invitedOrgs = await Promise.all(invitations.data.map((i) => deps.store.findOrganization(i.organizationId)));
  return c.html(
    <Page title="Your account">
      <h1>{displayName(user)}</h1>
      <p class="muted">{user.emailAddresses.map((e) => e.email).join(', ')}</p>
      {notice.ok && <div class="ok">{notice.ok}</div>}
      <ErrorNote message={notice.error ?? null} />
      <h2 id="organizations-heading" style="font-size:1.05rem">
        Your organizations
      </h2>
      {memberships.data.length === 0 ? (
        <p class="muted">You are not a member of any organization yet.</p>
      ) : (
        <ul data-testid="memberships" aria-labelledby="organizations-heading">
          {memberships.data.map((m, i) => (
            <li>
              <strong>{orgs[i]?.name}</strong> <span class="muted">· {roles.nameOf(m.role)}</span>
            </li>
          ))}
        </ul>
      )}
      <h2 id="invitations-heading" style="font-size:1.05rem">
        Invitations
      </h2>
      {invitations.data.length === 0 ? (
        <p class="muted">No pending invitations.</p>
      ) : (
        <ul data-testid="invitations" aria-labelledby="invitations-heading">
          {invitations.data.map((inv, i) => (
            <li>
              {invitedOrgs[i]?.name} as {roles.nameOf(inv.role).toLowerCase()}
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
      <EmailAddressesSection user={user} pending={pending} />
      <PasswordSection hasPassword={user.passwordHash !== null} />
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
    const { message, status } = pageError(error);
    return accountPage(c, { error: message }, status);
  };

  app.get('/account', (c) => accountPage(c));

  app.post('/account/sign-in', requireSameOrigin, async (c) => {
    try {
      const { identifier, password } = await readForm(c, signInBody);
      await passwordSignIn(c, { identifier, password, ip: options.ip(c) });
      return c.redirect('/account', 303);
    } catch (error) {
      const { message, status } = pageError(error);
      const email = ((await formValues(c).catch(() => ({}))) as Record<string, string>).identifier ?? '';
      return c.html(<SignInForm error={message} email={email.slice(0, 320)} />, status as 422);
    }
  });

  registerForgotPasswordPages(app, options);
  registerAccountSettings(app, { ip: options.ip, render: accountPage });

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
