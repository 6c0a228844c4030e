'use client';
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
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
import { useUser } from '../use-auth.js';
import { type Appearance, classOf } from './appearance.js';
import { Avatar } from './avatar.js';
import { userLabel } from './organization-switcher/items.js';
import { placeInViewport, usePlacedOnResize } from './popover.js';
import { Alert, messageOf, Root } from './ui.js';

/**
 * Props of `<UserButton/>` (Clerk's names).
 *
 * @example
 * ```tsx
 * const props: UserButtonProps = { afterSignOutUrl: '/', userProfileUrl: '/account', showName: true };
 * ```
 */
export interface UserButtonProps {
  /** Where to go after signing out. Default `/`. */
  afterSignOutUrl?: string;
  /** The "Manage account" link. Default: the Roster server's hosted `/account` page. */
  userProfileUrl?: string;
  /** Show the user's name next to the avatar. */
  showName?: boolean;
  /** Start open. */
  defaultOpen?: boolean;
  appearance?: Appearance;
}

const menuItems = (menu: HTMLElement | null) =>
  menu ? [...menu.querySelectorAll<HTMLElement>('[role=menuitem]')] : [];

/**
 * The signed-in user's avatar as a menu button: it opens a menu with their name and address,
 * "Manage account" and "Sign out". Enter, Space or ArrowDown opens it on its first item (ArrowUp
 * on its last); arrows, Home and End move; Escape or Tab closes it, Escape back onto the button.
 * Renders nothing when signed out.
 *
 * @example
 * ```tsx
 * <header><UserButton afterSignOutUrl="/" /></header>
 * ```
 */
export function UserButton(props: UserButtonProps): ReactNode {
  const appearance = useAppearance(props.appearance);
  const { client, navigate } = useRosterContext('UserButton');
  const { isLoaded, user } = useUser();
  const [open, setOpen] = useState(props.defaultOpen ?? false);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const menuId = useId();
  const l = useLocalization();
  const { t } = l;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const focusOnOpen = useRef<'first' | 'last' | null>(null);
  const items = () => menuItems(menuRef.current);
  usePlacedOnResize(menuRef, open);

  const close = useCallback((refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  useLayoutEffect(() => {
    if (!open || !focusOnOpen.current) return;
    const all = menuItems(menuRef.current);
    (focusOnOpen.current === 'last' ? all.at(-1) : all[0])?.focus();
    focusOnOpen.current = null;
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [open]);

  if (!isLoaded) {
    return (
      <Root appearance={appearance} name="user-button" card={false} busy>
        <button type="button" className="roster-avatar-button" disabled aria-label={t('userButton.loading')}>
          <span
            className={classOf(appearance, 'avatar')}
            style={{ width: 32, height: 32, background: 'color-mix(in srgb, currentColor 15%, transparent)' }}
          />
        </button>
      </Root>
    );
  }
  if (!user) return null;

  const name = userLabel(user, l);
  const email = user.primaryEmailAddress?.emailAddress ?? '';
  const profileUrl = props.userProfileUrl ?? `${client.baseUrl}/account`;

  const onButtonKeyDown = (event: ReactKeyboardEvent<HTMLButtonElement>) => {
    if (!['Enter', ' ', 'ArrowDown', 'ArrowUp'].includes(event.key)) return;
    event.preventDefault();
    if (open && (event.key === 'Enter' || event.key === ' ')) return close();
    focusOnOpen.current = event.key === 'ArrowUp' ? 'last' : 'first';
    if (open) {
      const all = items();
      (event.key === 'ArrowUp' ? all.at(-1) : all[0])?.focus();
      focusOnOpen.current = null;
    }
    setOpen(true);
  };

  const onMenuKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      return close();
    }
    if (event.key === 'Tab') return close(false);
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === 'ArrowDown'
        ? (index + 1) % all.length
        : event.key === 'ArrowUp'
          ? (index - 1 + all.length) % all.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? all.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    all[next]?.focus();
  };

  const signOut = async () => {
    if (signingOut) return;
    setSigningOut(true);
    setError(null);
    try {
      await client.signOut();
      await navigate(props.afterSignOutUrl ?? '/');
    } catch (e) {
      setError(messageOf(e, l));
      setSigningOut(false);
    }
  };

  return (
    <Root appearance={appearance} name="user-button" card={false}>
      <div ref={rootRef} style={{ position: 'relative', display: 'inline-block', maxWidth: '100%' }}>
        <button
          ref={buttonRef}
          type="button"
          className={`roster-avatar-button${props.showName ? ' roster-trigger' : ''}`}
          aria-haspopup="menu"
          aria-expanded={open}
          aria-controls={open ? menuId : undefined}
          onClick={() => (open ? close() : setOpen(true))}
          onKeyDown={onButtonKeyDown}
          onKeyUp={(event) => {
            if (event.key === ' ') event.preventDefault();
          }}
        >
          <Avatar appearance={appearance} name={name} imageUrl={user.imageUrl} hasImage={user.hasImage} />
          {props.showName ? (
            <span className="roster-grow">{name}</span>
          ) : (
            // The name from content, not aria-label: the initials shown are not part of the label
            // (axe's label-content-name-mismatch), and they are aria-hidden.
            <span className="roster-sr-only">{t('userButton.label', { name })}</span>
          )}
        </button>
        {open && (
          <div
            ref={(el) => {
              menuRef.current = el;
              // Placed as soon as it exists (also when it starts open, before the user has loaded).
              if (el) placeInViewport(el);
            }}
            id={menuId}
            role="menu"
            aria-label={t('userButton.label', { name })}
            tabIndex={-1}
            className={`${classOf(appearance, 'card')} roster-popover roster-popover-end`}
            onKeyDown={onMenuKeyDown}
          >
            <div style={{ display: 'flex', alignItems: 'center', gap: 10, marginBottom: 8 }}>
              <Avatar appearance={appearance} name={name} imageUrl={user.imageUrl} hasImage={user.hasImage} size={40} />
              <span className="roster-grow" data-testid="user-button-identity">
                <strong>{name}</strong>
                {email && email !== name && (
                  <>
                    <br />
                    <span className="roster-muted">{email}</span>
                  </>
                )}
              </span>
            </div>
            <Alert appearance={appearance} message={error} />
            <a role="menuitem" tabIndex={-1} className="roster-menu-item" href={profileUrl}>
              <span aria-hidden="true">⚙</span> {t('userButton.action__manageAccount')}
            </a>
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="roster-menu-item"
              aria-disabled={signingOut || undefined}
              onClick={() => void signOut()}
            >
              <span aria-hidden="true">⎋</span>{' '}
              {signingOut ? t('userButton.action__signOut__busy') : t('userButton.action__signOut')}
            </button>
          </div>
        )}
      </div>
    </Root>
  );
}
