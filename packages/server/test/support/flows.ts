import { afterEach, beforeEach } from 'vitest';
import { type Browser, json, startTestRoster, type TestRoster } from './harness.js';
import { linkIn } from './smtp.js';

/** Small steps shared by the HTTP-level tests: every one goes through the public APIs. */

/**
 * A fresh TestRoster for each test of the calling file, closed after it. The handle returned is
 * refilled before every test; a test that needs a differently configured server closes it and
 * refills it with `Object.assign(t, await startTestRoster(...))`, and that one is closed after it.
 */
export function freshRosterForEachTest(options?: Parameters<typeof startTestRoster>[0]): TestRoster {
  const t = {} as TestRoster;
  beforeEach(async () => {
    Object.assign(t, await startTestRoster(options));
  });
  afterEach(async () => {
    await t.close();
  });
  return t;
}

/** The first error code of an error response (and its meta), failing loudly on a success body. */
export async function errorOf(res: Response): Promise<{ status: number; code: string; meta: Record<string, any> }> {
  const body = await json(res);
  if (!Array.isArray(body.errors))
    throw new Error(`expected an error body, got ${res.status}: ${JSON.stringify(body)}`);
  return { status: res.status, code: body.errors[0].code, meta: body.errors[0].meta ?? {} };
}

/** The ticket in an accept URL. */
export function ticketOf(url: string): string {
  const ticket = new URL(url).searchParams.get('ticket');
  if (!ticket) throw new Error(`no ticket in ${url}`);
  return ticket;
}

/** The path (and query) of an absolute URL, for the in-process browser. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/** Creates an invitation with the secret key. */
export function invite(t: TestRoster, orgId: string, email: string, extra: Record<string, unknown> = {}) {
  return t.bapi('POST', `/v1/organizations/${orgId}/invitations`, {
    email_address: email,
    role: 'basic_member',
    ...extra,
  });
}

/** Creates an invitation with the secret key and returns its JSON, failing the test unless it was created. */
export async function invited(t: TestRoster, orgId: string, email: string, extra: Record<string, unknown> = {}) {
  const res = await invite(t, orgId, email, extra);
  const body = await json(res);
  if (res.status !== 200) throw new Error(`invite ${email} failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * The link mailed for an invitation (waits for its mail). Only this link proves the address: the
 * Backend API's `url` is another ticket, from which a new account must confirm the address by code
 * (decision 021).
 */
export async function mailedUrl(t: TestRoster, invitation: { readonly [key: string]: unknown }): Promise<string> {
  const mail = await t.smtp.waitFor(String(invitation.email_address).toLowerCase(), {
    match: (m) => m.messageId === `<${String(invitation.id)}@roster>`,
  });
  return linkIn(mail);
}

/** Creates a user with the secret key (address verified by the key). */
export async function createUser(t: TestRoster, email: string, password = 'a long enough password') {
  const res = await t.bapi('POST', '/v1/users', { email_address: [email], password });
  const body = await json(res);
  if (res.status !== 200) throw new Error(`create user ${email} failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Signs a fresh browser in, failing the test if that does not work. */
export async function signIn(t: TestRoster, email: string, password = 'a long enough password'): Promise<Browser> {
  const browser = t.browser();
  const res = await browser.post('/fapi/v1/client/sign_ins', { identifier: email, password });
  if (res.status !== 200) throw new Error(`sign in as ${email} failed: ${res.status} ${await res.text()}`);
  return browser;
}

/** A user created with the secret key, signed in in a fresh browser. */
export async function signedInUser(t: TestRoster, email: string, password = 'a long enough password') {
  const user = await createUser(t, email, password);
  return { user, browser: await signIn(t, email, password) };
}

/** An invitation's current JSON as the Backend API reports it. */
export async function invitationNow(t: TestRoster, orgId: string, invitationId: string) {
  return json(await t.bapi('GET', `/v1/organizations/${orgId}/invitations/${invitationId}`));
}

/** An organization's current JSON as the Backend API reports it. */
export async function organizationNow(t: TestRoster, orgId: string) {
  return json(await t.bapi('GET', `/v1/organizations/${orgId}`));
}

/** An organization's members as the Backend API lists them. */
export async function membersOf(t: TestRoster, orgId: string) {
  return json(await t.bapi('GET', `/v1/organizations/${orgId}/memberships?limit=500`));
}

/** Every invitation of an organization, all statuses. */
export async function invitationsOf(t: TestRoster, orgId: string, query = '') {
  return json(await t.bapi('GET', `/v1/organizations/${orgId}/invitations?limit=500${query}`));
}

/** Runs `fn` `n` times at once and waits for all of them. */
export function all<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

export const DAY_MS = 86_400_000;
