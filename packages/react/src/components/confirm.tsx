'use client';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useLocalization } from '../localization/context.js';
import { type Appearance, classOf } from './appearance.js';

/**
 * An inline confirmation for a destructive or consequential action (an `alertdialog` next to
 * what it is about, not a modal). It takes focus when it opens: its first input when it has
 * one, else Cancel, the harmless choice. Escape cancels. The caller puts focus back where the
 * action started on cancel, and somewhere sensible on success.
 */
export function Confirm(props: {
  appearance: Appearance | undefined;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  /** Keep the confirm button off (a typed-name check not met yet). */
  confirmDisabled?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}): ReactNode {
  const { appearance, busy } = props;
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { t } = useLocalization();

  useEffect(() => {
    const input = ref.current?.querySelector<HTMLElement>('input, select, textarea');
    (input ?? cancelRef.current)?.focus();
  }, []);

  return (
    <div
      ref={ref}
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      aria-describedby={props.children ? `${id}-body` : undefined}
      className="roster-confirm"
      data-tone={props.danger ? 'danger' : undefined}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        // Only this confirmation: a popover around it must not close too.
        event.stopPropagation();
        event.nativeEvent.stopImmediatePropagation();
        if (!busy) props.onCancel();
      }}
    >
      <p id={`${id}-title`} className="roster-confirm-title">
        {props.title}
      </p>
      {props.children && <div id={`${id}-body`}>{props.children}</div>}
      <div className="roster-actions">
        <button
          type="button"
          className={classOf(appearance, 'button', props.danger ? 'roster-button-danger' : undefined)}
          // aria-disabled, not disabled, while busy: a disabled button would drop focus to <body>.
          aria-disabled={busy || props.confirmDisabled || undefined}
          disabled={props.confirmDisabled && !busy}
          onClick={() => {
            if (!busy && !props.confirmDisabled) props.onConfirm();
          }}
        >
          {busy ? props.busyLabel : props.confirmLabel}
        </button>
        <button
          ref={cancelRef}
          type="button"
          className={classOf(appearance, 'buttonSecondary')}
          aria-disabled={busy || undefined}
          onClick={() => {
            if (!busy) props.onCancel();
          }}
        >
          {t('formButtonReset')}
        </button>
      </div>
    </div>
  );
}
