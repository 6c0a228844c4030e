import type { Context } from 'hono';
import { AppError } from '../../domain/errors.js';
import type { AppEnv } from '../env.js';

/** A posted form's fields (the last value of a repeated field; files are kept as they came). */
export type FormFields = Record<string, string | File>;

/**
 * Reads a hosted page's posted form (urlencoded or multipart). A body that does not parse as the
 * form its content type names (a broken multipart boundary, say) is the client's fault:
 * `malformed_request_body` (400), never a 500.
 */
export async function readForm(c: Context<AppEnv>): Promise<FormFields> {
  try {
    return await c.req.parseBody();
  } catch (cause) {
    throw new AppError('malformed_request_body', { cause });
  }
}
