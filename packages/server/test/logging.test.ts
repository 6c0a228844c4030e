import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, SECRET_KEY, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { codeIn, linkIn } from './support/smtp.js';

let t: TestRoster;
beforeEach(async () => {
  t = await startTestRoster();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

type LogLine = Record<string, any>;

function lines(): LogLine[] {
  return t.logs
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

const requestLines = () => lines().filter((l) => l.msg === 'request');

describe('the access log', () => {
  it('writes one request line per request, with method, path, status, duration and trace id', async () => {
    const before = requestLines().length;
    const ok = await t.bapi('GET', '/v1/users?limit=5');
    const missing = await t.bapi('GET', '/v1/organizations/org_nope');
    const unauthorized = await t.bapi('GET', '/v1/users', undefined, { authorization: 'Bearer nope' });
    const invalid = await t.bapi('POST', '/v1/users', { email_address: 'not-a-list' });
    const unknownRoute = await t.browser().get('/no/such/page');
    const preflight = await t.roster.app.request('http://roster.test/fapi/v1/me', {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'GET' },
    });
    const responses = [ok, missing, unauthorized, invalid, unknownRoute, preflight];

    const logged = requestLines().slice(before);
    expect(logged.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/v1/users?limit=5', 200],
      ['GET', '/v1/organizations/org_nope', 404],
      ['GET', '/v1/users', 401],
      ['POST', '/v1/users', 422],
      ['GET', '/no/such/page', 404],
      ['OPTIONS', '/fapi/v1/me', 204],
    ]);
    expect(responses.map((r) => r.status)).toEqual(logged.map((l) => l.status));
    for (const line of logged) {
      expect(line.level).toBe(30);
      expect(typeof line.duration_ms).toBe('number');
      expect(line.duration_ms).toBeGreaterThanOrEqual(0);
      expect(line.trace_id).toMatch(/^[0-9a-f-]{36}$/);
      // Headers and bodies are never part of it.
      expect(Object.keys(line).sort()).toEqual(
        ['duration_ms', 'hostname', 'level', 'method', 'msg', 'path', 'pid', 'status', 'time', 'trace_id'].sort(),
      );
    }
    // The trace id of an error line is the one the client saw.
    expect((await json(missing)).clerk_trace_id).toBe(logged[1]!.trace_id);
  });

  it('redacts secret query parameters, whatever their case or count', async () => {
    await t.browser().get('/accept-invitation?ticket=tk_secret_one&lang=en');
    await t.browser().get('/accept-invitation?__clerk_ticket=tk_secret_two');
    await t.browser().get('/fapi/v1/tickets/preview?Ticket=tk_secret_three&ticket=tk_secret_four');
    await t.browser().get('/account?token=tk_secret_five&code=123456&password=hunter2hunter2');
    const paths = requestLines().map((l) => l.path as string);
    expect(paths).toContain('/accept-invitation?ticket=[REDACTED]&lang=en');
    const all = t.logs.join('');
    for (const secret of ['tk_secret_one', 'tk_secret_two', 'tk_secret_three', 'tk_secret_four', 'tk_secret_five']) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toContain('123456');
    expect(all).not.toContain('hunter2hunter2');
  });
});

describe('what never reaches the log', () => {
  it('no ticket, password, secret key, session token, code or credential header after a full flow', async () => {
    const secrets = new Set<string>([SECRET_KEY]);
    const keep = (value: string | null | undefined) => {
      if (value) secrets.add(value);
    };

    // An admin, signed in (password and session through the APIs).
    const { org, password: adminPassword, browser: admin, user: adminUser } = await seedOrganization(t);
    keep(adminPassword);
    keep(admin.cookie);

    // An invitation through the Backend API, its mail, its link.
    const created = await t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: 'invitee@example.com',
      role: 'org:member',
      inviter_user_id: adminUser.id,
    });
    expect(created.status).toBe(200);
    const link = linkIn(await t.smtp.waitFor('invitee@example.com'));
    const ticket = new URL(link).searchParams.get('ticket')!;
    keep(ticket);
    keep(decodeURIComponent(ticket));

    // The accept page, the preview, and signing up from the link with a password.
    const invitee = t.browser();
    expect((await invitee.get(`/accept-invitation?ticket=${ticket}`)).status).toBe(200);
    expect((await invitee.get(`/fapi/v1/tickets/preview?ticket=${ticket}`)).status).toBe(200);
    const inviteePassword = 'invitee password that is long';
    keep(inviteePassword);
    const joined = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_up', password: inviteePassword, first_name: 'Ivy' },
    });
    expect(joined.status).toBe(303);
    keep(invitee.cookie);
    // Reusing the link fails; the failure is logged without the ticket.
    expect((await t.browser().get(`/accept-invitation?ticket=${ticket}`)).status).toBe(410);

    // Sign in (a wrong password first), then use the session token as a Bearer header.
    const again = t.browser();
    expect(
      (await again.post('/fapi/v1/client/sign_ins', { identifier: 'invitee@example.com', password: 'wrong!' })).status,
    ).toBe(422);
    keep('wrong!');
    const signIn = await again.post('/fapi/v1/client/sign_ins', {
      identifier: 'invitee@example.com',
      password: inviteePassword,
    });
    expect(signIn.status).toBe(200);
    const sessionToken = signIn.headers.get('x-roster-session-token');
    expect(sessionToken).toBeTruthy();
    keep(sessionToken);
    keep(again.cookie);
    const me = await t.roster.app.request('http://roster.test/fapi/v1/me', {
      headers: { authorization: `Bearer ${sessionToken}` },
    });
    expect(me.status).toBe(200);

    // Backend API calls with the secret key, and one with a wrong key.
    expect((await t.bapi('GET', '/v1/users?limit=10')).status).toBe(200);
    expect((await t.bapi('GET', `/v1/organizations/${org.id}/invitations`)).status).toBe(200);
    expect((await t.bapi('GET', `/v1/organizations/${org.id}/memberships`)).status).toBe(200);
    const wrongKey = 'sk_test_not_the_key_but_still_secret_0000';
    keep(wrongKey);
    expect((await t.bapi('GET', '/v1/users', undefined, { authorization: `Bearer ${wrongKey}` })).status).toBe(401);

    // Sign-up with an emailed code.
    const signUpPassword = 'code user password long';
    keep(signUpPassword);
    const newcomer = t.browser();
    const started = await newcomer.post('/fapi/v1/client/sign_ups', {
      email_address: 'coder@example.com',
      password: signUpPassword,
    });
    expect(started.status).toBe(200);
    const code = codeIn(await t.smtp.waitFor('coder@example.com'));
    keep(code);
    const wrongCode = code === '000000' ? '111111' : '000000';
    keep(wrongCode);
    expect(
      (await newcomer.post('/fapi/v1/client/sign_ups/verify', { email_address: 'coder@example.com', code: wrongCode }))
        .status,
    ).toBeGreaterThanOrEqual(400);
    const verified = await newcomer.post('/fapi/v1/client/sign_ups/verify', {
      email_address: 'coder@example.com',
      code,
    });
    expect(verified.status).toBe(200);
    keep(verified.headers.get('x-roster-session-token'));
    keep(newcomer.cookie);

    // Signing out uses the cookie once more.
    expect((await newcomer.post('/fapi/v1/client/sign_out')).status).toBe(200);

    // The mail was sent and logged (so the dispatcher's lines are part of what is checked).
    await vi.waitFor(() => expect(lines().filter((l) => l.msg === 'mail sent').length).toBeGreaterThanOrEqual(2));

    const all = lines();
    expect(all.filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(15);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(6);
      for (const line of all) {
        if (JSON.stringify(line).includes(secret)) {
          throw new Error(`a log line contains a secret (${secret.slice(0, 4)}…): ${JSON.stringify(line)}`);
        }
      }
    }
    // Header values of any kind stay out.
    for (const line of all) expect(JSON.stringify(line)).not.toMatch(/Bearer |__roster_session=/i);
  });
});

