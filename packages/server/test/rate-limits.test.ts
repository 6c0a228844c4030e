import { describe, expect, it } from 'vitest';
import {
  createUser,
  errorOf,
  freshRosterForEachTest,
  invite,
  invited,
  signedInUser,
  ticketOf,
} from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';

/**
 * Rate limits, set small through the environment: the request over the limit gets 429
 * `too_many_requests` with a whole-number Retry-After, and other keys keep their own budget.
 */

const t = freshRosterForEachTest({
  env: { ROSTER_INVITATIONS_PER_HOUR: '3', ROSTER_SIGN_IN_ATTEMPTS_PER_MINUTE: '3' },
});

async function expectLimited(res: Response, maxSeconds: number) {
  expect(await errorOf(res)).toMatchObject({ status: 429, code: 'too_many_requests' });
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
}

/** Sends requests until one is limited; returns how many were let through before it. */
async function untilLimited(send: (i: number) => Promise<Response>, max: number) {
  for (let i = 0; i < max; i++) {
    const res = await send(i);
    if (res.status === 429) return { allowed: i, limited: res };
    expect(res.status, `request ${i}`).toBeLessThan(500);
    await res.body?.cancel();
  }
  throw new Error(`no 429 within ${max} requests`);
}

describe('invitations per organization per hour', () => {
  it('the 4th create is refused with Retry-After, in either API; other organizations are unaffected', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    await invited(t, org.id, 'one@example.com');
    expect(
      (
        await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
          email_address: 'two@example.com',
          role: 'basic_member',
        })
      ).status,
    ).toBe(200);
    await invited(t, org.id, 'three@example.com');

    await expectLimited(await invite(t, org.id, 'four@example.com'), 3600);
    await expectLimited(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'four@example.com',
        role: 'basic_member',
      }),
      3600,
    );
    await expectLimited(
      await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk`, [
        { email_address: 'five@example.com', role: 'basic_member' },
      ]),
      3600,
    );
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations`))).total_count).toBe(3);

    const other = await seedOrganization(t, { name: 'Other' });
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) await invited(t, other.org.id, email);
    await expectLimited(await invite(t, other.org.id, 'd@example.com'), 3600);
  });

  it('a bulk create counts each address, and one that does not fit is refused whole', async () => {
    const { org } = await seedOrganization(t);
    const two = await t.bapi(
      'POST',
      `/v1/organizations/${org.id}/invitations/bulk`,
      ['x@example.com', 'y@example.com'].map((email_address) => ({ email_address, role: 'basic_member' })),
    );
    expect((await json(two)).data).toHaveLength(2);
    await expectLimited(
      await t.bapi(
        'POST',
        `/v1/organizations/${org.id}/invitations/bulk`,
        ['z1@example.com', 'z2@example.com'].map((email_address) => ({ email_address, role: 'basic_member' })),
      ),
      3600,
    );
    expect((await invite(t, org.id, 'z1@example.com')).status).toBe(200);
  });

  it('requests refused for lack of permission do not spend the organization’s budget', async () => {
    const { org } = await seedOrganization(t);
    const { browser: outsider } = await signedInUser(t, 'outsider@example.com');
    for (let i = 0; i < 5; i++) {
      const res = await outsider.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: `spam${i}@example.com`,
        role: 'basic_member',
      });
      expect(await errorOf(res)).toMatchObject({ status: 403, code: 'not_a_member_in_organization' });
    }
    for (const email of ['real1@example.com', 'real2@example.com', 'real3@example.com']) {
      expect((await invite(t, org.id, email)).status).toBe(200);
    }
  });
});

describe('sign-in attempts per client', () => {
  it('the 4th attempt in a minute is refused, even with the right password', async () => {
    await createUser(t, 'user@example.com', 'the right password');
    const attempt = (password: string) =>
      t.browser().post('/fapi/v1/client/sign_ins', { identifier: 'user@example.com', password });
    expect((await attempt('wrong password 1')).status).toBe(422);
    expect((await attempt('wrong password 2')).status).toBe(422);
    expect((await attempt('the right password')).status).toBe(200);
    await expectLimited(await attempt('the right password'), 60);
    // Another account from the same client is limited too: the budget is the client's.
    await createUser(t, 'other@example.com');
    await expectLimited(
      await t
        .browser()
        .post('/fapi/v1/client/sign_ins', { identifier: 'other@example.com', password: 'a long enough password' }),
      60,
    );
  });

  it('signing in from an invitation link spends the same budget', async () => {
    const { org } = await seedOrganization(t); // one sign-in
    await createUser(t, 'linked@example.com', 'the right password');
    const inv = await invited(t, org.id, 'linked@example.com');
    const ticket = ticketOf(inv.url);
    expect((await t.browser().post('/fapi/v1/tickets/sign_in', { ticket, password: 'nope nope' })).status).toBe(422);
    const page = await t.browser().fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_in', password: 'nope nope' },
    });
    expect(page.status).toBe(422);
    await page.text();
    await expectLimited(
      await t.browser().post('/fapi/v1/tickets/sign_in', { ticket, password: 'the right password' }),
      60,
    );
    const limitedPage = await t.browser().fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_in', password: 'the right password' },
    });
    expect(limitedPage.status).toBe(429);
    expect(await limitedPage.text()).toContain('Too many requests');
  });
});

describe('invitation links', () => {
  it('accepting links is limited per client', async () => {
    const { browser } = await signedInUser(t, 'prober@example.com');
    const { allowed, limited } = await untilLimited(
      (i) => browser.post('/fapi/v1/tickets/accept', { ticket: `not-a-real-ticket-${i}` }),
      200,
    );
    expect(allowed).toBeGreaterThan(0);
    await expectLimited(limited, 60);
  });

  it('looking links up (preview and page) is limited per client', async () => {
    const { allowed, limited } = await untilLimited(
      (i) => t.browser().get(`/fapi/v1/tickets/preview?ticket=probe-${i}`),
      200,
    );
    expect(allowed).toBeGreaterThan(0);
    await expectLimited(limited, 60);
    const page = await t.browser().get('/accept-invitation?ticket=probe-x');
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('signing up from links is limited per client', async () => {
    const { allowed, limited } = await untilLimited(
      (i) => t.browser().post('/fapi/v1/tickets/sign_up', { ticket: `probe-${i}`, password: 'a long enough password' }),
      200,
    );
    expect(allowed).toBeGreaterThan(0);
    await expectLimited(limited, 60);
  });

  it('accepting invitations in the app is limited per account', async () => {
    const { browser } = await signedInUser(t, 'clicker@example.com');
    const { allowed, limited } = await untilLimited(
      (i) => browser.post(`/fapi/v1/me/organization_invitations/orginv_missing${i}/accept`),
      200,
    );
    expect(allowed).toBeGreaterThan(0);
    await expectLimited(limited, 60);
  });
});

describe('sign-up codes', () => {
  it('starting sign-ups and checking codes is limited per client', async () => {
    const { allowed, limited } = await untilLimited(
      (i) =>
        t.browser().post('/fapi/v1/client/sign_ups/verify', { email_address: `probe${i}@example.com`, code: '123456' }),
      200,
    );
    expect(allowed).toBeGreaterThan(0);
    await expectLimited(limited, 3600);
    await expectLimited(
      await t
        .browser()
        .post('/fapi/v1/client/sign_ups', { email_address: 'fresh@example.com', password: 'a long enough password' }),
      3600,
    );
  });
});
