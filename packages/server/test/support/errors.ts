import { ERROR_CODES, isErrorCode } from '@roster/protocol';
import { expect } from 'vitest';
import { json } from './harness.js';

const ENTRY_KEYS = ['code', 'long_message', 'message', 'meta'];

/**
 * Reads an error response and checks the one error shape:
 * `{ errors: [{ code, message, long_message, meta? }], clerk_trace_id }`, every code from
 * ERROR_CODES, and the response status equal to the table's status for every entry.
 */
export async function errorBody(res: Response) {
  expect(res.status, 'an error response').toBeGreaterThanOrEqual(400);
  expect(res.status, 'never a 5xx').toBeLessThan(500);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(res);
  expect(Object.keys(body).sort()).toEqual(['clerk_trace_id', 'errors']);
  expect(body.clerk_trace_id).toEqual(expect.any(String));
  expect(Array.isArray(body.errors) && body.errors.length > 0).toBe(true);
  for (const entry of body.errors) {
    expect(isErrorCode(entry.code), `unknown code ${entry.code}`).toBe(true);
    expect(Object.keys(entry).filter((k) => !ENTRY_KEYS.includes(k))).toEqual([]);
    expect(entry.message).toEqual(expect.any(String));
    expect(entry.long_message).toEqual(expect.any(String));
    if ('meta' in entry) expect(entry.meta).toEqual(expect.any(Object));
    expect(ERROR_CODES[entry.code as keyof typeof ERROR_CODES].status, `status of ${entry.code}`).toBe(res.status);
  }
  return body as { errors: { code: string; message: string; long_message: string; meta?: Record<string, unknown> }[] };
}

/** Checks an error response: its status, its first code and, when given, the parameter it names. */
export async function expectError(res: Response, status: number, code: string, paramName?: string) {
  const text = await res.clone().text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  const body = await errorBody(res);
  expect(body.errors.map((e) => e.code)).toContain(code);
  if (paramName !== undefined) {
    const entry = body.errors.find((e) => e.code === code)!;
    expect(entry.meta?.param_name).toBe(paramName);
  }
  return body;
}
