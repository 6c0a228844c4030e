'use client';
import { type FormEvent, useCallback, useState } from 'react';
import { useLocalization } from '../localization/context.js';
import { messageOf, paramOf } from './ui.js';

/** A failed call as a form shows it: the message, and the parameter it complained about (if any). */
export interface Failure {
  message: string;
  param: string | null;
}

/** The state of a form that calls the server; see `useFormSubmit`. */
export interface FormSubmit {
  /** On from the start of a submission until it fails or `done()`: success usually navigates away. */
  pending: boolean;
  /** The last failure, until the next submission or `clear()`. */
  failure: Failure | null;
  /** A submit handler that runs `action`; when that throws, `onFailure` runs and the failure is kept. */
  submit: (action: () => Promise<void>, onFailure?: () => void) => (event: FormEvent) => Promise<void>;
  /** Keep `error` as the failure, and end the submission. */
  fail: (error: unknown) => void;
  /** Forget the failure. */
  clear: () => void;
  /** End a submission that succeeded without leaving the page. */
  done: () => void;
}

/** `pending` and `failure` for a form's submissions, and the handler that keeps them. */
export function useFormSubmit(): FormSubmit {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const l = useLocalization();
  const fail = useCallback(
    (error: unknown) => {
      setFailure({ message: messageOf(error, l), param: paramOf(error) });
      setPending(false);
    },
    [l],
  );
  const clear = useCallback(() => setFailure(null), []);
  const done = useCallback(() => setPending(false), []);
  const submit = (action: () => Promise<void>, onFailure?: () => void) => async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    try {
      await action();
    } catch (e) {
      onFailure?.();
      fail(e);
    }
  };
  return { pending, failure, submit, fail, clear, done };
}
