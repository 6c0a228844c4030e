'use client';
import { isRosterAPIError, RosterNetworkError } from '@roster/client';
import { forwardRef, type InputHTMLAttributes, type ReactNode, useCallback, useId, useState } from 'react';
import { useLocalization } from '../localization/context.js';
import type { Localizer } from '../localization/localizer.js';
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

/** A card's heading: the title, then a line saying what it is for. */
export function Header(props: {
  appearance: Appearance | undefined;
  title: ReactNode;
  children: ReactNode;
}): ReactNode {
  return (
    <div className={classOf(props.appearance, 'header')}>
      <h2>{props.title}</h2>
      <p>{props.children}</p>
    </div>
  );
}

/** A muted line under a form: where else to go, or what else to do. */
export function Footnote(props: { children: ReactNode }): ReactNode {
  return (
    <p className="roster-muted" style={{ marginTop: 16 }}>
      {props.children}
    </p>
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

/** The email address input of the sign-in and sign-up forms, named `email`; `onChange` gets the text. */
export const EmailField = forwardRef<
  HTMLInputElement,
  {
    appearance: Appearance | undefined;
    value: string;
    onChange: (value: string) => void;
    invalid: boolean;
  }
>(function EmailField(props, ref) {
  const { t } = useLocalization();
  return (
    <Field
      ref={ref}
      appearance={props.appearance}
      label={t('formFieldLabel__emailAddress')}
      type="email"
      name="email"
      autoComplete="email"
      required
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      invalid={props.invalid}
    />
  );
});

/** The six-digit code from an email, named `code`: digits only, offered by the browser's one-time-code fill. */
export const CodeField = forwardRef<
  HTMLInputElement,
  {
    appearance: Appearance | undefined;
    value: string;
    onChange: (value: string) => void;
    invalid: boolean;
    autoFocus?: boolean;
  }
>(function CodeField(props, ref) {
  const { t } = useLocalization();
  return (
    <Field
      ref={ref}
      autoFocus={props.autoFocus}
      appearance={props.appearance}
      label={t('formFieldLabel__code')}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      value={props.value}
      onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ''))}
      invalid={props.invalid}
    />
  );
});

/** Props of `PasswordField`: the text and what to do with a new one, plus a form name or focus if wanted. */
export interface PasswordFieldProps {
  appearance: Appearance | undefined;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  name?: string;
  autoFocus?: boolean;
}

/** The password input of a sign-in (`current-password`); `onChange` gets the text. */
export const PasswordField = forwardRef<HTMLInputElement, PasswordFieldProps>(function PasswordField(props, ref) {
  const { t } = useLocalization();
  return (
    <Field
      ref={ref}
      appearance={props.appearance}
      label={t('formFieldLabel__password')}
      type="password"
      name={props.name}
      autoComplete="current-password"
      required
      autoFocus={props.autoFocus}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      invalid={props.invalid}
    />
  );
});

/** What a new account is asked for, as typed. */
export interface NewAccount {
  firstName: string;
  lastName: string;
  password: string;
}

/** The state of `NewAccountFields`: the values as typed, and `set` to change one. */
export type NewAccountState = NewAccount & { set: (key: keyof NewAccount, value: string) => void };

export function useNewAccount(): NewAccountState {
  const [values, setValues] = useState<NewAccount>({ firstName: '', lastName: '', password: '' });
  const set = useCallback((key: keyof NewAccount, value: string) => setValues((v) => ({ ...v, [key]: value })), []);
  return { ...values, set };
}

/** The names given, trimmed, leaving out the empty ones (as the API's optional fields). */
export function namesOf(account: NewAccount): { firstName?: string; lastName?: string } {
  const firstName = account.firstName.trim();
  const lastName = account.lastName.trim();
  return { ...(firstName && { firstName }), ...(lastName && { lastName }) };
}

const NAME_FIELDS = [
  { key: 'firstName', label: 'formFieldLabel__firstName', name: 'first_name', autoComplete: 'given-name' },
  { key: 'lastName', label: 'formFieldLabel__lastName', name: 'last_name', autoComplete: 'family-name' },
] as const;

/** First and last name side by side, then a new password: what every sign-up form asks for. */
export function NewAccountFields(props: {
  appearance: Appearance | undefined;
  account: NewAccountState;
  passwordInvalid: boolean;
  /** Give the inputs form names (`first_name`, `last_name`, `password`). */
  named?: boolean;
}): ReactNode {
  const { appearance, account, named } = props;
  const { t } = useLocalization();
  return (
    <>
      <div className="roster-row">
        {NAME_FIELDS.map((f) => (
          <Field
            key={f.key}
            appearance={appearance}
            label={t(f.label)}
            name={named ? f.name : undefined}
            autoComplete={f.autoComplete}
            value={account[f.key]}
            onChange={(e) => account.set(f.key, e.target.value)}
          />
        ))}
      </div>
      <NewPasswordField
        appearance={appearance}
        name={named ? 'password' : undefined}
        value={account.password}
        onChange={(value) => account.set('password', value)}
        invalid={props.passwordInvalid}
      />
    </>
  );
}

/** Props of `NewPasswordField`; `revealable` adds a show/hide button under the input. */
export interface NewPasswordFieldProps {
  appearance: Appearance | undefined;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  label?: string;
  name?: string;
  revealable?: boolean;
}

/** A password being chosen (`new-password`, at least 8 characters, said in its hint). */
export const NewPasswordField = forwardRef<HTMLInputElement, NewPasswordFieldProps>(
  function NewPasswordField(props, ref) {
    const [shown, setShown] = useState(false);
    const id = useId();
    const { t } = useLocalization();
    return (
      <>
        <Field
          ref={ref}
          id={id}
          appearance={props.appearance}
          label={props.label ?? t('formFieldLabel__password')}
          type={shown ? 'text' : 'password'}
          name={props.name}
          autoComplete="new-password"
          minLength={8}
          required
          hint={t('formFieldHintText__password')}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          invalid={props.invalid}
        />
        {props.revealable && (
          <button
            type="button"
            className="roster-link"
            aria-controls={id}
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
          >
            {shown ? t('formFieldAction__hidePassword') : t('formFieldAction__showPassword')}
          </button>
        )}
      </>
    );
  },
);

/** A form's submit button: disabled while `busy` (or when `disabled`), and saying `busyLabel` meanwhile. */
export function SubmitButton(props: {
  appearance: Appearance | undefined;
  busy: boolean;
  busyLabel: string;
  disabled?: boolean;
  children: ReactNode;
}): ReactNode {
  return (
    <button type="submit" className={classOf(props.appearance, 'button')} disabled={props.busy || props.disabled}>
      {props.busy ? props.busyLabel : props.children}
    </button>
  );
}

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

/**
 * What to tell a person about a failed call: the localization's text for its code when it has
 * one (Clerk's `unstable__errors`), else the server's long message; or that it was unreachable.
 */
export function messageOf(error: unknown, l: Localizer): string {
  if (isRosterAPIError(error)) {
    const first = error.errors[0];
    const own = first && l.resource.unstable__errors[first.code];
    const filled = own?.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => String(first?.meta[name] ?? whole));
    // A text whose placeholder the error did not fill would show "{{…}}": the server's message then.
    if (filled && !filled.includes('{{')) return filled;
    return first?.longMessage ?? error.message;
  }
  if (error instanceof RosterNetworkError) return l.t('unstable__errors__network');
  return error instanceof Error ? error.message : l.t('unstable__errors__unknown');
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
