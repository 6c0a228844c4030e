/** @jsxImportSource hono/jsx */
import {
  ERROR_CODES,
  type InvitationPreviewJSON,
  signInBody,
  ticketSignUpBody,
  verifyEmailBody,
} from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { findAppInvitationByTicket, signUpWithAppTicket } from '../../domain/app-invitations/accept.js';
import { AppError } from '../../domain/errors.js';
import { acceptTicket, findByTicket, requirePending, signUpWithTicket } from '../../domain/invitations/accept.js';
import { enterOrganization } from '../../domain/sessions/sessions.js';
import type { PageText } from '../../i18n/page-text.js';
import type { AppEnv } from '../env.js';
import { invitationPreview } from '../frontend/tickets.js';
import { passwordSignIn } from '../password-sign-in.js';
import { consume } from '../rate-limits.js';
import { clearSession, requireSameOrigin, setSession } from '../session.js';
import { completeTicketSignUpFromCookie, keepSignUpId } from '../sign-up-cookie.js';
import { forgotPasswordPath } from './forgot-password.js';
import { formValues, pageError } from './forms.js';
import { CodeField, DateTime, ErrorNote, NewAccountFields, Page, pageText } from './layout.js';

/**
 * The page an invitation email links to. GET only shows what the link is for; every change is
 * an explicit POST from a button (so mail scanners that open links join no one). The token
 * travels in the POST body, the page sends no Referer, and the access log redacts the query.
 */

type ClosedCode = 'invitation_expired' | 'invitation_revoked' | 'invitation_already_accepted' | 'invitation_not_found';

const STATUS_SCREENS: Record<
  ClosedCode,
  {
    title: 'expiredTitle' | 'revokedTitle' | 'usedTitle' | 'invalidTitle';
    text: 'expiredText' | 'revokedText' | 'usedText' | 'invalidText';
  }
> = {
  invitation_expired: { title: 'expiredTitle', text: 'expiredText' },
  invitation_revoked: { title: 'revokedTitle', text: 'revokedText' },
  invitation_already_accepted: { title: 'usedTitle', text: 'usedText' },
  invitation_not_found: { title: 'invalidTitle', text: 'invalidText' },
};

function statusCode(preview: InvitationPreviewJSON | null): ClosedCode | null {
  if (!preview) return 'invitation_not_found';
  if (preview.status === 'expired') return 'invitation_expired';
  if (preview.status === 'revoked') return 'invitation_revoked';
  if (preview.status === 'accepted') return 'invitation_already_accepted';
  return null;
}

/** The code form of a sign-up from a shown link: the account exists once the mailed code comes back. */
function CodeScreen(props: {
  preview: InvitationPreviewJSON;
  ticket: string;
  error: string | null;
  text: PageText;
  codeMinutes: number;
}) {
  const { preview, ticket, text } = props;
  const { common, accept } = text.m;
  return (
    <Page title={common.checkEmail} text={text}>
      <h1>{common.checkEmail}</h1>
      <p>
        {text.rich(accept.codeText, {
          org: preview.organization.name,
          email: <strong>{preview.email_address}</strong>,
          time: text.count(common.minutes, props.codeMinutes),
        })}
      </p>
      <ErrorNote message={props.error} />
      <form method="post">
        <input type="hidden" name="ticket" value={ticket} />
        <input type="hidden" name="action" value="verify" />
        <CodeField label={common.verificationCode} />
        <button type="submit">{accept.verifyAndJoin}</button>
      </form>
    </Page>
  );
}

/** Back to the app (`ROSTER_AFTER_ACCEPT_URL`) when one is configured, besides the account page. */
function WayBack(props: { appUrl: string | null; code: string; text: PageText }) {
  return (
    <p data-code={props.code}>
      {props.appUrl && (
        <>
          <a href={props.appUrl} data-testid="continue-to-app">
            {props.text.m.accept.continueToApp}
          </a>
          {' · '}
        </>
      )}
      <a href="/account">{props.text.m.common.goToAccount}</a>
    </p>
  );
}

