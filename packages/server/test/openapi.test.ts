// Imported first on purpose: the protocol's zod schemas then exist before @hono/zod-openapi
// extends zod, as happens in any program that loads the protocol first. The docs must still work.
import { errorBodyJSON } from '@roster/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestRoster, type TestRoster } from './support/harness.js';

let t: TestRoster;
let doc: Record<string, any>;
beforeAll(async () => {
  t = await startTestRoster();
  const res = await t.roster.app.request('http://roster.test/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = await json(res);
});
afterAll(async () => {
  await t?.close();
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

type Operation = { path: string; method: string; op: Record<string, any> };

function operations(): Operation[] {
  return Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );
}

/** Follows a local `$ref` (`#/components/...`); undefined when it does not resolve. */
function resolveRef(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: any = doc;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** Every node of the document with where it is, for checks that apply everywhere. */
function* walk(node: unknown, at: string): Generator<[string, Record<string, any>]> {
  if (!node || typeof node !== 'object') return;
  yield [at, node as Record<string, any>];
  for (const [key, child] of Object.entries(node)) yield* walk(child, `${at}/${key}`);
}

/**
 * The OpenAPI 3.1 rules a generator can get wrong, checked structurally (the spec's own JSON
 * Schema is not vendored here): shape of the root, operations, parameters, bodies and responses,
 * path templating, security, `$ref`s and schema types. Returns the violations found.
 */
function violations(): string[] {
  const found: string[] = [];
  const fail = (where: string, what: string) => found.push(`${where}: ${what}`);

  if (!/^3\.1\.\d+$/.test(doc.openapi ?? '')) fail('openapi', `not 3.1.x: ${doc.openapi}`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string')
    fail('info', 'title and version are required');
  if (!doc.paths || typeof doc.paths !== 'object') fail('paths', 'missing');

  const schemes = doc.components?.securitySchemes ?? {};
  for (const [name, scheme] of Object.entries<any>(schemes)) {
    if (!['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'].includes(scheme.type))
      fail(`securitySchemes.${name}`, `bad type ${scheme.type}`);
    if (scheme.type === 'http' && typeof scheme.scheme !== 'string') fail(`securitySchemes.${name}`, 'no scheme');
    if (scheme.type === 'apiKey' && (!scheme.name || !['query', 'header', 'cookie'].includes(scheme.in)))
      fail(`securitySchemes.${name}`, 'apiKey needs name and in');
  }

  const templates = new Map<string, string>();
  const operationIds = new Set<string>();
  for (const path of Object.keys(doc.paths)) {
    if (!path.startsWith('/')) fail(path, 'path must start with /');
    if (/:\w/.test(path)) fail(path, 'Express-style :param left in a path');
    // "Templated paths with the same hierarchy but different templated names MUST NOT exist."
    const shape = path.replace(/\{[^}]+\}/g, '{}');
    if (templates.has(shape)) fail(path, `same hierarchy as ${templates.get(shape)}`);
    templates.set(shape, path);
  }

  for (const { path, method, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    if (op.operationId) {
      if (operationIds.has(op.operationId)) fail(where, `duplicate operationId ${op.operationId}`);
      operationIds.add(op.operationId);
    }
    const params: any[] = [...(doc.paths[path].parameters ?? []), ...(op.parameters ?? [])].map((p) =>
      p.$ref ? resolveRef(p.$ref) : p,
    );
    const seen = new Set<string>();
    for (const p of params) {
      if (!p || typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in)) {
        fail(where, `bad parameter ${JSON.stringify(p)}`);
        continue;
      }
      if (seen.has(`${p.in}:${p.name}`)) fail(where, `parameter ${p.name} in ${p.in} twice`);
      seen.add(`${p.in}:${p.name}`);
      if (p.in === 'path' && p.required !== true) fail(where, `path parameter ${p.name} must be required`);
      if (!p.schema && !p.content) fail(where, `parameter ${p.name} has no schema`);
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const name of templated) {
      if (!seen.has(`path:${name}`)) fail(where, `path parameter {${name}} is not declared`);
    }
    for (const p of params) {
      if (p?.in === 'path' && !templated.includes(p.name)) fail(where, `path parameter ${p.name} is not in the path`);
    }
    if (op.requestBody) {
      const body = op.requestBody.$ref ? resolveRef(op.requestBody.$ref) : op.requestBody;
      if (!body || typeof body !== 'object' || !Object.keys((body as any).content ?? {}).length)
        fail(where, 'requestBody without content');
      if (method === 'get' || method === 'head') fail(where, 'a GET/HEAD with a request body');
    }
    if (!op.responses || Object.keys(op.responses).length === 0) fail(where, 'no responses');
    for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
      if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) fail(where, `bad response key ${status}`);
      const r = response.$ref ? resolveRef(response.$ref) : response;
      if (typeof (r as any)?.description !== 'string') fail(where, `response ${status} has no description`);
    }
    for (const requirement of op.security ?? doc.security ?? []) {
      for (const name of Object.keys(requirement)) {
        if (!schemes[name]) fail(where, `security names undefined scheme ${name}`);
      }
    }
  }

  for (const [at, node] of walk(doc, '#')) {
    if (typeof node.$ref === 'string' && resolveRef(node.$ref) === undefined) fail(at, `unresolved $ref ${node.$ref}`);
    if (/\/(schema|schemas\/[^/]+|properties\/[^/]+|items)$/.test(at) && 'type' in node) {
      const types = Array.isArray(node.type) ? node.type : [node.type];
      for (const type of types) if (!JSON_TYPES.has(type)) fail(at, `bad schema type ${type}`);
      // 3.0's `nullable` means nothing in 3.1 (it is `type: [..., 'null']` there).
      if ('nullable' in node) fail(at, '`nullable` is not OpenAPI 3.1');
    }
  }
  return found;
}

function operation(path: string, method: string): Record<string, any> {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`no ${method.toUpperCase()} ${path} in the document`);
  return op;
}

