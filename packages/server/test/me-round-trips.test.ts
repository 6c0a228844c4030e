import { describe, expect, it } from 'vitest';
import type { Store } from '../src/domain/store.js';
import { freshRosterForEachTest, signedInUser } from './support/flows.js';
import { json } from './support/harness.js';
import { recordingStore } from './support/recording-store.js';

/**
 * The signed-in user's own routes, counted on the store calls they make (the app's store is
 * swapped for a recording one for the request under test): `PATCH /fapi/v1/me` is the domain's
 * `updateUserProfile`, one transaction; the code-mail limit of an added address is spent inside
 * `prepareEmailAddressVerification`, which reads the address once; `GET /account` shows the user
 * its session was read with.
 */

const t = freshRosterForEachTest();

async function recorded<T>(work: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const calls: string[] = [];
  const store: Store = t.roster.deps.store;
  t.roster.deps.store = recordingStore(store, calls);
  try {
    return { result: await work(), calls };
  } finally {
    t.roster.deps.store = store;
  }
}

async function addAddress(browser: Awaited<ReturnType<typeof signedInUser>>['browser'], email: string) {
  const created = await browser.post('/fapi/v1/me/email_addresses', { email_address: email });
  expect(created.status).toBe(200);
  return (await json(created)).id as string;
}

describe('my account, in round trips', () => {
  it('PATCH /me changes names and primary address in one transaction', async () => {
    const { browser, user } = await signedInUser(t, 'ada@example.com');
    const primary = user.email_addresses[0].id;
    const { result, calls } = await recorded(() =>
      browser.patch('/fapi/v1/me', { first_name: 'Ada', last_name: 'Lovelace', primary_email_address_id: primary }),
    );
    expect(result.status).toBe(200);
    expect(await json(result)).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
    const writes = calls.filter((c) => /updateUser|setPrimaryEmailAddress/.test(c));
    expect(writes.sort()).toEqual(['tx:setPrimaryEmailAddress', 'tx:updateUser']);
  });

  it('PATCH /me refuses an added address as primary and changes nothing', async () => {
    const { browser } = await signedInUser(t, 'bea@example.com');
    const added = await addAddress(browser, 'bea@work.example');
    const refused = await browser.patch('/fapi/v1/me', { first_name: 'Changed', primary_email_address_id: added });
    expect(refused.status).toBe(403);
    expect((await json(refused)).errors[0].code).toBe('email_address_not_verified');
    expect((await json(await browser.get('/fapi/v1/me'))).user.first_name).toBeNull();
  });

  it('sending an added address its code reads it once, and still spends its per-address limit', async () => {
    const { browser } = await signedInUser(t, 'cy@example.com');
    const id = await addAddress(browser, 'cy@work.example');
    const send = () =>
      browser.post(`/fapi/v1/me/email_addresses/${id}/prepare_verification`, { strategy: 'email_code' });
    const { result, calls } = await recorded(send);
    expect(result.status).toBe(200);
    expect(calls.filter((c) => c === 'findPendingEmailAddress')).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    // The fifth and last from the account page; the sixth is refused on either path.
    const page = await browser.fetch('POST', `/account/email-addresses/${id}/send-code`, { form: {} });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('We sent a new code to cy@work.example.');
    const refused = await send();
    expect(refused.status).toBe(429);
    expect((await json(refused)).errors[0].code).toBe('too_many_requests');
    const pageRefused = await browser.fetch('POST', `/account/email-addresses/${id}/send-code`, { form: {} });
    expect(pageRefused.status).toBe(429);
  });

  it('GET /account reads the user only with the session', async () => {
    const { browser } = await signedInUser(t, 'dee@example.com');
    const { result, calls } = await recorded(() => browser.get('/account'));
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('dee@example.com');
    expect(calls.filter((c) => /^(tx:)?find(User|SessionByTokenHash)$/.test(c))).toEqual(['findSessionByTokenHash']);
  });
});
