import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smtpTransport } from '../src/email/transports.js';
import { invited } from './support/flows.js';
import { json, PUBLIC_URL, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { freePort } from './support/processes.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

/**
 * The console's mail settings (decision 043): Roster starts with an SMTP server that refuses every
 * connection; the invitation's mail waits to retry; the operator enters the working server in the
 * console, and the waiting mail goes out through it at once, without a restart. The password is
 * sealed at rest and never shown; bad input changes nothing.
 */

let t: TestRoster;
let smtp: TestSmtp;
let cookie: string;

beforeAll(async () => {
  smtp = await startSmtp();
  const dead = `smtp://127.0.0.1:${await freePort()}`;
  t = await startTestRoster({ smtp, env: { SMTP_URL: dead }, overrides: { transport: smtpTransport(dead) } });
  const res = await t.roster.app.request(`${PUBLIC_URL}/console/sign-in`, {
    method: 'POST',
    headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ secret_key: t.roster.secretKey }).toString(),
  });
  cookie = (res.headers.getSetCookie().find((c) => c.startsWith('__roster_console=')) ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const get = (path: string) => t.roster.app.request(`${PUBLIC_URL}${path}`, { headers: { cookie } });
const post = (path: string, form: Record<string, string> = {}, origin = PUBLIC_URL) =>
  t.roster.app.request(`${PUBLIC_URL}${path}`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
const text = async (path: string) => (await get(path)).text();
const server = (over: Record<string, string> = {}) => ({
  host: '127.0.0.1',
  port: String(smtp.port),
  security: 'starttls_if_offered',
  username: '',
  password: '',
  from: '',
  ...over,
});

describe('console: email settings', () => {
  it('fixes a refused SMTP server without a restart: the waiting invitation mail goes out through the new one', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const inv = await invited(t, org.id, 'waiting@example.com');
    await vi.waitFor(async () => expect(await text(`/console/invitations/${inv.id}`)).toContain('retrying (1 tries)'), {
      timeout: 10_000,
      interval: 50,
    });
    const detail = await text(`/console/invitations/${inv.id}`);
    expect(detail).toContain('ECONNREFUSED');
    expect(detail).toContain('Retry the mail now');

    const before = await text('/console/email');
    expect(before).toContain('SMTP_URL from the environment');
    expect(before).toMatch(/<dt>Waiting to retry<\/dt><dd>1 message/);

    // Refused input: the field is named, what was typed stays, nothing is stored.
    const bad = await post('/console/email', server({ port: '70000', host: 'mail.example.com' }));
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    expect(badPage).toContain('Port must be a whole number from 1 to 65535.');
    expect(badPage).toContain('value="mail.example.com"');
    expect((await post('/console/email', server({ host: 'bad host!' }))).status).toBe(422);
    expect((await post('/console/email', server({ from: 'not an address' }))).status).toBe(422);
    expect((await post('/console/email', server({ security: 'ssl3' }))).status).toBe(422);
    expect((await post('/console/email', server({ password: 'pw' }))).status).toBe(422); // a password needs a user
    expect((await post('/console/email', server(), 'https://evil.test')).status).toBe(403);
    expect(await text('/console/email')).toContain('SMTP_URL from the environment');

    const saved = await post('/console/email', server({ from: 'Acme Ops <ops@acme.test>' }));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/console/email?done=saved');
    // The waiting mail keeps its schedule until the operator sends it.
    expect(await text('/console/email')).toMatch(/<dt>Waiting to retry<\/dt><dd>1 message/);
    const retried = await post(`/console/invitations/${inv.id}/retry-mail`);
    expect(retried.headers.get('location')).toBe(`/console/invitations/${inv.id}?done=retried`);
    const mail = await smtp.waitFor('waiting@example.com');
    expect(mail.from?.value[0]?.address).toBe('ops@acme.test');
    await vi.waitFor(async () => expect(await text(`/console/invitations/${inv.id}`)).toContain('<dd>sent</dd>'), {
      timeout: 10_000,
      interval: 50,
    });
    const after = await text('/console/email?done=saved');
    expect(after).toContain('SMTP server saved');
    expect(after).toContain('Set in this console');
    expect(after).toContain(`127.0.0.1:${smtp.port}`);
    expect(after).toMatch(/<dt>Waiting to retry<\/dt><dd>none/);

    // Both fates are in the audit log, under the invitation's organization, without the link.
    const log = await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?limit=50`));
    const mails = (log.data as { type: string; data: Record<string, unknown>; actor: { type: string } }[]).filter((e) =>
      e.type.startsWith('email.'),
    );
    expect(mails.map((e) => [e.type, e.data.status, e.actor.type])).toEqual([
      ['email.delivered', 'delivered', 'system'],
      ['email.failed', 'retrying', 'system'],
    ]);
    expect(mails[1]?.data).toMatchObject({ object: 'email', invitation_id: inv.id, attempts: 1 });
    expect(String(mails[1]?.data.error)).toContain('ECONNREFUSED');
    expect(JSON.stringify(mails)).not.toContain('ticket');
    const audit = await text(`/console/audit-log?organization=${org.id}`);
    expect(audit).toContain('mail to waiting@example.com (delivered)');
    expect(audit).toMatch(/mail to waiting@example.com \(retrying: [^)]*ECONNREFUSED/);
  });

  it('keeps the password sealed and unshown, keeps it when left empty, and goes back to the environment', async () => {
    const secret = 'pa55:w/rd@x';
    expect((await post('/console/email', server({ username: 'mailer', password: secret }))).status).toBe(303);
    const row = await t.roster.database.db.selectFrom('mail_settings').selectAll().executeTakeFirstOrThrow();
    expect(row.smtp_url).not.toContain('pa55');
    expect(row.smtp_url).not.toContain('mailer');
    expect(row.updated_by).toBe('secret_key');
    const page = await text('/console/email');
    expect(page).toContain('set (not shown)');
    expect(page).not.toContain('pa55');
    // Saved again without typing it: kept for the same host and user; dropped for another user.
    expect((await post('/console/email', server({ username: 'mailer' }))).status).toBe(303);
    expect(await text('/console/email')).toContain('set (not shown)');
    expect((await post('/console/email', server({ username: 'someone' }))).status).toBe(303);
    expect(await text('/console/email')).toMatch(/<dt>Password<\/dt><dd>none<\/dd>/);

    const reset = await post('/console/email/reset');
    expect(reset.headers.get('location')).toBe('/console/email?done=reset');
    expect(await text('/console/email')).toContain('SMTP_URL from the environment');
    expect(await t.roster.database.db.selectFrom('mail_settings').selectAll().execute()).toEqual([]);
  });

  it('sends a test email through the server in use, and says why when it cannot', async () => {
    // The environment's server refuses connections: the page says so and nothing is stored.
    const refused = await post('/console/email/test', { to: 'ops@example.com' });
    expect(refused.status).toBe(200);
    expect(await refused.text()).toMatch(/The test email was not sent: .*ECONNREFUSED/);
    expect((await post('/console/email/test', { to: 'nope' })).status).toBe(422);

    expect((await post('/console/email', server())).status).toBe(303);
    const sent = await post('/console/email/test', { to: 'ops@example.com' });
    expect(sent.headers.get('location')).toBe('/console/email?done=test');
    const mail = await smtp.waitFor('ops@example.com');
    expect(mail.subject).toBe('Roster test email');
  });
});
