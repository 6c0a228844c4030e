import { ERROR_CODES, type ErrorBody, type ErrorCode, type ErrorEntry } from '@roster/protocol';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError, type z } from 'zod';
import { AppError } from '../domain/errors.js';
import { isStorageFull } from '../storage/database.js';
import type { AppEnv } from './env.js';

/** One entry of an error body, from the table. */
export function errorEntry(code: ErrorCode, meta?: Record<string, unknown>): ErrorEntry {
  const { message, long } = ERROR_CODES[code];
  return { code, message, long_message: long, ...(meta && { meta }) };
}

/** Zod issues become one entry each (an unknown-keys issue, one per key), naming the parameter in `meta.param_name`. */
export function zodEntries(error: ZodError | z.core.$ZodError): ErrorEntry[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // One entry per unknown parameter, named like Clerk does (`meta.param_name`).
      const at = issue.path.map(String).join('.');
      return issue.keys.map((key) => {
        const paramName = at ? `${at}.${key}` : key;
        return {
          ...errorEntry('form_param_unknown', { param_name: paramName }),
          long_message: `${paramName} is unknown.`,
        };
      });
    }
    const paramName = issue.path.map(String).join('.') || undefined;
    const custom = issue.code === 'custom' ? (issue.params as { roster?: ErrorCode } | undefined)?.roster : undefined;
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const code: ErrorCode = custom ?? (missing ? 'form_param_missing' : 'form_param_format_invalid');
    const entry = errorEntry(code, { ...(paramName && { param_name: paramName }) });
    return { ...entry, long_message: `${paramName ?? 'The request'}: ${issue.message}` };
  });
}

/** Turns anything thrown into a status and a Clerk-shaped error body; unknown errors are logged, never leaked. */
export function toErrorResponse(c: Context<AppEnv>, error: unknown): Response {
  let status: number;
  let errors: ErrorEntry[];
  let retryAfter: number | undefined;
  if (error instanceof AppError) {
    status = ERROR_CODES[error.code].status;
    errors = [error, ...error.also].map((e) => errorEntry(e.code, e.meta));
    retryAfter = error.retryAfterSeconds;
  } else if (error instanceof ZodError) {
    status = 422;
    errors = zodEntries(error);
  } else if (error instanceof HTTPException && error.status === 413) {
    status = 413;
    errors = [errorEntry('request_body_too_large')];
  } else if (isUnstorableText(error)) {
    // A string the database cannot hold (PostgreSQL refuses NUL bytes): bad input, not a bug.
    status = 422;
    errors = [errorEntry('form_param_format_invalid', { reason: 'contains characters that cannot be stored' })];
  } else if (isStorageFull(error)) {
    // SQLITE_FULL or PostgreSQL's 53100: the write did not happen; logged with the real cause.
    status = 503;
    errors = [errorEntry('storage_full')];
    retryAfter = 30;
    c.var.log?.error({ err: error }, 'storage full: the database refused a write for lack of space');
  } else if (isDatabaseDown(error)) {
    status = 503;
    errors = [errorEntry('database_unavailable')];
    retryAfter = 2;
    c.var.log?.warn({ err: error }, 'database unavailable');
  } else {
    status = 500;
    errors = [errorEntry('internal_error')];
    c.var.log?.error({ err: error }, 'unhandled error');
  }
  const body: ErrorBody = { errors, clerk_trace_id: c.var.traceId };
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(body, status as 400);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/** True for PostgreSQL's refusal of text it cannot store (NUL bytes, invalid encoding). */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '22021' || code === '22P05';
}

/** True for errors that mean the database cannot be reached right now (a 503, not a bug). */
export function isDatabaseDown(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  // The last two: the SQLite handle (Kysely's driver, better-sqlite3) is closed, as during shutdown.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|driver has already been destroyed|database connection is not open/i.test(
    e.message ?? '',
  );
}
