/** @jsxImportSource hono/jsx */
import { ERROR_CODES, signInBody } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { acceptUserInvitation, declineUserInvitation, listUserInvitations } from '../../domain/invitations/accept.js';
import { listUserMemberships } from '../../domain/memberships/memberships.js';
import { findOrganization } from '../../domain/organizations/organizations.js';
import { roleCatalog } from '../../domain/roles/catalog.js';
import { listEmailAddresses } from '../../domain/users/email-addresses.js';
import { displayName, findUser } from '../../domain/users/users.js';
import type { PageText } from '../../i18n/page-text.js';
import type { AppEnv } from '../env.js';
import { passwordSignIn } from '../password-sign-in.js';
import { clearSession, requireSameOrigin } from '../session.js';
import { EmailAddressesSection, PasswordSection, registerAccountSettings } from './account-settings.js';
import { forgotPasswordPath, registerForgotPasswordPages } from './forgot-password.js';
import { formValues, pageError, readForm } from './forms.js';
import { ErrorNote, Page, pageText } from './layout.js';

function SignInForm(props: { error: string | null; email: string; text: PageText }) {
  const { common, account } = props.text.m;
  return (
    <Page title={common.signIn} text={props.text}>
      <h1>{common.signIn}</h1>
      <ErrorNote message={props.error} />
      <form method="post" action="/account/sign-in">
        <label for="identifier">{common.emailAddress}</label>
        <input id="identifier" name="identifier" type="email" autocomplete="email" value={props.email} required />
        <label for="password">{common.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">{common.signIn}</button>
      </form>
      <p class="muted" style="margin-top:16px">
        <a href={forgotPasswordPath(props.email)}>{common.forgotPassword}</a>
      </p>
      <p class="muted">
        {account.noAccount} <a href="/sign-up">{account.createAccount}</a>
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
  const user = c.var.user && c.req.method !== 'GET' ? await findUser(deps, c.var.user.id) : c.var.user;
  const text = pageText(c);
  const { common, account } = text.m;
  if (!user) return c.html(<SignInForm error={notice.error ?? null} email="" text={text} />, status as 200);
  if (!notice.ok && c.req.query('password_reset')) notice = { ...notice, ok: account.passwordReset };
  const [memberships, invitations, { pending }] = await Promise.all([
    listUserMemberships(deps, { userId: user.id, limit: 100, offset: 0 }),
    listUserInvitations(deps, user, { limit: 50, offset: 0 }),
    listEmailAddresses(deps, user),
  ]);
  const orgs = await Promise.all(memberships.data.map((m) => findOrganization(deps, m.organizationId)));
  const roles = await roleCatalog(deps.store);
  const invitedOrgs = await Promise.all(invitations.data.map((i) => findOrganization(deps, i.organizationId)));
  return c.html(
    <Page title={account.title} text={text}>
      <h1>{displayName(user)}</h1>
      <p class="muted">{user.emailAddresses.map((e) => e.email).join(', ')}</p>
      {notice.ok && <div class="ok">{notice.ok}</div>}
      <ErrorNote message={notice.error ?? null} />
      <h2 id="organizations-heading" style="font-size:1.05rem">
        {account.organizations}
      </h2>
      {memberships.data.length === 0 ? (
        <p class="muted">{account.noOrganizations}</p>
      ) : (
        <ul data-testid="memberships" aria-labelledby="organizations-heading">
          {memberships.data.map((m, i) => (
            <li>
              <strong>{orgs[i]?.name}</strong> <span class="muted">· {text.role(m.role, roles.nameOf(m.role))}</span>
            </li>
          ))}
        </ul>
      )}
      <h2 id="invitations-heading" style="font-size:1.05rem">
        {account.invitations}
      </h2>
      {invitations.data.length === 0 ? (
        <p class="muted">{account.noInvitations}</p>
      ) : (
        <ul data-testid="invitations" aria-labelledby="invitations-heading">
          {invitations.data.map((inv, i) => (
            <li>
              {text.fill(account.invitationLine, {
                org: invitedOrgs[i]?.name ?? '',
                role: text.role(inv.role, roles.nameOf(inv.role)).toLowerCase(),
              })}
              <form method="post" action={`/account/invitations/${inv.id}/accept`} style="display:inline">
                <button type="submit" style="width:auto;margin:0 0 0 8px;padding:4px 10px">
                  {account.accept}
                </button>
              </form>
              <form method="post" action={`/account/invitations/${inv.id}/decline`} style="display:inline">
                <button type="submit" class="secondary" style="width:auto;margin:0 0 0 6px;padding:4px 10px">
                  {account.decline}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <EmailAddressesSection user={user} pending={pending} text={text} />
      <PasswordSection hasPassword={user.passwordHash !== null} text={text} />
      <form method="post" action="/account/sign-out">
        <button type="submit" class="secondary">
          {common.signOut}
        </button>
      </form>
    </Page>,
    status as 200,
  );
}

export function registerAccountPage(app: Hono<AppEnv>, options: { ip: (c: Context<AppEnv>) => string }) {
  const failed = (c: Context<AppEnv>, error: unknown) => {
    const { message, status } = pageError(error, pageText(c));
    return accountPage(c, { error: message }, status);
  };

  app.get('/account', (c) => accountPage(c));

  app.post('/account/sign-in', requireSameOrigin, async (c) => {
    try {
      const { identifier, password } = await readForm(c, signInBody);
      await passwordSignIn(c, { identifier, password, ip: options.ip(c) });
      return c.redirect('/account', 303);
    } catch (error) {
      const text = pageText(c);
      const { message, status } = pageError(error, text);
      const email = ((await formValues(c).catch(() => ({}))) as Record<string, string>).identifier ?? '';
      return c.html(<SignInForm error={message} email={email.slice(0, 320)} text={text} />, status as 422);
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
    const text = pageText(c);
    if (!user) return accountPage(c, { error: text.error('session_invalid') }, ERROR_CODES.session_invalid.status);
    try {
      if (c.req.param('action') === 'accept') {
        const { organization } = await acceptUserInvitation(c.var.deps, user.id, c.req.param('id'));
        return accountPage(c, { ok: text.fill(text.m.account.joined, { org: organization.name }) });
      }
      await declineUserInvitation(c.var.deps, user, c.req.param('id'));
      return accountPage(c, { ok: text.m.account.declined });
    } catch (error) {
      return failed(c, error);
    }
  });
}
