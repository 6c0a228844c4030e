import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorBody, expectError } from './support/errors.js';
import {
  type Browser,
  json,
  PUBLIC_URL,
  SECRET_KEY,
  seedOrganization,
  startTestRoster,
  type TestRoster,
} from './support/harness.js';
import { BAD_EMAILS, BAD_ROLES, JUNK_IDS, JUNK_TOKENS, type Kind, WRONG } from './support/junk.js';

/**
 * Bad input never yields a 5xx and never a half-written record: every answer below is a 4xx
 * with the one error shape and a code from ERROR_CODES, and after every test the counts of
 * users, organizations, invitations, memberships, queued mail and sign-up attempts are what
 * they were before it. Rate limits are off so the junk is judged on its merits, not throttled.
 */

let t: TestRoster;
let admin: Browser;
let orgId: string;
let invitationId: string;
let ticket: string;
let adminEmail: string;
let baseline: Awaited<ReturnType<typeof counts>>;

async function counts() {
  const db = t.roster.database.db;
  const n = async (table: 'users' | 'organizations' | 'invitations' | 'memberships' | 'outbox' | 'sign_up_attempts') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const listed = await json(await t.bapi('GET', `/v1/organizations/${orgId}/invitations?limit=1`));
  return {
    invitationsListed: listed.total_count as number,
    users: await n('users'),
    organizations: await n('organizations'),
    invitations: await n('invitations'),
    memberships: await n('memberships'),
    outbox: await n('outbox'),
    signUps: await n('sign_up_attempts'),
  };
}

