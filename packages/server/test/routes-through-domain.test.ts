import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Routes are thin (decision 046): nothing under src/http calls the store itself (`deps.store.*`,
 * `webhooks.store.*`); what a route needs from storage is a domain function in src/domain/<area>/,
 * where its not-found error and any policy live once. A source scan, so the rule holds for routes
 * written later.
 */

const SERVER = join(import.meta.dirname, '..');
const HTTP = join(SERVER, 'src', 'http');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('src/http', () => {
  it('has route files to check', () => {
    expect(sourceFiles(HTTP).length).toBeGreaterThan(30);
  });

  it('never calls the store directly (`.store.`): routes go through the domain', () => {
    const found = sourceFiles(HTTP).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.includes('.store.') ? [`${relative(SERVER, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
