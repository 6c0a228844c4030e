import { readFileSync } from 'node:fs';
import { ERROR_CODES, isErrorCode } from '@roster/protocol';
import { describe, expect, it } from 'vitest';
import { errorDocs } from '../scripts/error-docs.js';

/**
 * The one error table: every code has a status, a message, a long message, and a line in
 * docs/errors.md, which is the committed output of scripts/error-docs.ts. After adding a code,
 * run `npx tsx packages/server/scripts/error-docs.ts > docs/errors.md`.
 */

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const codes = Object.entries(ERROR_CODES);

describe('ERROR_CODES', () => {
  it.each(codes)('%s has a 4xx/5xx status, a message and a long message', (code, entry) => {
    expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    expect(Number.isInteger(entry.status)).toBe(true);
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThanOrEqual(599);
    expect(entry.message.trim()).not.toBe('');
    expect(entry.long.trim()).not.toBe('');
    expect(entry.long).toMatch(/[.!?]$/);
    expect(Object.keys(entry).sort()).toEqual(['long', 'message', 'status']);
  });

  it.each(codes)('%s has its line in docs/errors.md, with its status', (code, { status }) => {
    const line = docs.split('\n').find((l) => new RegExp(`^\\| \`${code}\` +\\|`).test(l));
    expect(line, `no line for ${code}; regenerate docs/errors.md`).toBeDefined();
    expect(line!.split('|').map((cell) => cell.trim())[2]).toBe(String(status));
  });

  it('docs/errors.md is exactly what scripts/error-docs.ts prints (no stale or extra codes)', () => {
    expect(docs).toBe(errorDocs());
    const documented = [...docs.matchAll(/^\| `([a-z0-9_]+)` +\|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(ERROR_CODES));
  });

  it('isErrorCode knows the table’s own codes and nothing inherited', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(isErrorCode(code)).toBe(true);
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'nope', '']) {
      expect(isErrorCode(code)).toBe(false);
    }
  });
});
