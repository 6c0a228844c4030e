import { ERROR_CODES } from '@roster/protocol';
import type { Context } from 'hono';
import { ZodError, type z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { AppEnv } from '../env.js';
import { zodEntries } from '../errors.js';

/**
 * Hosted-page forms parsed with protocol's schemas (the ones the Frontend API uses), so a page
 * and its API twin accept the same input. Empty fields count as absent; a body that is not a form
 * is `malformed_request_body` (400), never a 500.
 */
export async function formValues(c: Context<AppEnv>): Promise<Record<string, string>> {
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError('malformed_request_body');
  }
  return Object.fromEntries(
    Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
}

/** Reads the form and parses it with `schema` (a `ZodError` when it does not fit). */
export async function readForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  return schema.parse(await formValues(c));
}

/** What a page shows for a refused form: the table's long message and status; anything else is rethrown. */
export function pageError(error: unknown): { message: string; status: number } {
  if (error instanceof AppError)
    return { message: ERROR_CODES[error.code].long, status: ERROR_CODES[error.code].status };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    if (issue?.code === 'too_small' && /password/.test(String(issue.path.at(-1)))) {
      return { message: ERROR_CODES.form_password_length_too_short.long, status: 422 };
    }
    return { message: zodEntries(error)[0]?.long_message ?? ERROR_CODES.form_param_format_invalid.long, status: 422 };
  }
  throw error;
}