beforeAll(async () => {
  t = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false' } });
  const seeded = await seedOrganization(t, { name: 'Junk Inc' });
  admin = seeded.browser;
  orgId = seeded.org.id;
  adminEmail = seeded.email;
  const created = await json(
    await t.bapi('POST', `/v1/organizations/${orgId}/invitations`, {
      email_address: 'pending@example.test',
      role: 'org:member',
      notify: false,
    }),
  );
  invitationId = created.id;
  ticket = new URL(created.url).searchParams.get('ticket')!;
});
beforeEach(async () => {
  baseline = await counts();
});
afterEach(async () => {
  expect(await counts()).toEqual(baseline);
  expect(await invitationStatus()).toBe('pending');
});
afterAll(async () => {
  // Nothing the junk did reached the unhandled-error path.
  expect(t.logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  await t.close();
});

async function invitationStatus() {
  return (await json(await t.bapi('GET', `/v1/organizations/${orgId}/invitations/${invitationId}`))).status;
}

/** Sends a raw request to the app: `auth` picks the secret key, the admin's cookie, or nothing. */
async function send(
  method: string,
  path: string,
  init: {
    body?: BodyInit;
    type?: string | null;
    auth?: 'key' | 'session' | 'none';
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { origin: PUBLIC_URL, ...init.headers };
  const auth = init.auth ?? (path.startsWith('/v1/') ? 'key' : 'session');
  if (auth === 'key') headers.authorization = `Bearer ${SECRET_KEY}`;
  if (auth === 'session') headers.cookie = `__roster_session=${admin.cookie}`;
  if (init.type !== null) headers['content-type'] = init.type ?? 'application/json';
  return t.roster.app.request(`${PUBLIC_URL}${path}`, {
    method,
    headers,
    ...(init.body !== undefined && { body: init.body, duplex: 'half' }),
  } as RequestInit);
}
const post = (path: string, body: unknown, auth?: 'key' | 'session' | 'none') =>
  send('POST', path, { body: JSON.stringify(body), ...(auth && { auth }) });
const invitations = () => `/v1/organizations/${orgId}/invitations`;
/** A valid invitation, for the requests that get one field wrong. */
const ok = { email_address: 'ok@example.test', role: 'org:member' };
const PASSWORD = 'a long enough password';
/** The path of the admin's own membership (`prefix` '' for the Backend API, '/fapi' for the Frontend API). */
async function membership(prefix: string) {
  const page = await json(await t.bapi('GET', `/v1/organizations/${orgId}/memberships`));
  return `${prefix}/v1/organizations/${orgId}/memberships/${page.data[0].public_user_data.user_id}`;
}

/** The JSON bodies under test: where they go, a valid body, its required fields, and each field's kind. */
const BODIES = {
  'BAPI create invitation': {
    path: () => `/v1/organizations/${orgId}/invitations`,
    auth: 'key',
    valid: { email_address: 'typed@example.test', role: 'org:member' },
    required: ['email_address', 'role'],
    fields: {
      email_address: 'string',
      role: 'string',
      inviter_user_id: 'string',
      public_metadata: 'metadata',
      private_metadata: 'metadata',
      redirect_url: 'string',
      expires_in_days: 'number',
      notify: 'boolean',
    },
  },
  'FAPI create invitation': {
    path: () => `/fapi/v1/organizations/${orgId}/invitations`,
    auth: 'session',
    valid: { email_address: 'typed@example.test', role: 'org:member' },
    required: ['email_address', 'role'],
    fields: { email_address: 'string', role: 'string', notify: 'boolean' },
  },
  'BAPI create organization': {
    path: () => '/v1/organizations',
    auth: 'key',
    valid: { name: 'Typed' },
    required: ['name'],
    fields: {
      name: 'string',
      slug: 'string',
      created_by: 'string',
      max_allowed_memberships: 'number',
      public_metadata: 'metadata',
      private_metadata: 'metadata',
    },
  },
  'BAPI create user': {
    path: () => '/v1/users',
    auth: 'key',
    valid: { email_address: ['typed@example.test'] },
    required: ['email_address'],
    fields: {
      email_address: 'string[]',
      password: 'string',
      first_name: 'string',
      last_name: 'string',
      skip_password_checks: 'boolean',
      skip_password_requirement: 'boolean',
      public_metadata: 'metadata',
      private_metadata: 'metadata',
    },
  },
  'FAPI sign up': {
    path: () => '/fapi/v1/client/sign_ups',
    auth: 'none',
    valid: { email_address: 'typed@example.test', password: 'a long enough password' },
    required: ['email_address', 'password'],
    fields: { email_address: 'string', password: 'string', first_name: 'string', last_name: 'string' },
  },
} as const satisfies Record<
  string,
  {
    path: () => string;
    auth: 'key' | 'session' | 'none';
    valid: object;
    required: readonly string[];
    fields: Record<string, Kind>;
  }
>;
const ENDPOINTS = Object.entries(BODIES);

describe('JSON bodies of the wrong shape', () => {
  const wrongTypes = ENDPOINTS.flatMap(([endpoint, spec]) =>
    Object.entries(spec.fields).flatMap(([field, kind]) =>
      WRONG[kind as Kind].map((value) => ({ endpoint, field, value, shown: JSON.stringify(value) })),
    ),
  );

  it.each(wrongTypes)('$endpoint: $field = $shown → 422 naming $field', async ({ endpoint, field, value }) => {
    const spec = BODIES[endpoint as keyof typeof BODIES];
    const res = await post(spec.path(), { ...spec.valid, [field]: value }, spec.auth);
    const body = await expectError(res, 422, 'form_param_format_invalid');
    expect(body.errors.map((e) => String(e.meta?.param_name).split('.')[0])).toContain(field);
  });

  const missing = ENDPOINTS.flatMap(([endpoint, spec]) => spec.required.map((field) => ({ endpoint, field })));
  it.each(missing)('$endpoint without $field → 422 form_param_missing naming it', async ({ endpoint, field }) => {
    const spec = BODIES[endpoint as keyof typeof BODIES];
    const { [field as keyof typeof spec.valid]: _gone, ...rest } = spec.valid;
    await expectError(await post(spec.path(), rest, spec.auth), 422, 'form_param_missing', field);
  });

  it.each(ENDPOINTS)('%s with an empty body names every required field', async (_endpoint, spec) => {
    const body = await expectError(await send('POST', spec.path(), { auth: spec.auth }), 422, 'form_param_missing');
    expect(body.errors.map((e) => e.meta?.param_name).sort()).toEqual([...spec.required].sort());
  });

  it.each(
    ENDPOINTS.flatMap(([endpoint, spec]) =>
      ['[]', '"text"', '42', 'null', 'true'].map((raw) => ({ endpoint, spec, raw })),
    ),
  )('$endpoint with the JSON body $raw → 422', async ({ spec, raw }) => {
    await expectError(
      await send('POST', spec.path(), { body: raw, auth: spec.auth }),
      422,
      'form_param_format_invalid',
    );
  });

  const malformed = [
    '{',
    '{"email_address":',
    "{'role':'admin'}",
    '{"a":1}}',
    'nul',
    '\u0000',
    '{"a":1,}',
    '\ufeff{"a"',
  ];
  it.each(
    ENDPOINTS.flatMap(([endpoint, spec]) => malformed.map((raw) => ({ endpoint, spec, raw: JSON.stringify(raw) }))),
  )('$endpoint with malformed JSON $raw → 400 malformed_request_body', async ({ spec, raw }) => {
    const res = await send('POST', spec.path(), { body: JSON.parse(raw), auth: spec.auth });
    await expectError(res, 400, 'malformed_request_body');
  });

  const types = [
    'text/plain',
    'text/plain; charset=application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/jsonp',
    null,
  ];
  it.each(ENDPOINTS.flatMap(([endpoint, spec]) => types.map((type) => ({ endpoint, spec, type }))))(
    '$endpoint sent as $type → 415 unsupported_content_type',
    async ({ spec, type }) => {
      const res = await send('POST', spec.path(), { body: JSON.stringify(spec.valid), type, auth: spec.auth });
      await expectError(res, 415, 'unsupported_content_type');
    },
  );

  it.each(['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json'])(
    'JSON content types with parameters or a +json suffix are read as JSON (%s)',
    async (type) => {
      const res = await send('POST', '/v1/users', { body: '{"email_address":"not-an-array"}', type });
      await expectError(res, 422, 'form_param_format_invalid', 'email_address');
    },
  );
});

describe('bodies over 512 KiB', () => {
  const huge = JSON.stringify({ name: 'Big', public_metadata: { blob: 'x'.repeat(600 * 1024) } });
  const stream = (text: string) =>
    new ReadableStream({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });

  it.each(ENDPOINTS)('%s: a 600 KiB body with Content-Length → 413', async (_endpoint, spec) => {
    const res = await send('POST', spec.path(), {
      body: huge,
      auth: spec.auth,
      headers: { 'content-length': String(Buffer.byteLength(huge)) },
    });
    await expectError(res, 413, 'request_body_too_large');
  });

  it.each(ENDPOINTS)('%s: a 600 KiB body streamed without Content-Length → 413', async (_endpoint, spec) => {
    await expectError(
      await send('POST', spec.path(), { body: stream(huge), auth: spec.auth }),
      413,
      'request_body_too_large',
    );
  });

  it('the accept page refuses a 600 KiB form too', async () => {
    const form = `ticket=${'x'.repeat(600 * 1024)}&action=sign_up`;
    const res = await send('POST', '/accept-invitation', { body: form, type: 'application/x-www-form-urlencoded' });
    await expectError(res, 413, 'request_body_too_large');
  });

  // Raw JSON text: the nested ones are deeper than JSON.stringify (or any recursive walk) survives.
  it.each([
    ['metadata over 8 KiB', `{"blob":"${'x'.repeat(8 * 1024)}"}`],
    ['metadata nested 5,000 objects deep', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
    ['metadata nested 100,000 arrays deep', `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
  ])('%s, under the body limit → 422, not a 500', async (_what, metadata) => {
    for (const [path, fields] of [
      ['/v1/organizations', `"name":"Meta","public_metadata":${metadata}`],
      ['/v1/users', `"email_address":["meta@example.test"],"private_metadata":${metadata}`],
      [
        `/v1/organizations/${orgId}/invitations`,
        `"email_address":"meta@example.test","role":"admin","public_metadata":${metadata}`,
      ],
    ] as const) {
      const res = await send('POST', path, { body: `{${fields}}` });
      await expectError(
        res,
        422,
        'form_param_value_invalid',
        path === '/v1/users' ? 'private_metadata' : 'public_metadata',
      );
    }
  });
});

/** Every place an email address goes in: the parameter that names it, and a request carrying it. */
const EMAIL_PARAMS: Record<string, [param: string, call: (email: string) => Promise<Response>]> = {
  'BAPI create invitation': ['email_address', (email) => post(invitations(), { email_address: email, role: 'admin' })],
  'BAPI bulk': ['1.email_address', (email) => post(`${invitations()}/bulk`, [ok, { ...ok, email_address: email }])],
  'FAPI create invitation': [
    'email_address',
    (email) => post(`/fapi${invitations()}`, { ...ok, email_address: email }),
  ],
  'FAPI bulk': [
    'email_address.1',
    (email) => post(`/fapi${invitations()}/bulk`, { ...ok, email_address: [ok.email_address, email] }),
  ],
  'BAPI create user': ['email_address.1', (email) => post('/v1/users', { email_address: [ok.email_address, email] })],
  'FAPI sign up': [
    'email_address',
    (email) => post('/fapi/v1/client/sign_ups', { email_address: email, password: PASSWORD }, 'none'),
  ],
  'FAPI sign in': [
    'identifier',
    (email) => post('/fapi/v1/client/sign_ins', { identifier: email, password: PASSWORD }, 'none'),
  ],
};

describe('email addresses that are malformed, overlong or try header injection', () => {
  const cases = BAD_EMAILS.flatMap((email) =>
    Object.entries(EMAIL_PARAMS).map(([where, [param, call]]) => ({ where, email, param, call })),
  );
  it.each(cases)('$where with $email → 422 naming $param, nothing written', async ({ email, param, call }) => {
    await expectError(await call(email), 422, 'form_param_format_invalid', param);
  });
});

/** Every place a role goes in. */
const ROLE_PARAMS: Record<string, [param: string, call: (role: string) => Promise<Response>]> = {
  'BAPI create invitation': ['role', (role) => post(invitations(), { ...ok, role })],
  'BAPI bulk': ['0.role', (role) => post(`${invitations()}/bulk`, [{ ...ok, role }])],
  'FAPI create invitation': ['role', (role) => post(`/fapi${invitations()}`, { ...ok, role })],
  'FAPI bulk': ['role', (role) => post(`/fapi${invitations()}/bulk`, { email_address: [ok.email_address], role })],
  'BAPI change role': ['role', async (role) => send('PATCH', await membership(''), { body: JSON.stringify({ role }) })],
  'FAPI change role': [
    'role',
    async (role) => send('PATCH', await membership('/fapi'), { body: JSON.stringify({ role }) }),
  ],
  'BAPI list members': [
    'role.0',
    (role) => send('GET', `/v1/organizations/${orgId}/memberships?role=${encodeURIComponent(role)}`, { type: null }),
  ],
};

describe('unknown roles and out-of-range numbers', () => {
  const cases = BAD_ROLES.flatMap((role) =>
    Object.entries(ROLE_PARAMS).map(([where, [param, call]]) => ({ where, role, param, call })),
  );
  it.each(cases)('$where with role $role → 422 form_param_value_invalid', async ({ role, param, call }) => {
    await expectError(await call(role), 422, 'form_param_value_invalid', param);
  });

  it.each(['0', '366', '-1', '1.5', '"x"', '"7"', '1e309', 'true', '[1]'])(
    'expires_in_days %s → 422 naming it',
    async (days) => {
      const body = `{"email_address":"days@example.test","role":"org:member","expires_in_days":${days}}`;
      const res = await send('POST', `/v1/organizations/${orgId}/invitations`, { body });
      await expectError(res, 422, 'form_param_format_invalid', 'expires_in_days');
    },
  );

  const LISTS = [
    `/v1/organizations/${'{org}'}/invitations`,
    `/v1/organizations/${'{org}'}/memberships`,
    '/v1/organizations',
    '/v1/users',
    `/fapi/v1/organizations/${'{org}'}/invitations`,
    `/fapi/v1/organizations/${'{org}'}/memberships`,
    '/fapi/v1/me/organization_invitations',
    '/fapi/v1/me/organization_memberships',
  ];
  const pages = LISTS.flatMap((list) => [
    ...['0', '501', '-1', 'abc', '1.5', '', '1e3', 'Infinity', '9'.repeat(400)].map((v) => ({
      list,
      query: `limit=${v}`,
      param: 'limit',
    })),
    ...['-1', 'x', '1.5'].map((v) => ({ list, query: `offset=${v}`, param: 'offset' })),
  ]);
  it.each(pages)('GET $list?$query → 422 naming $param', async ({ list, query, param }) => {
    const res = await send('GET', `${list.replace('{org}', orgId)}?${query}`, { type: null });
    await expectError(res, 422, 'form_param_format_invalid', param);
  });

  it.each(['bogus', 'PENDING', ''])('an unknown invitation status filter (%j) → 422', async (status) => {
    const res = await send('GET', `/v1/organizations/${orgId}/invitations?status=${status}`, { type: null });
    await expectError(res, 422, 'form_param_format_invalid', 'status.0');
  });
});

describe('junk invitation tokens', () => {
  const longOrEmpty = (token: string) => token.length > 512 || token === '';
  it.each([...JUNK_TOKENS, ['empty', '']])(
    'GET /accept-invitation with %s → 404 page, nothing joined',
    async (_what, token) => {
      const res = await send('GET', `/accept-invitation?ticket=${encodeURIComponent(token)}`, {
        type: null,
        auth: 'none',
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('data-status="invitation_not_found"');
    },
  );

  it.each(['%E0%A4%A', '%ZZ', '%', '%%%', '%FF%FE'])(
    'GET /accept-invitation?ticket=%s (malformed encoding) → 404 page',
    async (raw) => {
      const res = await send('GET', `/accept-invitation?ticket=${raw}`, { type: null, auth: 'none' });
      expect(res.status).toBe(404);
    },
  );

  it.each(
    JUNK_TOKENS.flatMap(([what, token]) =>
      (['sign_up', 'sign_in', 'accept'] as const).map((action) => ({ what, token, action })),
    ),
  )('POST /accept-invitation ($action) with $what → 404 page', async ({ token, action }) => {
    const form = new URLSearchParams({ ticket: token, action, password: 'a long enough password' });
    const res = await send('POST', '/accept-invitation', {
      body: form.toString(),
      type: 'application/x-www-form-urlencoded',
      auth: action === 'accept' ? 'session' : 'none',
    });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This invitation link is not valid');
  });

  it.each([
    ['no action', { ticket }],
    ['an unknown action', { action: 'delete_everything' }],
    ['a form that is not a form', null],
  ])('POST /accept-invitation with %s → a 4xx page', async (_what, fields) => {
    const body = fields ? new URLSearchParams({ ticket, ...fields }).toString() : '--x\r\nnot multipart';
    const type = fields ? 'application/x-www-form-urlencoded' : 'multipart/form-data; boundary=nope';
    const res = await send('POST', '/accept-invitation', { body, type, auth: 'none' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  const ticketCalls = (token: string) =>
    [
      [
        'GET preview',
        () => send('GET', `/fapi/v1/tickets/preview?ticket=${encodeURIComponent(token)}`, { type: null, auth: 'none' }),
      ],
      ['POST accept', () => post('/fapi/v1/tickets/accept', { ticket: token })],
      [
        'POST sign_up',
        () => post('/fapi/v1/tickets/sign_up', { ticket: token, password: 'a long enough password' }, 'none'),
      ],
      [
        'POST sign_in',
        () => post('/fapi/v1/tickets/sign_in', { ticket: token, password: 'a long enough password' }, 'none'),
      ],
    ] as const;
  it.each(
    [...JUNK_TOKENS, ['empty', ''] as [string, string]].flatMap(([what, token]) =>
      ticketCalls(token).map(([route, call]) => ({ what, token, route, call })),
    ),
  )('/fapi/v1/tickets $route with $what → clear 4xx', async ({ token, call }) => {
    const res = await call();
    if (longOrEmpty(token)) await expectError(res, 422, 'form_param_format_invalid', 'ticket');
    else await expectError(res, 404, 'invitation_not_found');
  });
});

describe('junk ids in paths', () => {
  const ROUTES = [
    ['GET', '/v1/organizations/{id}'],
    ['GET', '/v1/organizations/{id}/invitations'],
    ['GET', '/v1/organizations/{org}/invitations/{id}'],
    ['POST', '/v1/organizations/{org}/invitations/{id}/revoke'],
    ['PATCH', '/v1/organizations/{org}/memberships/{id}'],
    ['DELETE', '/v1/organizations/{org}/memberships/{id}'],
    ['GET', '/v1/users/{id}'],
    ['GET', '/fapi/v1/organizations/{id}'],
    ['GET', '/fapi/v1/organizations/{id}/memberships'],
    ['POST', '/fapi/v1/organizations/{org}/invitations/{id}/revoke'],
    ['PATCH', '/fapi/v1/organizations/{org}/memberships/{id}'],
    ['POST', '/fapi/v1/me/organization_invitations/{id}/accept'],
    ['POST', '/fapi/v1/me/organization_invitations/{id}/decline'],
  ] as const;
  it.each(
    ROUTES.flatMap(([method, route]) =>
      JUNK_IDS.map((id) => ({ method, route, id, shown: id.length > 40 ? `${id.slice(0, 12)}…(${id.length})` : id })),
    ),
  )('$method $route with id $shown → 404', async ({ method, route, id }) => {
    const path = route.replace('{org}', orgId).replace('{id}', id);
    const body = method === 'PATCH' ? JSON.stringify({ role: 'org:admin' }) : undefined;
    const res = await send(method, path, { ...(body && { body }) });
    expect(res.status, await res.clone().text()).toBe(404);
    const { errors } = await errorBody(res);
    expect(errors[0]!.code).toMatch(/not_found$/);
  });
});

describe('unknown routes and methods', () => {
  it.each([
    ['GET', '/v1/nope', 'key'],
    ['GET', '/v1/organizations/x/nope', 'key'],
    ['POST', '/v1/users/x/y/z', 'key'],
    ['GET', '/fapi/v1/nope', 'session'],
    ['GET', '/fapi/v2/me', 'session'],
    ['GET', '/nope', 'none'],
    ['GET', '/v2/organizations', 'none'],
    ['GET', `/${'a/'.repeat(500)}`, 'none'],
  ] as const)('%s %s → 404 resource_not_found', async (method, path, auth) => {
    await expectError(await send(method, path, { auth, type: null }), 404, 'resource_not_found');
  });

  it('an unknown Backend API route without the key is refused before it is looked up', async () => {
    await expectError(await send('GET', '/v1/nope', { auth: 'none', type: null }), 401, 'authentication_invalid');
  });

  it.each([
    ['PUT', '/v1/organizations/{org}/invitations', 'GET, HEAD, POST'],
    ['DELETE', '/v1/organizations/{org}/invitations/{inv}', 'GET, HEAD'],
    ['PATCH', '/v1/organizations/{org}/invitations/{inv}/revoke', 'POST'],
    ['PUT', '/v1/users', 'GET, HEAD, POST'],
    ['DELETE', '/fapi/v1/me', 'GET, HEAD, PATCH'],
    ['PUT', '/fapi/v1/me/organization_invitations', 'GET, HEAD'],
    ['GET', '/fapi/v1/client/sign_ins', 'POST'],
    ['GET', '/fapi/v1/tickets/accept', 'POST'],
    ['DELETE', '/accept-invitation', 'GET, HEAD, POST'],
  ])('%s %s → 405 method_not_allowed, Allow: %s', async (method, route, allow) => {
    const path = route.replace('{org}', orgId).replace('{inv}', invitationId);
    const res = await send(method, path, { type: null });
    await expectError(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe(allow);
  });
});

describe('malformed percent-encoding in a query', () => {
  it.each([
    ['/v1/users?limit=%ZZ', 422, 'form_param_format_invalid', 'limit'],
    ['/v1/users?offset=%E0%A4%A', 422, 'form_param_format_invalid', 'offset'],
    ['/v1/organizations/{org}/invitations?status=%FF', 422, 'form_param_format_invalid', 'status.0'],
    ['/fapi/v1/tickets/preview?ticket=%E0%A4%A', 404, 'invitation_not_found', undefined],
    ['/fapi/v1/tickets/preview?ticket=%', 404, 'invitation_not_found', undefined],
  ] as const)('GET %s → %i %s', async (path, status, code, param) => {
    await expectError(await send('GET', path.replace('{org}', orgId), { type: null }), status, code, param);
  });
});

describe('junk credentials', () => {
  it.each(['%ff%fe', '"quoted"', 'a'.repeat(5000), '%F0%9F%92%A5', ';;;', '=', '%', '%E0%A4%A'])(
    'a junk session cookie (%s) is just not signed in',
    async (cookie) => {
      const res = await send('GET', '/fapi/v1/me', {
        type: null,
        auth: 'none',
        headers: { cookie: `__roster_session=${cookie}` },
      });
      await expectError(res, 401, 'session_invalid');
    },
  );

  it.each([
    'Bearer',
    'Bearer ',
    `Bearer ${'x'.repeat(10_000)}`,
    'Basic c2tfdGVzdDo=',
    `bearer  ${SECRET_KEY} x`,
    'Bearer %F0%9F%92%A5',
  ])('a junk Authorization header (%s) on the Backend API → 401', async (authorization) => {
    const res = await send('GET', '/v1/users', { type: null, auth: 'none', headers: { authorization } });
    expect(res.status).toBe(401);
    await errorBody(res);
  });
});

describe('nothing is half-written', () => {
  it('a user whose second address is taken is not created with the first', async () => {
    const res = await post('/v1/users', { email_address: ['half@example.test', adminEmail] });
    await expectError(res, 422, 'form_identifier_exists', 'email_address');
    expect(await json(await t.bapi('GET', '/v1/users?email_address=half@example.test'))).toEqual([]);
  });

  it('an organization created by a user that does not exist is not created', async () => {
    await expectError(
      await post('/v1/organizations', { name: 'Orphan', created_by: 'user_nope' }),
      404,
      'user_not_found',
    );
  });

  it('an organization with a taken slug is not created', async () => {
    const org = await json(await t.bapi('GET', `/v1/organizations/${orgId}`));
    await expectError(
      await post('/v1/organizations', { name: 'Twin', slug: org.slug }),
      422,
      'organization_slug_taken',
    );
  });

  it('a bulk invite with one bad item creates none of them', async () => {
    const items = [
      { email_address: 'bulk-ok@example.test', role: 'org:member' },
      { email_address: 'bulk-bad', role: 'org:member' },
    ];
    await expectError(
      await post(`/v1/organizations/${orgId}/invitations/bulk`, items),
      422,
      'form_param_format_invalid',
    );
    const fapi = { email_address: ['bulk-ok@example.test', 'bulk-bad'], role: 'org:member' };
    await expectError(
      await post(`/fapi/v1/organizations/${orgId}/invitations/bulk`, fapi),
      422,
      'form_param_format_invalid',
    );
  });

  it('an empty or oversized bulk invite → 422', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `many-${i}@example.test`);
    await expectError(await post(`/v1/organizations/${orgId}/invitations/bulk`, []), 422, 'form_param_format_invalid');
    const fapi = `/fapi/v1/organizations/${orgId}/invitations/bulk`;
    await expectError(await post(fapi, { email_address: [], role: 'org:member' }), 422, 'form_param_format_invalid');
    await expectError(await post(fapi, { email_address: many, role: 'org:member' }), 422, 'form_param_format_invalid');
  });

  it('a sign-up for a taken address starts nothing', async () => {
    const res = await post(
      '/fapi/v1/client/sign_ups',
      { email_address: adminEmail, password: 'a long enough password' },
      'none',
    );
    await expectError(res, 422, 'form_identifier_exists');
  });
});

describe('text the database cannot store', () => {
  it('a NUL byte in a stored string is a 422, on every dialect, and writes nothing', async () => {
    const t = await startTestRoster();
    try {
      const res = await t.bapi('POST', '/v1/users', {
        email_address: ['nul@example.com'],
        password: 'a long password',
        first_name: 'A\u0000B',
      });
      expect(res.status).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(400);
      const count = await (await t.bapi('GET', '/v1/users/count?email_address=nul@example.com')).json();
      expect(count.total_count).toBe(0);
    } finally {
      await t.close();
    }
  });
});