function bodySchema(path: string, method: string, type = 'application/json'): Record<string, any> {
  const schema = operation(path, method).requestBody?.content?.[type]?.schema;
  if (!schema) throw new Error(`no ${type} request body for ${method.toUpperCase()} ${path}`);
  return schema.$ref ? (resolveRef(schema.$ref) as Record<string, any>) : schema;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Roster API', version: expect.any(String) });
    expect(violations()).toEqual([]);
  });

  it('documents the Backend API invitations, users and organizations', () => {
    const invitations = '/v1/organizations/{organization_id}/invitations';
    expect(Object.keys(doc.paths[invitations] ?? {})).toEqual(expect.arrayContaining(['post', 'get']));
    for (const path of ['/v1/users', '/v1/organizations']) {
      expect(Object.keys(doc.paths[path] ?? {})).toEqual(expect.arrayContaining(['post', 'get']));
    }
    for (const path of [
      '/v1/users/{user_id}',
      '/v1/organizations/{organization_id}',
      '/v1/organizations/{organization_id}/memberships',
      '/v1/organizations/{organization_id}/invitations/bulk',
      '/v1/organizations/{organization_id}/invitations/{invitation_id}',
      '/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const create = operation(invitations, 'post');
    expect(create.security).toEqual([{ secretKey: [] }]);
    expect(create.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'organization_id', in: 'path', required: true })]),
    );
    const list = operation(invitations, 'get');
    expect(list.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'offset']),
    );
  });

  it('documents the Frontend API, tickets included', () => {
    for (const [path, method] of [
      ['/fapi/v1/tickets/accept', 'post'],
      ['/fapi/v1/tickets/preview', 'get'],
      ['/fapi/v1/tickets/sign_up', 'post'],
      ['/fapi/v1/tickets/sign_in', 'post'],
      ['/fapi/v1/client/sign_ins', 'post'],
      ['/fapi/v1/client/sign_ups', 'post'],
      ['/fapi/v1/client/sign_ups/verify', 'post'],
      ['/fapi/v1/me', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(operation('/fapi/v1/tickets/accept', 'post').security).toEqual([{ session: [] }]);
    expect(operation('/fapi/v1/tickets/sign_up', 'post').security).toBeUndefined();
  });

  it('documents every /v1 and /fapi route the app serves', () => {
    const served = new Set(
      t.roster.app.routes
        .filter((r) => r.method !== 'ALL' && /^\/(v1|fapi)\//.test(r.path) && !r.path.includes('*'))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`),
    );
    const documented = new Set(operations().map(({ path, method }) => `${method} ${path}`));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it('has request body schemas for the writes', () => {
    const invitation = bodySchema('/v1/organizations/{organization_id}/invitations', 'post');
    expect(invitation.type).toBe('object');
    expect(invitation.required).toEqual(expect.arrayContaining(['email_address', 'role']));
    expect(Object.keys(invitation.properties)).toEqual(
      expect.arrayContaining(['email_address', 'role', 'inviter_user_id', 'redirect_url', 'expires_in_days']),
    );
    expect(bodySchema('/v1/organizations/{organization_id}/invitations/bulk', 'post').type).toBe('array');
    expect(bodySchema('/v1/users', 'post').properties).toHaveProperty('email_address');
    expect(bodySchema('/v1/organizations', 'post').required).toContain('name');
    expect(bodySchema('/fapi/v1/tickets/accept', 'post').required).toEqual(['ticket']);
    expect(bodySchema('/fapi/v1/tickets/sign_up', 'post').required).toEqual(
      expect.arrayContaining(['ticket', 'password']),
    );
    // Without a password, a sign-in is started (Clerk's steps: prepare/attempt_first_factor).
    expect(bodySchema('/fapi/v1/client/sign_ins', 'post').required).toEqual(['identifier']);
    // Every POST/PATCH/PUT that declares a body gives it a schema (uploads: a multipart `file`).
    for (const { path, method, op } of operations()) {
      if (!op.requestBody) continue;
      const content = op.requestBody.content ?? {};
      const schema = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
      expect(schema, `${method} ${path}`).toBeDefined();
    }
    expect(bodySchema('/v1/organizations/{organization_id}/logo', 'put', 'multipart/form-data').required).toEqual([
      'file',
    ]);
  });

  it('describes Idempotency-Key on the creates (and POSTs with a caller), and the replay header', () => {
    const idempotencyKey = (op: Record<string, any>) =>
      (op.parameters ?? []).find((p: any) => p.in === 'header' && p.name === 'Idempotency-Key');
    for (const path of [
      '/v1/users',
      '/v1/organizations',
      '/v1/organizations/{organization_id}/memberships',
      '/v1/organizations/{organization_id}/invitations',
      '/v1/organizations/{organization_id}/invitations/bulk',
      '/fapi/v1/organizations',
      '/fapi/v1/organizations/{organization_id}/invitations',
      '/fapi/v1/organizations/{organization_id}/invitations/bulk',
    ]) {
      const op = operation(path, 'post');
      expect(idempotencyKey(op), path).toMatchObject({ required: false, schema: { type: 'string', maxLength: 255 } });
      expect(op.responses['200'].headers?.['Idempotent-Replayed'], path).toBeDefined();
    }
    // Not on reads, on calls without a caller, or where a replay would lose a cookie or a fresh token.
    expect(idempotencyKey(operation('/v1/organizations', 'get'))).toBeUndefined();
    expect(idempotencyKey(operation('/fapi/v1/client/sign_ins', 'post'))).toBeUndefined();
    expect(idempotencyKey(operation('/fapi/v1/client/sign_out', 'post'))).toBeUndefined();
    expect(idempotencyKey(operation('/fapi/v1/client/sessions/{session_id}/tokens', 'post'))).toBeUndefined();
  });

  it("has the 'Errors' component, used as every operation's error response, and the security schemes", () => {
    const errors = doc.components.schemas.Errors;
    expect(Object.keys(errors.properties).sort()).toEqual(Object.keys(errorBodyJSON.shape).sort());
    expect(errors).toMatchObject({ type: 'object' });
    expect(errors.properties).toHaveProperty('errors');
    expect(errors.properties).toHaveProperty('clerk_trace_id');
    const entry = errors.properties.errors.items;
    const entrySchema = entry.$ref ? (resolveRef(entry.$ref) as any) : entry;
    expect(Object.keys(entrySchema.properties)).toEqual(
      expect.arrayContaining(['code', 'message', 'long_message', 'meta']),
    );
    for (const { path, method, op } of operations()) {
      expect(op.responses.default?.content?.['application/json']?.schema, `${method} ${path}`).toEqual({
        $ref: '#/components/schemas/Errors',
      });
      expect(op.responses['200']?.content?.['application/json']?.schema, `${method} ${path}`).toBeDefined();
    }
    expect(doc.components.securitySchemes).toEqual({
      secretKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: '__roster_session' }),
    });
    for (const { path, op } of operations()) {
      if (path.startsWith('/v1/')) expect(op.security, path).toEqual([{ secretKey: [] }]);
    }
  });

  it('is the same document every time', async () => {
    const again = await json(await t.roster.app.request('http://roster.test/openapi.json'));
    expect(again).toEqual(doc);
  });
});

describe('GET /docs', () => {
  it('is an HTML page that loads Swagger UI from this server', async () => {
    const res = await t.roster.app.request('http://roster.test/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>');
    expect(html).toContain('href="/docs/assets/swagger-ui.css"');
    // After Swagger UI's stylesheet, Roster's contrast fixes (axe-core color-contrast; e2e/screens checks the page).
    expect(html.indexOf('href="/docs/assets/roster.css"')).toBeGreaterThan(html.indexOf('swagger-ui.css'));
    expect(html).toContain('<meta name="viewport"');
    // Nothing is fetched from a CDN.
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('serves its assets with the right types, and nothing else', async () => {
    const bundle = await t.roster.app.request('http://roster.test/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    const js = await bundle.text();
    expect(js.length).toBeGreaterThan(100_000);
    expect(js).toContain('SwaggerUIBundle');

    const css = await t.roster.app.request('http://roster.test/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);

    const init = await t.roster.app.request('http://roster.test/docs/assets/init.js');
    expect(init.status).toBe(200);
    expect(await init.text()).toContain("url: '/openapi.json'");
    // No deep links: Swagger UI nests them inside each operation's button (axe-core nested-interactive).
    expect(await (await t.roster.app.request('http://roster.test/docs/assets/init.js')).text()).toContain(
      'deepLinking: false',
    );
    const fixes = await t.roster.app.request('http://roster.test/docs/assets/roster.css');
    expect(fixes.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await fixes.text()).toContain('.version-stamp');

    for (const path of [
      '/docs/assets/package.json',
      '/docs/assets/..%2Fpackage.json',
      '/docs/assets/%2e%2e',
      '/docs/assets/constructor',
      '/docs/assets/__proto__',
    ]) {
      expect((await t.roster.app.request(`http://roster.test${path}`)).status, path).toBe(404);
    }
  });
});
