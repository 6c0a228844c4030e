'use client';
import { type InvitationPreview, isRosterAPIError, type SignedIn, type SignUpStarted } from '@roster/client';
import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useAuth } from '../use-auth.js';
import { type Appearance, classOf } from './appearance.js';
import { FormattedDate } from './format.js';
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

const CLOSED: Record<string, { title: string; text: string }> = {
  revoked: {
    title: 'This invitation was revoked',
    text: 'An admin of the organization withdrew it. Nothing was joined.',
  },
  expired: {
    title: 'This invitation has expired',
    text: 'Invitations only work for a limited time. Ask for a new one.',
  },
  accepted: {
    title: 'This invitation was already used',
    text: 'Each invitation link works once. If it was you, sign in to reach the organization.',
  },
};

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

  const load = useCallback(async () => {
    if (!ticket) {
      setState({ kind: 'invalid', message: 'This link has no invitation in it. Open it again from the email.' });
      return;
    }
    try {
      setState({ kind: 'ready', preview: await client.tickets.preview(ticket) });
    } catch (e) {
      const notFound = isRosterAPIError(e, 'invitation_not_found');
      setState({
        kind: 'invalid',
        message: notFound
          ? 'The link may be incomplete or mistyped. Open it again from the email, or ask for a new invitation.'
          : messageOf(e),
      });
    }
  }, [client, ticket]);

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
      setError(messageOf(e));
      account.set('password', '');
      setPending(false);
      // The invitation may have changed meanwhile (revoked, used): show what it is now.
      if (isRosterAPIError(e) && /^invitation_/.test(e.code)) void load();
    }
  };

  if (state.kind === 'loading') {
    return (
      <Root appearance={appearance} name="accept-invitation" busy>
        <p className="roster-muted">Loading the invitation…</p>
      </Root>
    );
  }
  if (state.kind === 'invalid') {
    return (
      <Root appearance={appearance} name="accept-invitation">
        <h2 data-status="invalid">This invitation link is not valid</h2>
        <p>{state.message}</p>
      </Root>
    );
  }

  const { preview } = state;
  const org = preview.organization.name;
  const closed = CLOSED[preview.status];
  if (closed || preview.nextStep === 'none') {
    const screen = closed ?? CLOSED.accepted!;
    return (
      <Root appearance={appearance} name="accept-invitation">
        <h2 data-status={preview.status}>{screen.title}</h2>
        <p>{screen.text}</p>
        <p className="roster-muted">
          Ask {preview.inviterName ?? 'an admin'} of {org} to send you a new invitation if you still need one.
        </p>
      </Root>
    );
  }

  const intro = `${preview.inviterName ?? 'An admin'} invited ${preview.emailAddress} to join ${org} as ${preview.roleName.toLowerCase()}.`;
  const submit = (action: () => Promise<SignedIn | SignUpStarted | { redirectUrl?: null }>) => (event: FormEvent) => {
    event.preventDefault();
    void act(action);
  };

  if (awaitingCode) {
    return (
      <Root appearance={appearance} name="accept-invitation">
        <Header appearance={appearance} title="Check your email">
          To join {org}, confirm that <strong>{preview.emailAddress}</strong> is yours: we sent a six-digit code to it.
          It works for 10 minutes.
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
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Verifying…" disabled={code.length !== 6}>
            Verify, create account and join
          </SubmitButton>
        </form>
      </Root>
    );
  }

  return (
    <Root appearance={appearance} name="accept-invitation">
      <Header appearance={appearance} title={<>Join {org}</>}>
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
          <p className="roster-muted">Signed in as {preview.signedInAs}.</p>
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Joining…">
            {`Join ${org}`}
          </SubmitButton>
        </form>
      )}

      {preview.nextStep === 'wrong_account' && (
        <div data-testid="wrong-account">
          <p>
            You are signed in as <strong>{preview.signedInAs}</strong>, but this invitation is for{' '}
            <strong>{preview.emailAddress}</strong>. Nothing has been joined.
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
                .catch((e: unknown) => setError(messageOf(e)))
                .finally(() => setPending(false));
            }}
          >
            Sign out and continue as {preview.emailAddress}
          </button>
          <p className="roster-muted" style={{ marginTop: 12 }}>
            Or{' '}
            <button type="button" className="roster-link" onClick={() => void navigate(props.homeUrl ?? '/')}>
              stay signed in as {preview.signedInAs}
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
          <p className="roster-muted">You already have an account. Sign in to join.</p>
          <Field appearance={appearance} label="Email address" type="email" value={preview.emailAddress} readOnly />
          <PasswordField
            appearance={appearance}
            autoFocus
            value={account.password}
            onChange={(value) => account.set('password', value)}
            invalid={error !== null}
          />
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Signing in…">
            Sign in and join
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
              ? 'Create your account to join. We will email a code to this address to confirm it is yours.'
              : 'Create your account to join. This invitation confirms your email address.'}
          </p>
          <Field appearance={appearance} label="Email address" type="email" value={preview.emailAddress} readOnly />
          <NewAccountFields appearance={appearance} account={account} passwordInvalid={error !== null} />
          <SubmitButton appearance={appearance} busy={pending} busyLabel="Creating your account…">
            Create account and join
          </SubmitButton>
        </form>
      )}
      <Footnote>
        Expires <FormattedDate date={preview.expiresAt} />.
      </Footnote>
    </Root>
  );
}
