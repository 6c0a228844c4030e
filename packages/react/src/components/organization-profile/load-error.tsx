'use client';
import type { ReactNode } from 'react';
import { useLocalization } from '../../localization/context.js';
import { type Appearance, classOf } from '../appearance.js';
import { messageOf } from '../ui.js';

/** A list that could not be loaded: one message saying so, and a way to try again. Nothing else. */
export function LoadError(props: {
  appearance: Appearance | undefined;
  /** The whole sentence: "Could not load the members." */
  what: string;
  error: unknown;
  retry: () => Promise<void>;
}): ReactNode {
  const l = useLocalization();
  return (
    <div role="alert" className={classOf(props.appearance, 'alert')} data-testid="load-error">
      <p style={{ margin: 0 }}>
        {props.what} {messageOf(props.error, l)}
      </p>
      <button type="button" className="roster-link" onClick={() => void props.retry()}>
        {l.t('action__tryAgain')}
      </button>
    </div>
  );
}
