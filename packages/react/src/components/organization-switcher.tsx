'use client';
import type { UserOrganizationInvitation } from '@roster/client';
import {
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useRosterContext } from '../context.js';
import { useOrganization } from '../use-organization.js';
import { useOrganizationList } from '../use-organization-list.js';
import { type Appearance, classOf } from './appearance.js';
import { CreateOrganization } from './create-organization.js';
import { Alert, messageOf, Root } from './ui.js';

/**
 * Props of `<OrganizationSwitcher/>`.
 *
 * @example
 * ```tsx
 * const props: OrganizationSwitcherProps = { afterSelectOrganizationUrl: '/organization' };
 * ```
 */
export interface OrganizationSwitcherProps {
  /** Where to go after switching or joining (default: stay). */
  afterSelectOrganizationUrl?: string;
  /** Where to go after creating one (default: stay). */
  afterCreateOrganizationUrl?: string;
  /** Hide the "Create organization" entry. */
  hideCreateOrganization?: boolean;
  /** Start open (useful on a page of its own). */
  defaultOpen?: boolean;
  appearance?: Appearance;
}

const englishPlural = new Intl.PluralRules('en');

/** "1 pending invitation", "2 pending invitations": English plural rules through `Intl`. */
function pendingInvitationsLabel(count: number): string {
  return `${count} pending ${englishPlural.select(count) === 'one' ? 'invitation' : 'invitations'}`;
}

/** How far to shift the panel sideways so it stays `margin` px inside the viewport. */
function shiftIntoViewport(rect: { left: number; right: number; width: number }, viewport: number, margin = 8): number {
  if (rect.width === 0 || viewport === 0) return 0; // not laid out
  if (rect.right > viewport - margin) return Math.max(margin - rect.left, viewport - margin - rect.right);
  if (rect.left < margin) return margin - rect.left;
  return 0;
}

/**
 * A button showing the active organization that opens a panel: your organizations (pick one to
 * make it active), invitations waiting for you (Join), and a form to create an organization.
 * Escape or a click outside closes it; Escape returns focus to the button. Opened with Enter,
 * Space or ArrowDown, the panel's first control takes focus.
 *
 * @example
 * ```tsx
 * <header><OrganizationSwitcher afterCreateOrganizationUrl="/organization" /></header>
 * ```
 */
