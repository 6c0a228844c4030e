import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLERK_OPERATIONS, clerkCoverage, serves } from '../scripts/clerk-coverage.js';
import { startTestRoster, type TestRoster } from './support/harness.js';

/**
 * docs/clerk-coverage.md is the committed output of scripts/clerk-coverage.ts over the server's
 * real routes: a route added or removed without regenerating it fails here. After adding one, run
 * `node --conditions=@roster/source --import tsx packages/server/scripts/clerk-coverage.ts > docs/clerk-coverage.md`.
 */
describe('the Clerk coverage table', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startTestRoster();
  });
  afterAll(() => t?.close());

  it('docs/clerk-coverage.md is what the script prints for the routes the server has', () => {
    const docs = readFileSync(new URL('../../../docs/clerk-coverage.md', import.meta.url), 'utf8');
    expect(docs).toBe(clerkCoverage(t.roster.app.routes));
  });

  it('a served operation carries no reason for being missing, and only a served one a note', () => {
    const all = Object.values(CLERK_OPERATIONS).flat();
    const stale = all.filter((op) => op.missing && serves(t.roster.app.routes, op)).map((op) => op.id);
    expect(stale, 'served, yet `missing` says why not: remove it').toEqual([]);
    const notes = all.filter((op) => op.note && !serves(t.roster.app.routes, op)).map((op) => op.id);
    expect(notes, 'not served, yet it has a `note`').toEqual([]);
  });

  it('every operation the table calls served answers at that path (not a 404 from the router)', async () => {
    const served = Object.values(CLERK_OPERATIONS)
      .flat()
      .filter((op) => serves(t.roster.app.routes, op) && op.method === 'GET');
    for (const op of served) {
      const res = await t.bapi('GET', `/v1${op.path.replace(/\{[^}]+\}/g, 'x_unknown')}`);
      const body = (await res.json()) as { errors?: { meta?: { path?: string } }[] };
      // An unknown id is the route's own answer; the router's not-found names the path it lacks.
      expect(body.errors?.[0]?.meta?.path, `${op.method} ${op.path}`).toBeUndefined();
    }
  });
});
