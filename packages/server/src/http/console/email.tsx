/** @jsxImportSource hono/jsx */
import { ERROR_CODES } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { AppError } from '../../domain/errors.js';
import { countRetryingMail, retryMailNow } from '../../domain/mail.js';
import { type MailSettingsView, SMTP_SECURITY, type SmtpInput, type SmtpSecurity } from '../../email/mail-settings.js';
import type { AppEnv } from '../env.js';
import { pageError } from '../pages/forms.js';
import { DateTime, pageLocale } from '../pages/layout.js';
import { consoleAction, flashOf, type NoticeText } from './keyset.js';
import { ConsolePage, Notice } from './layout.js';

const DONE: Record<string, string> = {
  saved:
    'SMTP server saved: every instance sends through it within two seconds. Send a test email, then the waiting mail.',
  reset: 'Back to the environment’s setting.',
  test: 'Test email sent: check the inbox it went to.',
  retried: 'Waiting mail is being sent now.',
};

const SECURITY_LABEL: Record<SmtpSecurity, string> = {
  starttls_if_offered: 'STARTTLS when the server offers it',
  starttls: 'STARTTLS, required',
  tls: 'TLS from the start (usually port 465)',
};

const FIELD_LABEL: Record<string, string> = {
  host: 'Host',
  port: 'Port',
  security: 'Security',
  username: 'User name',
  password: 'Password',
  from: 'From',
  to: 'Send to',
};

const SOURCE_TEXT: Record<MailSettingsView['source'], string> = {
  console: 'Set in this console',
  environment: 'SMTP_URL from the environment',
  dev_mailbox: 'The dev mailbox (no SMTP server is set)',
};

/** A refusal that names the field: "Port must be a whole number from 1 to 65535". */
function formError(error: unknown): { message: string; status: number } {
  if (error instanceof AppError && typeof error.meta?.param_name === 'string') {
    const field = FIELD_LABEL[error.meta.param_name] ?? error.meta.param_name;
    const detail = error.message === error.code ? ERROR_CODES[error.code].message : error.message;
    return { message: `${field} ${detail}.`, status: ERROR_CODES[error.code].status };
  }
  return pageError(error);
}

function field(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  return typeof v === 'string' ? v : '';
}

function EmailPage(props: {
  c: Context<AppEnv>;
  view: MailSettingsView;
  retrying: { count: number; nextAttemptAt: number | null };
  notice: NoticeText;
  typed?: Partial<SmtpInput>;
}) {
  const { view, typed } = props;
  const locale = pageLocale(props.c);
  const value = (name: keyof SmtpInput, fallback: string) => typed?.[name] ?? fallback;
  const security = value('security', view.security);
  return (
    <ConsolePage title="Email">
      <h1>Email</h1>
      <Notice {...props.notice} />
      {view.unreadable && (
        <p class="error">
          An SMTP server was set here, but it was sealed under a secret key that has since been retired. Mail goes out
          through the environment’s setting until you enter the server again.
        </p>
      )}
      <h2>In use</h2>
      <dl>
        <dt>Source</dt>
        <dd>
          {SOURCE_TEXT[view.source]}
          {view.source === 'console' && view.updatedAt !== null && (
            <>
              {' '}
              (<DateTime ms={view.updatedAt} locale={locale} />)
            </>
          )}
        </dd>
        {view.source !== 'dev_mailbox' && (
          <>
            <dt>Server</dt>
            <dd>
              {view.host}:{view.port}
            </dd>
            <dt>Security</dt>
            <dd>{SECURITY_LABEL[view.security]}</dd>
            <dt>User name</dt>
            <dd>{view.username || 'none'}</dd>
            <dt>Password</dt>
            <dd>{view.hasPassword ? 'set (not shown)' : 'none'}</dd>
          </>
        )}
        <dt>From</dt>
        <dd>{view.from}</dd>
        <dt>Waiting to retry</dt>
        <dd>
          {props.retrying.count === 0 ? (
            'none'
          ) : (
            <>
              {props.retrying.count} {props.retrying.count === 1 ? 'message' : 'messages'}
              {props.retrying.nextAttemptAt !== null &&
                (props.retrying.nextAttemptAt <= props.c.var.deps.now() ? (
                  ', due now'
                ) : (
                  <>
                    , next attempt <DateTime ms={props.retrying.nextAttemptAt} locale={locale} />
                  </>
                ))}
            </>
          )}
        </dd>
      </dl>
      {props.retrying.count > 0 && (
        <form method="post" action="/console/email/retry">
          <button type="submit">Send waiting mail now</button>
        </form>
      )}

      <h2>SMTP server</h2>
      <form method="post" action="/console/email" class="settings">
        <label for="smtp-host">Host</label>
        <input id="smtp-host" name="host" required autocomplete="off" value={value('host', view.host)} />
        <label for="smtp-port">Port</label>
        <input
          id="smtp-port"
          name="port"
          required
          inputmode="numeric"
          autocomplete="off"
          value={value('port', view.port === null ? '587' : String(view.port))}
        />
        <label for="smtp-security">Security</label>
        <select id="smtp-security" name="security">
          {SMTP_SECURITY.map((s) => (
            <option value={s} selected={s === security}>
              {SECURITY_LABEL[s]}
            </option>
          ))}
        </select>
        <label for="smtp-user">User name</label>
        <input id="smtp-user" name="username" autocomplete="off" value={value('username', view.username)} />
        <label for="smtp-password">Password</label>
        <input
          id="smtp-password"
          name="password"
          type="password"
          autocomplete="new-password"
          aria-describedby="smtp-password-hint"
        />
        <p id="smtp-password-hint" class="hint">
          Leave empty to keep the current password for the same host and user name.
        </p>
        <label for="smtp-from">From</label>
        <input
          id="smtp-from"
          name="from"
          autocomplete="off"
          aria-describedby="smtp-from-hint"
          value={value('from', view.source === 'console' ? view.from : '')}
        />
        <p id="smtp-from-hint" class="hint">
          Empty: {view.source === 'console' ? 'ROSTER_MAIL_FROM' : view.from}.
        </p>
        <button type="submit">Save SMTP server</button>
      </form>
      {view.source === 'console' && (
        <form method="post" action="/console/email/reset">
          <button type="submit" class="danger">
            Use the environment’s setting
          </button>
        </form>
      )}

      <h2>Test</h2>
      <form method="post" action="/console/email/test" class="filters">
        <div>
          <label for="test-to">Send a test email to</label>
          <input id="test-to" name="to" type="email" required autocomplete="email" />
        </div>
        <button type="submit">Send test email</button>
      </form>
    </ConsolePage>
  );
}

