'use client';
import { type InvitationPreview, isRosterAPIError, type SignedIn, type SignUpStarted } from '@roster/client';
import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
import { useAuth } from '../use-auth.js';
import { type Appearance, classOf } from './appearance.js';
import { FormattedDate } from './format.js';
import { roleNameOf } from './organization-switcher/items.js';
import {
  Alert,
  CodeField,
  Field,
  Footnote,
  Header,
  messageOf,
  NewAccountFields,
  namesOf,
  PasswordField,
  queryParam,
  Root,
  SubmitButton,
  useNewAccount,
} from './ui.js';

/**
 * Props of `<AcceptInvitation/>`.
 *
 * @example
 * ```tsx
 * const props: AcceptInvitationProps = { afterAcceptUrl: '/organization' };
 * ```
 */
export interface AcceptInvitationProps {
  /** The ticket; default: the page's `?ticket=` (or Clerk's `?__clerk_ticket=`). */
  ticket?: string;
  /** Where to go after joining. Default: the invitation's own redirect (if on this site), else `/`. */
  afterAcceptUrl?: string;
  /** Where "Stay signed in" goes on the wrong-account screen. Default `/`. */
  homeUrl?: string;
  appearance?: Appearance;
}

/** The statuses with a screen of their own (`acceptInvitation.<status>.title` and `.subtitle`). */
const CLOSED = ['revoked', 'expired', 'accepted'] as const;
type Closed = (typeof CLOSED)[number];
const isClosed = (status: string): status is Closed => (CLOSED as readonly string[]).includes(status);

type State = { kind: 'loading' } | { kind: 'invalid'; message: string } | { kind: 'ready'; preview: InvitationPreview };

/**
 * For apps that host their own accept page: reads the invitation (changing nothing), then offers
 * what fits — create an account with the invited address locked, sign in, join as the signed-in
 * invitee, or, when signed in as someone else, says so and offers to switch (nothing is joined by
 * mistake). Revoked, expired and used links get a screen that says which.
 *
 * @example
 * ```tsx
 * // app/accept-invitation/page.tsx
 * export default function Page() {
 *   return <AcceptInvitation afterAcceptUrl="/organization" />;
 * }
 * ```
 */
