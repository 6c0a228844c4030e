import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTORS,
  type Actor,
  buildWorld,
  type Caller,
  caller,
  dbSnapshot,
  type Fixture,
  fixtures,
  type World,
} from './support/actors.js';
import { expectError } from './support/errors.js';
import { json, PUBLIC_URL, SECRET_KEY, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { recipients } from './support/smtp.js';

/**
 * Who may call which invitation and membership route, on both APIs. Every row gets a fresh
 * organization (admin, a plain member, a target member, two pending invitations), calls one
 * route as one actor, and checks the answer; a refused call must leave the database exactly as
 * it was (no invitation, membership or queued mail appears, changes or disappears).
 * The actors and their world are in support/actors.ts.
 */

type Outcome = { status: 200 } | { status: number; code: string };
const OK: Outcome = { status: 200 };
const NO_KEY: Outcome = { status: 401, code: 'authentication_invalid' };
const BAD_KEY: Outcome = { status: 401, code: 'clerk_key_invalid' };
const NO_SESSION: Outcome = { status: 401, code: 'session_invalid' };
const FORBIDDEN: Outcome = { status: 403, code: 'authorization_invalid' };
const NOT_MEMBER: Outcome = { status: 403, code: 'not_a_member_in_organization' };
const NOT_FOUND: Outcome = { status: 404, code: 'invitation_not_found' };
const MISMATCH: Outcome = { status: 403, code: 'invitation_email_mismatch' };

let t: TestRoster;
let w: World;
let fixture: (label: string) => Promise<Fixture>;
let call: Caller;
const snapshot = () => dbSnapshot(t);

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Checks what an allowed call did. */
  done: (f: Fixture, body: any, actor: Actor) => Promise<void>;
}

