import { ERROR_CODES } from '@roster/protocol';
import type { Context } from 'hono';
import { ZodError, type z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { type PageText, pageText } from '../../i18n/page-text.js';
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

const ENGLISH = pageText(undefined, 'en');

/**
 * What a page shows for a refused form: the code's sentence in the reader's language (English is
 * the table's long message) and the table's status; a zod failure names its field by the page's
 * label. English by default (the console's forms). Anything else is rethrown.
 */
export function pageError(error: unknown, text: PageText = ENGLISH): { message: string; status: number } {
  if (error instanceof AppError)
    return { message: text.error(error.code, error.meta), status: ERROR_CODES[error.code].status };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    if (issue?.code === 'too_small' && /password/.test(String(issue.path.at(-1)))) {
      return { message: text.error('form_password_length_too_short'), status: 422 };
    }
    const entry = zodEntries(error)[0];
    return { message: text.error(entry?.code ?? 'form_param_format_invalid', entry?.meta), status: 422 };
  }
  throw error;
}