export function AcceptInvitation(props: AcceptInvitationProps): ReactNode {
  const appearance = useAppearance(props.appearance);
  const { client, navigate } = useRosterContext('AcceptInvitation');
  const { isLoaded, userId } = useAuth();
  const [ticket] = useState(() => props.ticket ?? queryParam('ticket') ?? queryParam('__clerk_ticket') ?? '');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const account = useNewAccount();
  // A sign-up from a shown link waits for the code mailed to the invited address (decision 021).
  const [awaitingCode, setAwaitingCode] = useState(false);
  const [code, setCode] = useState('');
  const l = useLocalization();
  const { t, rich } = l;

  const load = useCallback(async () => {
    if (!ticket) {
      setState({ kind: 'invalid', message: t('acceptInvitation.invalid.noTicket') });
      return;
    }
    try {
      setState({ kind: 'ready', preview: await client.tickets.preview(ticket) });
    } catch (e) {
      const notFound = isRosterAPIError(e, 'invitation_not_found');
      setState({
        kind: 'invalid',
        message: notFound ? t('acceptInvitation.invalid.notFound') : messageOf(e, l),
      });
    }
  }, [client, ticket, t, l]);

  // Who is signed in decides what the preview offers: load it again when that changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: userId is the trigger, not an input.
  useEffect(() => {
    if (isLoaded) void load();
  }, [isLoaded, userId, load]);

  const after = (redirectUrl: string | null) => {
    if (props.afterAcceptUrl) return props.afterAcceptUrl;
    if (redirectUrl && typeof window !== 'undefined') {
      const url = new URL(redirectUrl, window.location.href);
      if (url.origin === window.location.origin) return `${url.pathname}${url.search}${url.hash}`;
    }
    return '/';
  };

  const act = async (action: () => Promise<SignedIn | SignUpStarted | { redirectUrl?: null }>) => {
    setPending(true);
    setError(null);
    try {
      const result = await action();
      if ('status' in result && result.status === 'needs_email_verification') {
        setAwaitingCode(true);
        setPending(false);
        return;
      }
      await navigate(after('redirectUrl' in result ? (result.redirectUrl ?? null) : null));
    } catch (e) {
      setError(messageOf(e, l));
      account.set('password', '');
      setPending(false);
      // The invitation may have changed meanwhile (revoked, used): show what it is now.
      if (isRosterAPIError(e) && /^invitation_/.test(e.code)) void load();
    }
  };

  if (state.kind === 'loading') {
    return (
      <Root appearance={appearance} name="accept-invitation" busy>
        <p className="roster-muted">{t('acceptInvitation.loading')}</p>
      </Root>
    );
  }
  if (state.kind === 'invalid') {
    return (
      <Root appearance={appearance} name="accept-invitation">
        <h2 data-status="invalid">{t('acceptInvitation.invalid.title')}</h2>
        <p>{state.message}</p>
      </Root>
    );
  }

  const { preview } = state;
  const org = preview.organization.name;
  if (isClosed(preview.status) || preview.nextStep === 'none') {
    const screen = isClosed(preview.status) ? preview.status : 'accepted';
    return (
      <Root appearance={appearance} name="accept-invitation">
        <h2 data-status={preview.status}>{t(`acceptInvitation.${screen}.title`)}</h2>
        <p>{t(`acceptInvitation.${screen}.subtitle`)}</p>
        <p className="roster-muted">
          {preview.inviterName
            ? t('acceptInvitation.askForNew', { inviterName: preview.inviterName, organizationName: org })
            : t('acceptInvitation.askForNew__noInviter', { organizationName: org })}
        </p>
      </Root>
    );
  }

  const intro = t(
    preview.inviterName ? 'acceptInvitation.start.subtitle' : 'acceptInvitation.start.subtitle__noInviter',
    {
      inviterName: preview.inviterName ?? '',
      emailAddress: preview.emailAddress,
      organizationName: org,
      role: roleNameOf(preview.role, preview.roleName, l).toLowerCase(),
    },
  );
  const submit = (action: () => Promise<SignedIn | SignUpStarted | { redirectUrl?: null }>) => (event: FormEvent) => {
    event.preventDefault();
    void act(action);
  };

  if (awaitingCode) {
    return (
      <Root appearance={appearance} name="accept-invitation">
        <Header appearance={appearance} title={t('signUp.emailCode.title')}>
          {rich('acceptInvitation.emailCode.subtitle', {
            organizationName: org,
            emailAddress: <strong>{preview.emailAddress}</strong>,
          })}
        </Header>
        <Alert appearance={appearance} message={error} />
        <form
          className={classOf(appearance, 'form')}
          onSubmit={submit(async () => {
            const done = await client.tickets.verify({ code: code.trim() });
            if (done.organizationMembership) {
              await client.setActive({ organization: done.organizationMembership.organization.id });
            }
            return done;
          })}
        >
          <CodeField appearance={appearance} autoFocus value={code} onChange={setCode} invalid={error !== null} />
          <SubmitButton
            appearance={appearance}
            busy={pending}
            busyLabel={t('signUp.emailCode.formButtonPrimary__busy')}
            disabled={code.length !== 6}
          >
            {t('acceptInvitation.emailCode.formButtonPrimary')}
          </SubmitButton>
        </form>
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="accept-invitation">
      <Header appearance={appearance} title={t('acceptInvitation.start.title', { organizationName: org })}>
        {intro}
      </Header>
      <Alert appearance={appearance} message={error} />

      {preview.nextStep === 'accept' && (
        <form
          className={classOf(appearance, 'form')}
          onSubmit={submit(async () => {
            const membership = await client.tickets.accept(ticket);
            await client.setActive({ organization: membership.organization.id });
            return {};
          })}
        >
          <p className="roster-muted">{t('acceptInvitation.signedInAs', { identifier: preview.signedInAs ?? '' })}</p>
          <SubmitButton
            appearance={appearance}
            busy={pending}
            busyLabel={t('organizationSwitcher.action__invitationAccept__busy')}
          >
            {t('acceptInvitation.start.title', { organizationName: org })}
          </SubmitButton>
        </form>
      )}

      {preview.nextStep === 'wrong_account' && (
        <div data-testid="wrong-account">
          <p>
            {rich('acceptInvitation.wrongAccount.subtitle', {
              identifier: <strong>{preview.signedInAs}</strong>,
              emailAddress: <strong>{preview.emailAddress}</strong>,
            })}
          </p>
          <button
            type="button"
            className={classOf(appearance, 'button')}
            style={{ width: '100%' }}
            disabled={pending}
            onClick={() => {
              setPending(true);
              void client
                .signOut()
                .catch((e: unknown) => setError(messageOf(e, l)))
                .finally(() => setPending(false));
            }}
          >
            {t('acceptInvitation.wrongAccount.action__signOut', { emailAddress: preview.emailAddress })}
          </button>
          <p className="roster-muted" style={{ marginTop: 12 }}>
            {t('acceptInvitation.wrongAccount.orText')}{' '}
            <button type="button" className="roster-link" onClick={() => void navigate(props.homeUrl ?? '/')}>
              {t('acceptInvitation.wrongAccount.action__stay', { identifier: preview.signedInAs ?? '' })}
            </button>
            .
          </p>
        </div>
      )}

      {preview.nextStep === 'sign_in' && (
        <form
          className={classOf(appearance, 'form')}
          onSubmit={submit(() => client.tickets.signIn({ ticket, password: account.password }))}
        >
          <p className="roster-muted">{t('acceptInvitation.signIn.subtitle')}</p>
          <Field
            appearance={appearance}
            label={t('formFieldLabel__emailAddress')}
            type="email"
            value={preview.emailAddress}
            readOnly
          />
          <PasswordField
            appearance={appearance}
            autoFocus
            value={account.password}
            onChange={(value) => account.set('password', value)}
            invalid={error !== null}
          />
          <SubmitButton appearance={appearance} busy={pending} busyLabel={t('signIn.start.formButtonPrimary__busy')}>
            {t('acceptInvitation.signIn.formButtonPrimary')}
          </SubmitButton>
        </form>
      )}

      {preview.nextStep === 'sign_up' && (
        <form
          className={classOf(appearance, 'form')}
          onSubmit={submit(() =>
            client.tickets.signUp({
              ticket,
              password: account.password,
              ...namesOf(account),
            }),
          )}
        >
          <p className="roster-muted">
            {preview.signUpNeedsEmailCode
              ? t('acceptInvitation.signUp.subtitle__emailCode')
              : t('acceptInvitation.signUp.subtitle')}
          </p>
          <Field
            appearance={appearance}
            label={t('formFieldLabel__emailAddress')}
            type="email"
            value={preview.emailAddress}
            readOnly
          />
          <NewAccountFields appearance={appearance} account={account} passwordInvalid={error !== null} />
          <SubmitButton
            appearance={appearance}
            busy={pending}
            busyLabel={t('acceptInvitation.signUp.formButtonPrimary__busy')}
          >
            {t('acceptInvitation.signUp.formButtonPrimary')}
          </SubmitButton>
        </form>
      )}
      <Footnote>{rich('acceptInvitation.expires', { date: <FormattedDate date={preview.expiresAt} /> })}</Footnote>
    </Root>
  );
}