describe('internal errors', () => {
  it('answer 500 internal_error without the cause; the log has the cause and the trace id', async () => {
    const { org } = await seedOrganization(t);
    vi.spyOn(t.roster.store, 'findOrganization').mockRejectedValue(
      new Error('boom: the disk said something private at /var/lib/secret'),
    );
    const res = await t.bapi('GET', `/v1/organizations/${org.id}`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('boom');
    expect(text).not.toContain('/var/lib/secret');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    const body = JSON.parse(text);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].code).toBe('internal_error');

    const error = lines().find((l) => l.msg === 'unhandled error');
    expect(error).toBeDefined();
    expect(error!.level).toBe(50);
    expect(error!.err.message).toContain('boom');
    expect(error!.err.stack).toContain('Error: boom');
    expect(error!.trace_id).toBe(body.clerk_trace_id);
    const request = requestLines().find((l) => l.trace_id === body.clerk_trace_id);
    expect(request).toMatchObject({ method: 'GET', status: 500 });
  });

  it('a thrown non-Error is still a 500 with a logged cause', async () => {
    vi.spyOn(t.roster.store, 'listUsers').mockImplementation(() => {
      throw 'a bare string thrown';
    });
    const res = await t.bapi('GET', '/v1/users');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('bare string');
    expect(t.logs.join('')).toContain('a bare string thrown');
    expect(requestLines().at(-1)).toMatchObject({ path: '/v1/users', status: 500 });
  });

  it('a closed database answers 503 database_unavailable (healthz included), with the cause logged', async () => {
    expect((await t.bapi('GET', '/healthz')).status).toBe(200);
    await t.roster.dispatcher.stop();
    await t.roster.database.close();

    const health = await t.bapi('GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBeTruthy();
    const body = await json(health);
    expect(body.errors[0].code).toBe('database_unavailable');
    expect(JSON.stringify(body)).not.toMatch(/destroyed|not open/);

    const users = await t.bapi('GET', '/v1/users');
    expect(users.status).toBe(503);

    const warned = lines().filter((l) => l.msg === 'database unavailable');
    expect(warned.length).toBe(2);
    expect(warned[0]!.err.message).toMatch(/destroyed|not open/);
    expect(warned[0]!.trace_id).toBe(body.clerk_trace_id);
    expect(
      requestLines()
        .slice(-2)
        .map((l) => l.status),
    ).toEqual([503, 503]);
  });

  it('keeps error codes of causes readable in the log', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    vi.spyOn(t.roster.store, 'listUsers').mockRejectedValue(busy);
    expect((await t.bapi('GET', '/v1/users')).status).toBe(503);
    const warned = lines().find((l) => l.msg === 'database unavailable');
    expect(warned!.err.code).toBe('SQLITE_BUSY');
  });
});
