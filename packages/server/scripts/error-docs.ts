import { pathToFileURL } from 'node:url';
import { ERROR_CODES } from '@roster/protocol';

/**
 * Prints docs/errors.md from the one error table, `ERROR_CODES`:
 *
 *   npx tsx packages/server/scripts/error-docs.ts > docs/errors.md
 *
 * test/error-table.test.ts fails when the committed file and this output differ.
 */
export function errorDocs(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const cells = [
    ['code', 'status', 'meaning'],
    ...Object.entries(ERROR_CODES).map(([code, { status, long }]) => [`\`${code}\``, String(status), cell(long)]),
  ];
  // Columns padded to their widest cell, as the Markdown formatter (Biome) lays tables out.
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((text, i) => text.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)];
  return [
    '# Error codes',
    '',
    '<!-- Generated from ERROR_CODES (packages/protocol/src/errors.ts) by',
    '     `npx tsx packages/server/scripts/error-docs.ts > docs/errors.md`. Do not edit by hand. -->',
    '',
    'Every non-2xx answer of the Backend API (`/v1`) and the Frontend API (`/fapi/v1`) has the same body:',
    '',
    '```json',
    '{ "errors": [{ "code": "invitation_expired", "message": "…", "long_message": "…", "meta": {} }], "clerk_trace_id": "…" }',
    '```',
    '',
    'The HTTP status is the status of the code below. Validation failures carry one entry per',
    'parameter, naming it in `meta.param_name`. `clerk_trace_id` is the `trace_id` of the server’s log',
    'lines for the request.',
    '',
    ...table,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(errorDocs());