function Screen(props: {
  preview: InvitationPreviewJSON | null;
  ticket: string;
  error: string | null;
  code?: boolean;
  /** The after-accept URL, or null when it is the account page itself. */
  appUrl: string | null;
  /** The signed-in user is the one who used this (accepted) invitation. */
  joinedByYou?: boolean;
  /** The reader's words and date locale (`pageText`). */
  text: PageText;
  /** How long a mailed sign-up code works. */
  codeMinutes: number;
}) {
  const { preview, ticket, text } = props;
  const { common, accept } = text.m;
  if (props.code && preview && preview.status === 'pending') {
    return (
      <CodeScreen preview={preview} ticket={ticket} error={props.error} text={text} codeMinutes={props.codeMinutes} />
    );
  }
  const closed = statusCode(preview);
  if (closed || !preview) {
    if (preview && closed === 'invitation_already_accepted' && props.joinedByYou) {
      const title = text.fill(accept.joinedTitle, { org: preview.organization.name });
      return (
        <Page title={title} text={text}>
          <h1 data-status="joined">{title}</h1>
          <p>{text.fill(accept.joinedText, { org: preview.organization.name })}</p>
          <WayBack appUrl={props.appUrl} code={closed} text={text} />
        </Page>
      );
    }
    const screen = STATUS_SCREENS[closed ?? 'invitation_not_found'];
    return (
      <Page title={accept[screen.title]} text={text}>
        <h1 data-status={closed}>{accept[screen.title]}</h1>
        <p>{accept[screen.text]}</p>
        <p class="muted">
          {preview
            ? text.fill(accept.askInviter, {
                inviter: preview.inviter_name ?? accept.anAdmin,
                org: preview.organization.name,
              })
            : accept.askUnknown}
        </p>
        <WayBack appUrl={props.appUrl} code={closed ?? 'invitation_not_found'} text={text} />
      </Page>
    );
  }
  const org = preview.organization.name;
  const intro = text.fill(accept.intro, {
    inviter: preview.inviter_name ?? accept.introAdmin,
    email: preview.email_address,
    org,
    role: text.role(preview.role, preview.role_name).toLowerCase(),
  });
  const join = text.fill(accept.join, { org });
  return (
    <Page title={text.fill(accept.joinTitle, { org })} text={text}>
      {preview.organization.has_image && (
        <img class="org-logo" src={preview.organization.image_url} alt="" width="48" height="48" />
      )}
      <h1>{text.fill(accept.joinTitle, { org })}</h1>
      <p>{intro}</p>
      <ErrorNote message={props.error} />
      {preview.next_step === 'accept' && (
        <form method="post">
          <input type="hidden" name="ticket" value={ticket} />
          <input type="hidden" name="action" value="accept" />
          <p class="muted">{text.fill(accept.signedInAs, { email: preview.signed_in_as ?? '' })}</p>
          <button type="submit">{join}</button>
        </form>
      )}
      {preview.next_step === 'wrong_account' && (
        <form method="post">
          <input type="hidden" name="ticket" value={ticket} />
          <input type="hidden" name="action" value="switch" />
          <p data-testid="wrong-account">
            {text.rich(accept.wrongAccount, {
              signedIn: <strong>{preview.signed_in_as}</strong>,
              invited: <strong>{preview.email_address}</strong>,
            })}
          </p>
          <button type="submit">{text.fill(accept.switchAccount, { email: preview.email_address })}</button>
          <p class="muted" style="margin-top:12px">
            {text.rich(accept.stay, {
              link: <a href="/account">{text.fill(accept.stayLink, { email: preview.signed_in_as ?? '' })}</a>,
            })}
          </p>
        </form>
      )}
      {preview.next_step === 'sign_in' && (
        <form method="post">
          <input type="hidden" name="ticket" value={ticket} />
          <input type="hidden" name="action" value="sign_in" />
          <p class="muted">{accept.signInLead}</p>
          <label for="email">{common.emailAddress}</label>
          <input id="email" type="email" value={preview.email_address} readonly />
          <label for="password">{common.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required autofocus />
          <button type="submit">{accept.signInAndJoin}</button>
          <p class="muted" style="margin-top:12px">
            <a href={forgotPasswordPath(preview.email_address)}>{common.forgotPassword}</a>
          </p>
        </form>
      )}
      {preview.next_step === 'sign_up' && (
        <form method="post">
          <input type="hidden" name="ticket" value={ticket} />
          <input type="hidden" name="action" value="sign_up" />
          <p class="muted">{preview.sign_up_needs_email_code ? accept.signUpLeadCode : accept.signUpLeadConfirmed}</p>
          <label for="email">{common.emailAddress}</label>
          <input id="email" type="email" value={preview.email_address} readonly />
          <NewAccountFields text={text} />
          <button type="submit">{accept.createAndJoin}</button>
        </form>
      )}
      <p class="muted" style="margin-top:16px">
        {text.rich(accept.expires, { date: <DateTime ms={preview.expires_at} locale={text.dateLocale} /> })}
      </p>
    </Page>
  );
}

async function renderScreen(
  c: Context<AppEnv>,
  view: { ticket: string; error: string | null; status: number; askCode: boolean; afterAcceptUrl: string },
) {
  const { ticket, error } = view;
  const text = pageText(c);
  let preview: InvitationPreviewJSON | null = null;
  try {
    preview = ticket ? await invitationPreview(c, ticket) : null;
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'invitation_not_found') throw e;
  }
  const code = statusCode(preview);
  const user = c.var.user;
  const joinedByYou =
    code === 'invitation_already_accepted' && user
      ? (await findByTicket(c.var.deps.store, ticket)).acceptedUserId === user.id
      : false;
  const accountUrl = new URL('/account', c.var.deps.settings.publicUrl).href;
  const appUrl = new URL(view.afterAcceptUrl, accountUrl).href === accountUrl ? null : view.afterAcceptUrl;
  // A closed link answers with its code's status from the one table: 404 unknown, 410 used up.
  return c.html(
    <Screen
      preview={preview}
      ticket={ticket}
      error={error}
      code={view.askCode}
      appUrl={appUrl}
      joinedByYou={joinedByYou}
      text={text}
      codeMinutes={Math.round(c.var.deps.settings.signUpCodeTtlMs / 60_000)}
    />,
    (code && !error ? ERROR_CODES[code].status : view.status) as 200,
  );
}

