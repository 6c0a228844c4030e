'use client';
import type { ReactNode } from 'react';
import { type Appearance, classOf } from '../appearance.js';
import { messageOf } from '../ui.js';

/** A list that could not be loaded: one message saying so, and a way to try again. Nothing else. */
export function LoadError(props: {
  appearance: Appearance | undefined;
  what: string;
  error: unknown;
  retry: () => Promise<void>;
}): ReactNode {
  return (
    <div role="alert" className={classOf(props.appearance, 'alert')} data-testid="load-error">
      <p style={{ margin: 0 }}>
        Could not load {props.what}. {messageOf(props.error)}
      </p>
      <button type="button" className="roster-link" onClick={() => void props.retry()}>
        Try again
      </button>
    </div>
  );
}