//                                   anonymous   wrong_key   member     other_admin admin      secret_key  invitee
// biome-ignore format: the matrix reads as a table, one row per route and one column per actor
const MATRIX: Record<string, Outcome[]> = {
  'BAPI create invitation':         [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI bulk create invitations':   [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI list invitations':          [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI get invitation':            [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI revoke invitation':         [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI list members':              [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI add member':                [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI change role':               [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'BAPI remove member':             [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  "BAPI list a user's invitations": [NO_KEY,     BAD_KEY,    NO_KEY,    NO_KEY,     NO_KEY,    OK,         NO_KEY],
  'FAPI create invitation':         [NO_SESSION, NO_SESSION, FORBIDDEN, NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI bulk create invitations':   [NO_SESSION, NO_SESSION, FORBIDDEN, NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI list invitations':          [NO_SESSION, NO_SESSION, FORBIDDEN, NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI revoke invitation':         [NO_SESSION, NO_SESSION, FORBIDDEN, NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI list members':              [NO_SESSION, NO_SESSION, OK,        NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI list roles':                [NO_SESSION, NO_SESSION, OK,        NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI change role':               [NO_SESSION, NO_SESSION, FORBIDDEN, NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI remove member':             [NO_SESSION, NO_SESSION, FORBIDDEN, NOT_MEMBER, OK,        NO_SESSION, NOT_MEMBER],
  'FAPI list my invitations':       [NO_SESSION, NO_SESSION, OK,        OK,         OK,        NO_SESSION, OK],
  'FAPI accept my invitation':      [NO_SESSION, NO_SESSION, NOT_FOUND, NOT_FOUND,  NOT_FOUND, NO_SESSION, OK],
  'FAPI decline my invitation':     [NO_SESSION, NO_SESSION, NOT_FOUND, NOT_FOUND,  NOT_FOUND, NO_SESSION, OK],
  'FAPI accept a link':             [NO_SESSION, NO_SESSION, MISMATCH,  MISMATCH,   MISMATCH,  NO_SESSION, OK],
};

const invitation = async (f: Fixture, id: string) =>
  json(await t.bapi('GET', `/v1/organizations/${f.orgId}/invitations/${id}`));
const members = async (f: Fixture) =>
  (await json(await t.bapi('GET', `/v1/organizations/${f.orgId}/memberships?limit=100`))).data as any[];
const memberIds = async (f: Fixture) => (await members(f)).map((m) => m.public_user_data.user_id);
const invitedEmails = async (f: Fixture) =>
  (await json(await t.bapi('GET', `/v1/organizations/${f.orgId}/invitations?limit=100`))).data.map(
    (i: any) => i.email_address,
  );
const ids = (page: any) => page.data.map((x: any) => x.id);

const ROUTES: Record<string, RouteCase> = {
  'BAPI create invitation': {
    method: 'POST',
    path: (f) => `/v1/organizations/${f.orgId}/invitations`,
    body: (f) => ({ email_address: f.newEmails[0], role: 'org:member' }),
    done: async (f) => void (await t.smtp.waitFor(f.newEmails[0])),
  },
  'BAPI bulk create invitations': {
    method: 'POST',
    path: (f) => `/v1/organizations/${f.orgId}/invitations/bulk`,
    body: (f) => f.newEmails.map((email_address) => ({ email_address, role: 'org:member', notify: false })),
    done: async (f) => expect(await invitedEmails(f)).toEqual(expect.arrayContaining(f.newEmails)),
  },
  'BAPI list invitations': {
    method: 'GET',
    path: (f) => `/v1/organizations/${f.orgId}/invitations`,
    done: async (f, body) => expect(ids(body)).toContain(f.invitationId),
  },
  'BAPI get invitation': {
    method: 'GET',
    path: (f) => `/v1/organizations/${f.orgId}/invitations/${f.invitationId}`,
    done: async (f, body) => expect(body).toMatchObject({ id: f.invitationId, status: 'pending', url: null }),
  },
  'BAPI revoke invitation': {
    method: 'POST',
    path: (f) => `/v1/organizations/${f.orgId}/invitations/${f.invitationId}/revoke`,
    done: async (f) => expect((await invitation(f, f.invitationId)).status).toBe('revoked'),
  },
  'BAPI list members': {
    method: 'GET',
    path: (f) => `/v1/organizations/${f.orgId}/memberships`,
    done: async (f, body) => expect(body.data.map((m: any) => m.public_user_data.user_id)).toContain(f.targetUserId),
  },
  'BAPI add member': {
    method: 'POST',
    path: (f) => `/v1/organizations/${f.orgId}/memberships`,
    body: (f) => ({ user_id: f.outsiderUserId, role: 'org:member' }),
    done: async (f) => expect(await memberIds(f)).toContain(f.outsiderUserId),
  },
  'BAPI change role': {
    method: 'PATCH',
    path: (f) => `/v1/organizations/${f.orgId}/memberships/${f.targetUserId}`,
    body: () => ({ role: 'org:admin' }),
    done: async (f) =>
      expect((await members(f)).find((m) => m.public_user_data.user_id === f.targetUserId)?.role).toBe('org:admin'),
  },
  'BAPI remove member': {
    method: 'DELETE',
    path: (f) => `/v1/organizations/${f.orgId}/memberships/${f.targetUserId}`,
    done: async (f) => expect(await memberIds(f)).not.toContain(f.targetUserId),
  },
  "BAPI list a user's invitations": {
    method: 'GET',
    path: () => `/v1/users/${w.inviteeId}/organization_invitations?limit=500`,
    done: async (f, body) => expect(ids(body)).toContain(f.inviteeInvitationId),
  },
  'FAPI create invitation': {
    method: 'POST',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/invitations`,
    body: (f) => ({ email_address: f.newEmails[0], role: 'org:member' }),
    done: async (f) => void (await t.smtp.waitFor(f.newEmails[0])),
  },
  'FAPI bulk create invitations': {
    method: 'POST',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/invitations/bulk`,
    body: (f) => ({ email_address: f.newEmails, role: 'org:member' }),
    done: async (f, body) => {
      expect(body.errors).toEqual([]);
      expect(await invitedEmails(f)).toEqual(expect.arrayContaining(f.newEmails));
    },
  },
  'FAPI list invitations': {
    method: 'GET',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/invitations`,
    done: async (f, body) => expect(ids(body)).toContain(f.invitationId),
  },
  'FAPI revoke invitation': {
    method: 'POST',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/invitations/${f.invitationId}/revoke`,
    done: async (f) => expect((await invitation(f, f.invitationId)).status).toBe('revoked'),
  },
  'FAPI list members': {
    method: 'GET',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/memberships`,
    done: async (f, body) => expect(body.data.map((m: any) => m.public_user_data.user_id)).toContain(f.targetUserId),
  },
  'FAPI list roles': {
    method: 'GET',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/roles`,
    done: async (_f, body) => expect(body.data.map((r: any) => r.key)).toEqual(['org:admin', 'org:member']),
  },
  'FAPI change role': {
    method: 'PATCH',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/memberships/${f.targetUserId}`,
    body: () => ({ role: 'org:admin' }),
    done: async (f) =>
      expect((await members(f)).find((m) => m.public_user_data.user_id === f.targetUserId)?.role).toBe('org:admin'),
  },
  'FAPI remove member': {
    method: 'DELETE',
    path: (f) => `/fapi/v1/organizations/${f.orgId}/memberships/${f.targetUserId}`,
    done: async (f) => expect(await memberIds(f)).not.toContain(f.targetUserId),
  },
  'FAPI list my invitations': {
    method: 'GET',
    path: () => '/fapi/v1/me/organization_invitations?limit=500',
    // Everyone may ask; only the invitee sees the invitation to their address.
    done: async (f, body, actor) =>
      actor === 'invitee'
        ? expect(ids(body)).toContain(f.inviteeInvitationId)
        : expect(ids(body)).not.toContain(f.inviteeInvitationId),
  },
  'FAPI accept my invitation': {
    method: 'POST',
    path: (f) => `/fapi/v1/me/organization_invitations/${f.inviteeInvitationId}/accept`,
    done: async (f) => expect(await memberIds(f)).toContain(w.inviteeId),
  },
  'FAPI decline my invitation': {
    method: 'POST',
    path: (f) => `/fapi/v1/me/organization_invitations/${f.inviteeInvitationId}/decline`,
    done: async (f) => expect((await invitation(f, f.inviteeInvitationId)).status).toBe('revoked'),
  },
  'FAPI accept a link': {
    method: 'POST',
    path: () => '/fapi/v1/tickets/accept',
    body: (f) => ({ ticket: f.ticket }),
    done: async (f) => expect(await memberIds(f)).toContain(w.inviteeId),
  },
};

/** Addresses that refused create calls named: none of them may ever receive mail. */
const refusedAddresses: string[] = [];

beforeAll(async () => {
  t = await startTestRoster();
  w = await buildWorld(t);
  fixture = fixtures(t, w);
  call = caller(t, w);
});
afterAll(async () => {
  await t.close();
});

const rowsOf = Object.entries(MATRIX).flatMap(([route, outcomes]) =>
  ACTORS.map((actor, i) => {
    const expected = outcomes[i]!;
    return { route, actor, expected, label: 'code' in expected ? `${expected.status} ${expected.code}` : '200' };
  }),
);

describe('authorization matrix: every invitation and membership route × every actor', () => {
  it('covers every route', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(rowsOf)('$route as $actor → $label', async ({ route, actor, expected }) => {
    const spec = ROUTES[route]!;
    const f = await fixture(`${route.split(' ')[0]}-${actor}`.toLowerCase());
    const before = await snapshot();
    const res = await call(actor, spec.method, spec.path(f), spec.body?.(f));
    if ('code' in expected) {
      await expectError(res, expected.status, expected.code);
      expect(await snapshot()).toEqual(before);
      refusedAddresses.push(...f.newEmails);
    } else {
      const text = await res.text();
      expect(res.status, text.slice(0, 500)).toBe(200);
      await spec.done(f, JSON.parse(text), actor);
    }
  });

  it('no refused call ever sent mail', async () => {
    // The allowed creates' mail has arrived by now (their rows waited for it); the outbox is drained.
    await t.roster.dispatcher.drain();
    const mailed = t.smtp.messages.flatMap(recipients);
    expect(refusedAddresses.length).toBeGreaterThan(0);
    expect(mailed.filter((to) => refusedAddresses.includes(to))).toEqual([]);
  });
});

describe('credentials in the wrong place', () => {
  const create = () => ({ email_address: 'misplaced@example.test', role: 'org:admin' });
  it.each([
    ['the admin’s session token as a Bearer', () => `Bearer ${w.browsers.admin!.cookie}`, 'clerk_key_invalid'],
    ['the secret key with one character more', () => `Bearer ${SECRET_KEY}x`, 'clerk_key_invalid'],
    ['the secret key one character short', () => `Bearer ${SECRET_KEY.slice(0, -1)}`, 'clerk_key_invalid'],
    ['the secret key as Basic auth', () => `Basic ${btoa(`${SECRET_KEY}:`)}`, 'authentication_invalid'],
    ['the secret key without a scheme', () => SECRET_KEY, 'authentication_invalid'],
  ])('Backend API with %s → 401 %s', async (_what, authorization, code) => {
    const before = await snapshot();
    const res = await t.roster.app.request(`${PUBLIC_URL}/v1/organizations/${w.orgA}/invitations`, {
      method: 'POST',
      headers: { authorization: authorization(), 'content-type': 'application/json' },
      body: JSON.stringify(create()),
    });
    await expectError(res, 401, code);
    expect(await snapshot()).toEqual(before);
  });

  it('Frontend API with the secret key as the session cookie → 401 session_invalid', async () => {
    const before = await snapshot();
    const res = await t.roster.app.request(`${PUBLIC_URL}/fapi/v1/organizations/${w.orgA}/invitations`, {
      method: 'POST',
      headers: { cookie: `__roster_session=${SECRET_KEY}`, origin: PUBLIC_URL, 'content-type': 'application/json' },
      body: JSON.stringify(create()),
    });
    await expectError(res, 401, 'session_invalid');
    expect(await snapshot()).toEqual(before);
  });
});

describe('cross-organization ids (IDOR): admin of A with B’s ids', () => {
  type Case = {
    name: string;
    actor: Actor;
    method: string;
    path: () => string;
    body?: unknown;
    status: number;
    code: string;
  };
  const cases: Case[] = [
    ...(['fapi', 'bapi'] as const).flatMap((api): Case[] => {
      const prefix = api === 'fapi' ? '/fapi/v1' : '/v1';
      const actor: Actor = api === 'fapi' ? 'admin' : 'secret_key';
      const label = api.toUpperCase();
      return [
        {
          name: `${label} revoke B’s invitation through A’s path`,
          actor,
          method: 'POST',
          path: () => `${prefix}/organizations/${w.orgA}/invitations/${w.foreignInvitationId}/revoke`,
          status: 404,
          code: 'invitation_not_found',
        },
        {
          name: `${label} change the role of B’s member through A’s path`,
          actor,
          method: 'PATCH',
          path: () => `${prefix}/organizations/${w.orgA}/memberships/${w.foreignMemberId}`,
          body: { role: 'org:admin' },
          status: 404,
          code: 'membership_not_found',
        },
        {
          name: `${label} remove B’s member through A’s path`,
          actor,
          method: 'DELETE',
          path: () => `${prefix}/organizations/${w.orgA}/memberships/${w.foreignMemberId}`,
          status: 404,
          code: 'membership_not_found',
        },
      ];
    }),
    {
      name: 'BAPI get B’s invitation through A’s path',
      actor: 'secret_key',
      method: 'GET',
      path: () => `/v1/organizations/${w.orgA}/invitations/${w.foreignInvitationId}`,
      status: 404,
      code: 'invitation_not_found',
    },
    ...(
      [
        ['revoke B’s invitation', 'POST', () => `/invitations/${w.foreignInvitationId}/revoke`, undefined],
        ['list B’s invitations', 'GET', () => '/invitations', undefined],
        ['invite into B', 'POST', () => '/invitations', { email_address: 'idor@example.test', role: 'org:admin' }],
        [
          'bulk invite into B',
          'POST',
          () => '/invitations/bulk',
          { email_address: ['idor@example.test'], role: 'admin' },
        ],
        ['list B’s members', 'GET', () => '/memberships', undefined],
        ['list B’s roles', 'GET', () => '/roles', undefined],
        ['promote B’s member', 'PATCH', () => `/memberships/${w.foreignMemberId}`, { role: 'org:admin' }],
        ['remove B’s member', 'DELETE', () => `/memberships/${w.foreignMemberId}`, undefined],
      ] as const
    ).map(
      ([what, method, rest, body]): Case => ({
        name: `FAPI ${what} through B’s path`,
        actor: 'admin',
        method,
        path: () => `/fapi/v1/organizations/${w.orgB}${rest()}`,
        body,
        status: 403,
        code: 'not_a_member_in_organization',
      }),
    ),
    {
      name: 'FAPI accept B’s invitation (to another address) as my own',
      actor: 'admin',
      method: 'POST',
      path: () => `/fapi/v1/me/organization_invitations/${w.foreignInvitationId}/accept`,
      status: 404,
      code: 'invitation_not_found',
    },
    {
      name: 'FAPI decline B’s invitation (to another address) as my own',
      actor: 'admin',
      method: 'POST',
      path: () => `/fapi/v1/me/organization_invitations/${w.foreignInvitationId}/decline`,
      status: 404,
      code: 'invitation_not_found',
    },
  ];

  it.each(cases)('$name → $status $code', async ({ actor, method, path, body, status, code }) => {
    const before = await snapshot();
    await expectError(await call(actor, method, path(), body), status, code);
    expect(await snapshot()).toEqual(before);
    const foreign = await json(await t.bapi('GET', `/v1/organizations/${w.orgB}/invitations/${w.foreignInvitationId}`));
    expect(foreign.status).toBe('pending');
    expect(t.smtp.messages.flatMap(recipients)).not.toContain('idor@example.test');
  });
});

describe('the secret key acting on behalf of a user is held to that user’s permissions', () => {
  it.each([
    ['a plain member', (): string => w.memberId, 403, 'authorization_invalid'],
    ['the admin of another organization', (): string => w.otherAdminId, 403, 'not_a_member_in_organization'],
    ['a user that does not exist', (): string => 'user_nope', 404, 'user_not_found'],
  ] as const)('inviter_user_id / requesting_user_id of %s → %i %s', async (_who, user, status, code) => {
    const f = await fixture('on-behalf');
    const before = await snapshot();
    const invite = { email_address: f.newEmails[0], role: 'org:admin', inviter_user_id: user() };
    await expectError(await t.bapi('POST', `/v1/organizations/${f.orgId}/invitations`, invite), status, code);
    const bulk = [invite];
    const res = await t.bapi('POST', `/v1/organizations/${f.orgId}/invitations/bulk`, bulk);
    expect((await json(res)).errors.map((e: any) => e.code)).toEqual([code]);
    const revoke = { requesting_user_id: user() };
    const path = `/v1/organizations/${f.orgId}/invitations/${f.invitationId}/revoke`;
    await expectError(await t.bapi('POST', path, revoke), status, code);
    expect(await snapshot()).toEqual(before);
  });
});

describe('refused callers cannot spend an organization’s invitation budget', () => {
  it('an outsider is refused with 403, never 429, and the admin can still invite', async () => {
    const small = await startTestRoster({ env: { ROSTER_INVITATIONS_PER_HOUR: '2' }, smtp: t.smtp });
    try {
      const a = await seedOrganization(small, { name: 'Small' });
      const b = await seedOrganization(small, { name: 'Outsider' });
      const body = (n: number) => ({ email_address: `budget-${n}@example.test`, role: 'org:member' });
      for (let n = 0; n < 3; n++) {
        const single = await b.browser.post(`/fapi/v1/organizations/${a.org.id}/invitations`, body(n));
        await expectError(single, 403, 'not_a_member_in_organization');
        const bulk = await b.browser.post(`/fapi/v1/organizations/${a.org.id}/invitations/bulk`, {
          email_address: [`budget-bulk-${n}@example.test`],
          role: 'org:member',
        });
        await expectError(bulk, 403, 'not_a_member_in_organization');
      }
      for (let n = 10; n < 12; n++) {
        const res = await a.browser.post(`/fapi/v1/organizations/${a.org.id}/invitations`, body(n));
        expect(res.status, await res.clone().text()).toBe(200);
      }
      await expectError(
        await a.browser.post(`/fapi/v1/organizations/${a.org.id}/invitations`, body(12)),
        429,
        'too_many_requests',
      );
    } finally {
      await small.close();
    }
  });
});

describe('CSRF and CORS on the Frontend API', () => {
  const invite = (f: Fixture) => ({ email_address: f.newEmails[0], role: 'org:admin' });

  it.each([
    ['an unknown origin', { origin: 'http://evil.test' }],
    ['an opaque origin', { origin: 'null' }],
    ['a look-alike origin', { origin: 'http://app.test.evil.test' }],
    ['the allowed host on another port', { origin: 'http://app.test:8080' }],
    ['no Origin but Sec-Fetch-Site: cross-site', { origin: '', 'sec-fetch-site': 'cross-site' }],
  ])('a cookie-authenticated write from %s → 403 origin_invalid, nothing changed', async (_what, headers) => {
    const f = await fixture('csrf');
    const admin = w.browsers.admin!;
    const before = await snapshot();
    const writes = [
      admin.fetch('POST', `/fapi/v1/organizations/${f.orgId}/invitations`, { json: invite(f), headers }),
      admin.fetch('POST', `/fapi/v1/organizations/${f.orgId}/invitations/${f.invitationId}/revoke`, { headers }),
      admin.fetch('PATCH', `/fapi/v1/organizations/${f.orgId}/memberships/${f.targetUserId}`, {
        json: { role: 'org:admin' },
        headers,
      }),
      admin.fetch('DELETE', `/fapi/v1/organizations/${f.orgId}/memberships/${f.targetUserId}`, { headers }),
      w.browsers.invitee!.fetch('POST', '/fapi/v1/tickets/accept', { json: { ticket: f.ticket }, headers }),
      w.browsers.invitee!.fetch('POST', '/accept-invitation', {
        form: { ticket: f.ticket, action: 'accept' },
        headers,
      }),
    ];
    for (const res of await Promise.all(writes)) await expectError(res, 403, 'origin_invalid');
    expect(await snapshot()).toEqual(before);
  });

  it('the same writes from the configured origin http://app.test are allowed', async () => {
    const f = await fixture('cors');
    const headers = { origin: 'http://app.test' };
    const admin = w.browsers.admin!;
    const res = await admin.fetch('POST', `/fapi/v1/organizations/${f.orgId}/invitations`, {
      json: invite(f),
      headers,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const revoke = `/fapi/v1/organizations/${f.orgId}/invitations/${f.invitationId}/revoke`;
    expect((await admin.fetch('POST', revoke, { headers })).status).toBe(200);
    const accept = await w.browsers.invitee!.fetch('POST', '/fapi/v1/tickets/accept', {
      json: { ticket: f.ticket },
      headers,
    });
    expect(accept.status, await accept.clone().text()).toBe(200);
  });

  const preflight = (origin: string) =>
    t.roster.app.request(`${PUBLIC_URL}/fapi/v1/organizations/org_x/invitations`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('a preflight from http://app.test is allowed with credentials', async () => {
    const res = await preflight('http://app.test');
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });

  it.each(['http://evil.test', 'null', 'http://app.test.evil.test'])(
    'a preflight from %s gets no CORS grant',
    async (origin) => {
      const res = await preflight(origin);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    },
  );

  it('a cross-origin read from evil.test is answered without a CORS grant, so the browser hides it', async () => {
    const res = await w.browsers.admin!.fetch('GET', '/fapi/v1/me', { headers: { origin: 'http://evil.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
