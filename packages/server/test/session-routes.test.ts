import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './support/flows.js';
import { json, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * `defineRoute` guards `security: 'session'` itself (decision 046): signed out, every such route
 * answers `session_invalid` before it reads its parameters or body, so a junk body or an id that
 * names nothing makes no difference. Walks the OpenAPI document, so a new session route is covered
 * the day it is declared.
 */

let t: TestRoster;
let doc: Record<string, any>;
beforeAll(async () => {
  t = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' } });
  doc = await json(await t.roster.app.request('http://roster.test/openapi.json'));
});
afterAll(async () => {
  await t?.close();
});

function operationsWith(security: unknown): { path: string; method: string }[] {
  return Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Record<string, any>>(item)
      .filter(([, op]) => JSON.stringify(op.security) === JSON.stringify(security))
      .map(([method]) => ({ path: path.replace(/\{\w+\}/g, 'not%20an%20id'), method: method.toUpperCase() })),
  );
}

describe('session routes', () => {
  it('every one answers session_invalid when signed out, before reading a junk body or a bad id', async () => {
    const routes = operationsWith([{ session: [] }]);
    expect(routes.length).toBeGreaterThan(30);
    for (const { path, method } of routes) {
      const withBody = method !== 'GET' && method !== 'DELETE';
      const res = await t.roster.app.request(`http://roster.test${path}`, {
        method,
        ...(withBody && { body: '{not json', headers: { 'content-type': 'text/plain' } }),
      });
      expect(await errorOf(res), `${method} ${path}`).toMatchObject({ status: 401, code: 'session_invalid' });
    }
  });

  it('the two that work signed out too say so in the document, and answer', async () => {
    expect(operationsWith([{ session: [] }, {}])).toEqual([
      { path: '/fapi/v1/client/sign_out', method: 'POST' },
      { path: '/fapi/v1/client', method: 'GET' },
    ]);
    const client = await t.roster.app.request('http://roster.test/fapi/v1/client');
    expect(await json(client)).toEqual({ object: 'client', me: null });
    const signOut = await t.roster.app.request('http://roster.test/fapi/v1/client/sign_out', { method: 'POST' });
    expect(await json(signOut)).toEqual({ signed_out: false });
  });
});
