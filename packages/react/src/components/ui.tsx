'use client';
import { isRosterAPIError, RosterNetworkError } from '@roster/client';
import { forwardRef, type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { type Appearance, CSS, classOf, themeStyle } from './appearance.js';

/** The component root: theme variables, built-in styles (unless `unstyled`), optional card. */
export function Root(props: {
  appearance: Appearance | undefined;
  name: string;
  card?: boolean;
  children: ReactNode;
  busy?: boolean;
}): ReactNode {
  const { appearance, name, card = true } = props;
  const classes = [classOf(appearance, 'root'), card ? classOf(appearance, 'card') : '', `roster-${name}`];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      style={themeStyle(appearance)}
      data-roster-component={name}
      aria-busy={props.busy || undefined}
    >
      {appearance?.unstyled ? null : <style>{CSS}</style>}
      {props.children}
    </div>
  );
}

/** Props of `Field`: a label, an optional hint, and the input's own attributes. */
export type FieldProps = {
  appearance: Appearance | undefined;
  label: string;
  hint?: string;
  invalid?: boolean;
} & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input; the label is tied to it, and its hint is read with it. */
export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field(props, ref) {
  const { appearance, label, hint, invalid, id: given, ...input } = props;
  const generated = useId();
  const id = given ?? generated;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={classOf(appearance, 'field')}>
      <label className={classOf(appearance, 'label')} htmlFor={id}>
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        className={classOf(appearance, 'input')}
        aria-invalid={invalid || undefined}
        aria-describedby={hintId}
        {...input}
      />
      {hint && (
        <span id={hintId} className="roster-muted">
          {hint}
        </span>
      )}
    </div>
  );
});

export function Alert(props: { appearance: Appearance | undefined; message: string | null }): ReactNode {
  if (!props.message) return null;
  return (
    <div role="alert" className={classOf(props.appearance, 'alert')}>
      {props.message}
    </div>
  );
}

export function Notice(props: { appearance: Appearance | undefined; message: string | null }): ReactNode {
  return (
    <div role="status" aria-live="polite">
      {props.message ? <div className={classOf(props.appearance, 'notice')}>{props.message}</div> : null}
    </div>
  );
}

/** What to tell a person about a failed call: the server's long message, or that it was unreachable. */
export function messageOf(error: unknown): string {
  if (isRosterAPIError(error)) return error.errors[0]?.longMessage ?? error.message;
  if (error instanceof RosterNetworkError) return 'Could not reach the server. Check your connection and try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** The parameter a failed call complained about (`meta.paramName`), to mark that field invalid. */
export function paramOf(error: unknown): string | null {
  if (!isRosterAPIError(error)) return null;
  const name = error.errors[0]?.meta.paramName;
  return typeof name === 'string' ? name : null;
}

/**
 * Where to go next: a `redirect_url` from the page's query (only a path on this site, never
 * another origin), else the given fallback.
 */
export function redirectTarget(fallback: string, param = 'redirect_url'): string {
  if (typeof window === 'undefined') return fallback;
  const wanted = new URLSearchParams(window.location.search).get(param);
  return wanted && isLocalPath(wanted) ? wanted : fallback;
}

export function isLocalPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

export function queryParam(name: string): string | null {
  return typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get(name);
}