export function OrganizationSwitcher(props: OrganizationSwitcherProps): ReactNode {
  const { appearance } = props;
  const { navigate } = useRosterContext('OrganizationSwitcher');
  const { organization, isLoaded } = useOrganization();
  const { userMemberships, userInvitations, setActive } = useOrganizationList({
    userMemberships: { pageSize: 50 },
    userInvitations: { pageSize: 20 },
  });
  const [open, setOpen] = useState(props.defaultOpen ?? false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const focusFirst = useRef(false);
  const pendingCount = userInvitations.count;

  const close = useCallback(() => {
    setOpen(false);
    setCreating(false);
    buttonRef.current?.focus();
  }, []);

  const toggleFromKeyboard = (event: ReactKeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'Enter' && event.key !== ' ' && event.key !== 'ArrowDown') return;
    // Handled here, so the browser's own click (Enter on keydown, Space on keyup) must not toggle again.
    event.preventDefault();
    if (open && event.key !== 'ArrowDown') return close();
    focusFirst.current = true;
    setOpen(true);
  };

  // Keep the panel inside the viewport (a trigger near the right edge of a phone's header),
  // and give its first control focus when the keyboard opened it.
  useLayoutEffect(() => {
    const panel = panelRef.current;
    if (!open || !panel) return;
    panel.style.left = '';
    const shift = shiftIntoViewport(panel.getBoundingClientRect(), document.documentElement.clientWidth || innerWidth);
    if (shift !== 0) panel.style.left = `${shift}px`;
    if (focusFirst.current) {
      focusFirst.current = false;
      panel.querySelector<HTMLElement>('button:not([disabled]), input:not([disabled]), [tabindex="0"]')?.focus();
    }
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close]);

  const run = async (key: string, action: () => Promise<unknown>, then?: string) => {
    setBusy(key);
    setError(null);
    try {
      await action();
      setBusy(null);
      if (then) await navigate(then);
    } catch (e) {
      setError(messageOf(e));
      setBusy(null);
    }
  };

  const join = (invitation: UserOrganizationInvitation) =>
    run(
      invitation.id,
      async () => {
        await invitation.accept();
        await setActive({ organization: invitation.publicOrganizationData.id });
      },
      props.afterSelectOrganizationUrl,
    );

  return (
    <Root appearance={appearance} name="organization-switcher" card={false}>
      <div ref={rootRef} style={{ position: 'relative', display: 'inline-block' }}>
        <button
          ref={buttonRef}
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          onClick={() => (open ? close() : setOpen(true))}
          onKeyDown={toggleFromKeyboard}
          onKeyUp={(event) => {
            if (event.key === ' ') event.preventDefault();
          }}
          disabled={!isLoaded}
        >
          <span>{organization ? organization.name : isLoaded ? 'No organization' : 'Loading…'}</span>
          {pendingCount > 0 && (
            <span className={classOf(appearance, 'badge')}>
              <span aria-hidden="true">{pendingCount}</span>
              <span className="roster-sr-only">{pendingInvitationsLabel(pendingCount)}</span>
            </span>
          )}
          <span aria-hidden="true">▾</span>
        </button>
        {open && (
          <div
            ref={panelRef}
            id={panelId}
            role="dialog"
            aria-label="Organizations"
            className={`${classOf(appearance, 'card')} roster-popover`}
          >
            <Alert appearance={appearance} message={error} />
            <p className="roster-section-title" id={`${panelId}-orgs`}>
              Your organizations
            </p>
            {userMemberships.data.length === 0 && !userMemberships.isLoading ? (
              <p className="roster-muted">You are not in any organization yet.</p>
            ) : (
              <ul className={classOf(appearance, 'list')} aria-labelledby={`${panelId}-orgs`}>
                {userMemberships.data.map((m) => {
                  const current = m.organization.id === organization?.id;
                  return (
                    <li key={m.id} className={classOf(appearance, 'listItem')}>
                      <span className="roster-grow">
                        <strong>{m.organization.name}</strong> <span className="roster-muted">{m.roleName}</span>
                      </span>
                      {current ? (
                        <span className={classOf(appearance, 'badge')} aria-current="true">
                          Active
                        </span>
                      ) : (
                        <button
                          type="button"
                          className={classOf(appearance, 'buttonSecondary')}
                          disabled={busy !== null}
                          aria-label={`Switch to ${m.organization.name}`}
                          onClick={() =>
                            void run(
                              m.id,
                              () => setActive({ organization: m.organization.id }),
                              props.afterSelectOrganizationUrl,
                            )
                          }
                        >
                          Switch
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            {userInvitations.data.length > 0 && (
              <>
                <p className="roster-section-title" id={`${panelId}-invitations`}>
                  Invitations
                </p>
                <ul className={classOf(appearance, 'list')} aria-labelledby={`${panelId}-invitations`}>
                  {userInvitations.data.map((invitation) => (
                    <li key={invitation.id} className={classOf(appearance, 'listItem')}>
                      <span className="roster-grow">
                        <strong>{invitation.publicOrganizationData.name}</strong>{' '}
                        <span className="roster-muted">as {invitation.roleName.toLowerCase()}</span>
                      </span>
                      <button
                        type="button"
                        className={classOf(appearance, 'button')}
                        disabled={busy !== null}
                        aria-label={`Join ${invitation.publicOrganizationData.name}`}
                        onClick={() => void join(invitation)}
                      >
                        {busy === invitation.id ? 'Joining…' : 'Join'}
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {!props.hideCreateOrganization &&
              (creating ? (
                <div style={{ marginTop: 12 }}>
                  <CreateOrganization
                    embedded
                    appearance={appearance}
                    onCreated={() => setCreating(false)}
                    {...(props.afterCreateOrganizationUrl && {
                      afterCreateOrganizationUrl: props.afterCreateOrganizationUrl,
                    })}
                  />
                </div>
              ) : (
                <button
                  type="button"
                  className={classOf(appearance, 'buttonSecondary')}
                  style={{ marginTop: 12, width: '100%' }}
                  onClick={() => setCreating(true)}
                >
                  + Create organization
                </button>
              ))}
          </div>
        )}
      </div>
    </Root>
  );
}