async function showEmail(c: Context<AppEnv>, notice: NoticeText, status = 200, typed?: Partial<SmtpInput>) {
  const [view, retrying] = await Promise.all([c.var.mailSettings.view(), countRetryingMail(c.var.deps)]);
  return c.html(
    <EmailPage c={c} view={view} retrying={retrying} notice={notice} {...(typed && { typed })} />,
    status as 200,
  );
}

/** The console's mail settings: the SMTP server in use, changing it without a restart, a test send, retrying waiting mail. */
export function registerConsoleEmail(app: Hono<AppEnv>): void {
  app.get('/console/email', (c) => showEmail(c, flashOf(c, DONE)));
  app.post('/console/email', async (c) => {
    const form = await c.req.parseBody();
    const input: SmtpInput = {
      host: field(form, 'host'),
      port: field(form, 'port'),
      security: field(form, 'security'),
      username: field(form, 'username'),
      password: field(form, 'password'),
      from: field(form, 'from'),
    };
    try {
      await c.var.mailSettings.save(input, actorName(c));
    } catch (error) {
      const { message, status } = formError(error);
      // What was typed stays in the form (but the password, which is never sent back).
      return showEmail(c, { error: message }, status, { ...input, password: '' });
    }
    c.var.log.info({ actor: actorName(c) }, 'SMTP server changed in the console');
    // Mail waiting after a failure keeps its schedule until the operator sends it (here, or per
    // invitation), so a test send can come first.
    return c.redirect('/console/email?done=saved', 303);
  });
  consoleAction(app, '/console/email/reset', {
    run: async (c) => {
      await c.var.mailSettings.reset();
      c.var.log.info({ actor: actorName(c) }, 'SMTP server reset to the environment’s in the console');
      return '/console/email?done=reset';
    },
    refused: (c, notice, status) => showEmail(c, notice, status),
  });
  consoleAction(app, '/console/email/retry', {
    run: async (c) => {
      await retryMailNow(c.var.deps);
      return '/console/email?done=retried';
    },
    refused: (c, notice, status) => showEmail(c, notice, status),
  });
  app.post('/console/email/test', async (c) => {
    const form = await c.req.parseBody();
    let failure: string | null;
    try {
      failure = await c.var.mailSettings.sendTest(field(form, 'to'));
    } catch (error) {
      const { message, status } = formError(error);
      return showEmail(c, { error: message }, status);
    }
    if (failure) return showEmail(c, { error: `The test email was not sent: ${failure}` }, 200);
    return c.redirect('/console/email?done=test', 303);
  });
}

/** Who made a console change, as stored and logged: `secret_key` or the instance admin's user id. */
function actorName(c: Context<AppEnv>): string {
  return c.var.actor.kind === 'user' ? c.var.actor.userId : 'secret_key';
}