export interface AcceptPageOptions {
  ip: (c: Context<AppEnv>) => string;
  afterAcceptUrl: string;
}

/** Mounts `GET` and `POST /accept-invitation`. */
export function registerAcceptInvitationPage(app: Hono<AppEnv>, options: AcceptPageOptions) {
  const render = (c: Context<AppEnv>, ticket: string, error: string | null, status: number, askCode = false) =>
    renderScreen(c, { ticket, error, status, askCode, afterAcceptUrl: options.afterAcceptUrl });

  app.get('/accept-invitation', async (c) => {
    await consume(c.var.limits, c.var.limits.ticketsPerIp, options.ip(c));
    return render(c, c.req.query('ticket') ?? '', null, 200);
  });

  app.post('/accept-invitation', requireSameOrigin, async (c) => {
    const form = await formValues(c);
    const ticket = typeof form.ticket === 'string' ? form.ticket.slice(0, 512) : '';
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const deps = c.var.deps;
    const text = pageText(c);
    try {
      await consume(c.var.limits, c.var.limits.ticketsPerIp, options.ip(c));
      const action = field('action');
      let redirectUrl: string | null = null;
      if (action === 'switch') {
        await clearSession(c);
        return render(c, ticket, null, 200);
      }
      if (action === 'accept') {
        if (!c.var.user) throw new AppError('session_invalid');
        await consume(c.var.limits, c.var.limits.acceptPerAccount, c.var.user.id);
        const accepted = await acceptTicket(deps, ticket, c.var.user.id);
        if (c.var.session)
          await enterOrganization(deps, { session: c.var.session, organizationId: accepted.organization.id });
        redirectUrl = accepted.invitation.redirectUrl;
      } else if (action === 'sign_in') {
        const invitation = await findByTicket(deps.store, ticket);
        requirePending(invitation, deps.now());
        const joined: { accepted?: Awaited<ReturnType<typeof acceptTicket>> } = {};
        await passwordSignIn(c, {
          identifier: invitation.emailAddress,
          password: signInBody.shape.password.parse(form.password ?? ''),
          ip: options.ip(c),
          beforeSession: async (u) => {
            joined.accepted = await acceptTicket(deps, ticket, u.id);
            return joined.accepted.organization.id;
          },
        });
        redirectUrl = joined.accepted!.invitation.redirectUrl;
      } else if (action === 'sign_up') {
        // The ticket as the page carried it (cut to its longest length): an unknown one is a 404 page.
        const body = ticketSignUpBody.omit({ ticket: true }).parse(form);
        const input = {
          ticket,
          password: body.password,
          firstName: body.first_name ?? null,
          lastName: body.last_name ?? null,
        };
        const appInvitation = await findAppInvitationByTicket(deps.store, ticket);
        const result = appInvitation
          ? await signUpWithAppTicket(deps, appInvitation, input)
          : await signUpWithTicket(deps, input);
        if (result.status === 'needs_email_verification') {
          // A shown link proves nothing: the mailed code must (decision 021).
          keepSignUpId(c, result.signUpId);
          return render(c, ticket, null, 200, true);
        }
        await clearSession(c);
        setSession(c, result.token, result.session);
        redirectUrl = result.invitation.redirectUrl;
      } else if (action === 'verify') {
        await consume(c.var.limits, c.var.limits.signUpPerIp, options.ip(c));
        let result: Awaited<ReturnType<typeof completeTicketSignUpFromCookie>>;
        try {
          result = await completeTicketSignUpFromCookie(c, { code: verifyEmailBody.parse(form).code });
        } catch (error) {
          if (error instanceof AppError && error.code === 'verification_not_found') throw error;
          const { message, status } = pageError(error, text);
          return render(c, ticket, message, status, true);
        }
        await clearSession(c);
        setSession(c, result.token, result.session);
        // The account stands (the code proved the address) even if the invitation closed meanwhile.
        if (result.joinError)
          return render(
            c,
            ticket,
            text.error(result.joinError.code, result.joinError.meta),
            ERROR_CODES[result.joinError.code].status,
          );
        redirectUrl = result.joined?.invitation.redirectUrl ?? null;
      } else {
        throw new AppError('form_param_value_invalid', { meta: { param_name: 'action' } });
      }
      return c.redirect(redirectUrl ?? options.afterAcceptUrl, 303);
    } catch (error) {
      const { message, status } = pageError(error, text);
      return render(c, ticket, message, status);
    }
  });
}
