'use client';
import { type ReactNode, useEffect, useRef } from 'react';
import { useLocalization } from '../../localization/context.js';
import { type Appearance, classOf } from '../appearance.js';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog over the page (for "Manage organization"): focus moves to its Close button,
 * Tab stays inside, Escape or Close shuts it and `onClose` puts focus back where it came from.
 */
export function Modal(props: {
  appearance: Appearance | undefined;
  label: string;
  onClose: () => void;
  children: ReactNode;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const { t } = useLocalization();
  useEffect(() => {
    closeRef.current?.focus();
  }, []);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes the dialog; the keyboard has Escape and Close
    <div className="roster-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        className="roster-modal"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            props.onClose();
            return;
          }
          if (event.key !== 'Tab' || !ref.current) return;
          const all = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
          const first = all[0];
          const last = all.at(-1);
          if (event.shiftKey && document.activeElement === first) {
            event.preventDefault();
            last?.focus();
          } else if (!event.shiftKey && document.activeElement === last) {
            event.preventDefault();
            first?.focus();
          }
        }}
      >
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <button
            ref={closeRef}
            type="button"
            className={classOf(props.appearance, 'buttonSecondary')}
            onClick={props.onClose}
          >
            {t('action__close')}
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}
