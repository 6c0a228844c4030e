import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, signIn } from './support/flows.js';
import { json, SECRET_KEY, startTestRoster, type TestRoster } from './support/harness.js';

/** `/v1/sessions` (list by user or client, get, revoke) through Clerk's own client. */

let t: TestRoster;
let clerk: ClerkClient;
beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: await t.roster.listen() });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}@example.com`;

async function sessionIdOf(browser: { get(path: string): Promise<Response> }): Promise<string> {
  const me = await json(await browser.get('/fapi/v1/me'));
  return me.session.id;
}

describe('Backend API sessions', () => {
  it("lists a user's sessions newest first as Clerk's Session resources, paginated", async () => {
    const email = unique('ada');
    const { user, browser: first } = await signedInUser(t, email);
    const second = await signIn(t, email);
    const [firstId, secondId] = [await sessionIdOf(first), await sessionIdOf(second)];

    const list = await clerk.sessions.getSessionList({ userId: user.id });
    expect(list.totalCount).toBe(2);
    expect(list.data.map((s) => s.id).sort()).toEqual([firstId, secondId].sort());
    for (const s of list.data) {
      expect(s.userId).toBe(user.id);
      expect(s.status).toBe('active');
      expect(s.clientId).toMatch(/^client_/);
      expect(s.expireAt).toBeGreaterThan(Date.now());
    }
    const page = await clerk.sessions.getSessionList({ userId: user.id, limit: 1, offset: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.totalCount).toBe(2);

    // By client: each Roster session is its own client.
    const one = list.data[0]!;
    const byClient = await clerk.sessions.getSessionList({ clientId: one.clientId });
    expect(byClient.data.map((s) => s.id)).toEqual([one.id]);

    // Without `paginated` the answer is a bare array, as Clerk's.
    const bare = await json(await t.bapi('GET', `/v1/sessions?user_id=${user.id}`));
    expect(Array.isArray(bare)).toBe(true);
    expect(bare).toHaveLength(2);
  });

  it('gets one session, and an unknown id is resource_not_found', async () => {
    const { user, browser } = await signedInUser(t, unique('bo'));
    const id = await sessionIdOf(browser);
    const session = await clerk.sessions.getSession(id);
    expect(session.id).toBe(id);
    expect(session.userId).toBe(user.id);
    const error = await clerk.sessions.getSession('sess_nope').catch((e: unknown) => e);
    expect(isClerkAPIResponseError(error) && error.status).toBe(404);
    expect(isClerkAPIResponseError(error) && error.errors[0]?.code).toBe('resource_not_found');
  });

  it('revoking a session signs its browser out and leaves the other sessions alone', async () => {
    const email = unique('cy');
    const { user, browser: revoked } = await signedInUser(t, email);
    const kept = await signIn(t, email);
    const id = await sessionIdOf(revoked);

    const answer = await clerk.sessions.revokeSession(id);
    expect(answer.id).toBe(id);
    expect(answer.status).toBe('revoked');

    expect((await revoked.get('/fapi/v1/me')).status).toBe(401);
    expect((await revoked.post(`/fapi/v1/client/sessions/${id}/tokens`, {})).status).toBe(401);
    expect((await kept.get('/fapi/v1/me')).status).toBe(200);
    const left = await clerk.sessions.getSessionList({ userId: user.id });
    expect(left.data.map((s) => s.id)).not.toContain(id);
    expect(left.totalCount).toBe(1);

    const again = await clerk.sessions.revokeSession(id).catch((e: unknown) => e);
    expect(isClerkAPIResponseError(again) && again.status).toBe(404);
  });

  it('a list names a user or a client, and refuses unknown parameters', async () => {
    const missing = await t.bapi('GET', '/v1/sessions');
    expect(missing.status).toBe(422);
    expect((await json(missing)).errors[0]).toMatchObject({
      code: 'form_param_missing',
      meta: { param_name: 'user_id' },
    });
    const unknown = await t.bapi('GET', '/v1/sessions?user_id=user_x&colour=red');
    expect(unknown.status).toBe(422);
    expect((await json(unknown)).errors[0].code).toBe('form_param_unknown');
    expect((await t.bapi('GET', '/v1/sessions?user_id=user_x&status=ended')).status).toBe(422);
    // Without the secret key, nothing.
    const anonymous = await t.roster.app.request('http://roster.test/v1/sessions?user_id=user_x');
    expect(anonymous.status).toBe(401);
  });
});
