/** @jsxImportSource hono/jsx */
import {
  attemptEmailVerificationBody,
  changePasswordBody,
  createEmailAddressBody,
  ERROR_CODES,
} from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { changePassword } from '../../domain/passwords/change.js';
import type { PendingEmailAddress, UserWithEmails } from '../../domain/records.js';
import {
  addEmailAddress,
  attemptEmailAddressVerification,
  prepareEmailAddressVerification,
  removeEmailAddress,
  setPrimaryEmailAddress,
} from '../../domain/users/email-addresses.js';
import type { PageText } from '../../i18n/page-text.js';
import type { AppEnv } from '../env.js';
import { consume } from '../rate-limits.js';
import { requireSameOrigin } from '../session.js';
import { pageError, readForm } from './forms.js';
import { CodeField, pageText } from './layout.js';

/** The account page's settings: email addresses (add, verify by code, primary, remove) and password change. */

/** The `:id` of a settings route, bounded. */
const idOf = (c: Context<AppEnv>) => (c.req.param('id') ?? '').slice(0, 64);

const small = 'width:auto;margin:0 0 0 6px;padding:4px 10px';

export function EmailAddressesSection(props: { user: UserWithEmails; pending: PendingEmailAddress[]; text: PageText }) {
  const verified = props.user.emailAddresses.filter((e) => e.verified);
  const { fill } = props.text;
  const { settings, common } = props.text.m;
  return (
    <section aria-labelledby="emails-heading">
      <h2 id="emails-heading" style="font-size:1.05rem">
        {settings.emailAddresses}
      </h2>
      <ul data-testid="email-addresses">
        {verified.map((e, i) => (
          <li>
            {e.email} {i === 0 && <span class="muted">{settings.primary}</span>}
            {i > 0 && (
              <form method="post" action={`/account/email-addresses/${e.id}/primary`} style="display:inline">
                <button
                  type="submit"
                  class="secondary"
                  style={small}
                  aria-label={fill(settings.makePrimaryLabel, { email: e.email })}
                >
                  {settings.makePrimary}
                </button>
              </form>
            )}
            {verified.length > 1 && (
              <form method="post" action={`/account/email-addresses/${e.id}/remove`} style="display:inline">
                <button
                  type="submit"
                  class="secondary"
                  style={small}
                  aria-label={fill(settings.removeLabel, { email: e.email })}
                >
                  {settings.remove}
                </button>
              </form>
            )}
          </li>
        ))}
        {props.pending.map((p) => (
          <li>
            {p.email} <span class="muted">{settings.unverified}</span>
            <form method="post" action={`/account/email-addresses/${p.id}/verify`}>
              <CodeField label={fill(settings.codeSentTo, { email: p.email })} id={`code-${p.id}`} autofocus={false} />
              <button type="submit">{fill(settings.verify, { email: p.email })}</button>
            </form>
            <form method="post" action={`/account/email-addresses/${p.id}/send-code`} style="display:inline">
              <button type="submit" class="secondary" style={small}>
                {common.sendNewCode}
              </button>
            </form>
            <form method="post" action={`/account/email-addresses/${p.id}/remove`} style="display:inline">
              <button
                type="submit"
                class="secondary"
                style={small}
                aria-label={fill(settings.removeLabel, { email: p.email })}
              >
                {settings.remove}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/account/email-addresses">
        <label for="new_email_address">{settings.addEmail}</label>
        <input id="new_email_address" name="email_address" type="email" autocomplete="email" required />
        <button type="submit" class="secondary">
          {settings.addAndSend}
        </button>
      </form>
    </section>
  );
}

export function PasswordSection(props: { hasPassword: boolean; text: PageText }) {
  const { settings, common } = props.text.m;
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading" style="font-size:1.05rem;margin-top:24px">
        {common.password}
      </h2>
      <form method="post" action="/account/password">
        {props.hasPassword && (
          <>
            <label for="current_password">{settings.currentPassword}</label>
            <input
              id="current_password"
              name="current_password"
              type="password"
              autocomplete="current-password"
              required
            />
          </>
        )}
        <label for="new_password">{settings.newPassword}</label>
        <input
          id="new_password"
          name="new_password"
          type="password"
          autocomplete="new-password"
          minlength={8}
          required
          aria-describedby="new-password-help"
        />
        <p class="muted" id="new-password-help">
          {settings.newPasswordHelp}
        </p>
        <button type="submit" class="secondary">
          {settings.changePassword}
        </button>
      </form>
    </section>
  );
}

type Render = (c: Context<AppEnv>, notice: { error?: string; ok?: string }, status?: number) => Promise<Response>;

export function registerAccountSettings(
  app: Hono<AppEnv>,
  options: { ip: (c: Context<AppEnv>) => string; render: Render },
) {
  const { render } = options;
  /** Runs a signed-in settings action and shows the account page with its outcome. */
  const act =
    (work: (c: Context<AppEnv>, user: UserWithEmails, text: PageText) => Promise<string>) =>
    async (c: Context<AppEnv>) => {
      const user = c.var.user;
      const session = c.var.session;
      const text = pageText(c);
      if (!user || !session)
        return render(c, { error: text.error('session_invalid') }, ERROR_CODES.session_invalid.status);
      try {
        return render(c, { ok: await work(c, user, text) });
      } catch (error) {
        const { message, status } = pageError(error, text);
        return render(c, { error: message }, status);
      }
    };
  const limits = (c: Context<AppEnv>) => c.var.limits;
  /** The per-address code-mail limit, spent by the domain once it knows the address. */
  const codeMailLimit = (c: Context<AppEnv>) => (addressKey: string) =>
    consume(limits(c), limits(c).codeMailsPerAddress, addressKey);

  app.post(
    '/account/email-addresses',
    requireSameOrigin,
    act(async (c, user, { fill, m }) => {
      const { email_address } = await readForm(c, createEmailAddressBody);
      await consume(limits(c), limits(c).codesPerIp, options.ip(c));
      const pending = await addEmailAddress(c.var.deps, user, email_address);
      await prepareEmailAddressVerification(c.var.deps, user, pending.id, { throttle: codeMailLimit(c) });
      return fill(m.settings.codeSent, { email: pending.email });
    }),
  );

  app.post(
    '/account/email-addresses/:id/send-code',
    requireSameOrigin,
    act(async (c, user, { fill, m }) => {
      await consume(limits(c), limits(c).codesPerIp, options.ip(c));
      const sent = await prepareEmailAddressVerification(c.var.deps, user, idOf(c), { throttle: codeMailLimit(c) });
      return fill(m.settings.newCodeSent, { email: sent.email });
    }),
  );

  app.post(
    '/account/email-addresses/:id/verify',
    requireSameOrigin,
    act(async (c, user, { fill, m }) => {
      const { code } = await readForm(c, attemptEmailVerificationBody);
      await consume(limits(c), limits(c).codesPerIp, options.ip(c));
      const verified = await attemptEmailAddressVerification(c.var.deps, user, { id: idOf(c), code });
      return fill(m.settings.verified, { email: verified.email });
    }),
  );

  app.post(
    '/account/email-addresses/:id/primary',
    requireSameOrigin,
    act(async (c, user, { m }) => {
      await setPrimaryEmailAddress(c.var.deps, user, idOf(c));
      return m.settings.primaryChanged;
    }),
  );

  app.post(
    '/account/email-addresses/:id/remove',
    requireSameOrigin,
    act(async (c, user, { m }) => {
      await removeEmailAddress(c.var.deps, user, idOf(c));
      return m.settings.removed;
    }),
  );

  app.post(
    '/account/password',
    requireSameOrigin,
    act(async (c, user, { m }) => {
      const body = await readForm(c, changePasswordBody);
      await consume(limits(c), limits(c).signInPerAccount, `user:${user.id}`);
      await changePassword(c.var.deps, {
        user,
        sessionId: c.var.session!.id,
        currentPassword: body.current_password ?? null,
        newPassword: body.new_password,
        signOutOfOtherSessions: true,
      });
      return m.settings.passwordChanged;
    }),
  );
}
