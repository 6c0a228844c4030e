import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest, signIn } from './support/flows.js';
import { json } from './support/harness.js';

/** A signed-in request reads its session, user and addresses in one statement; nothing may be lost on the way. */
const t = freshRosterForEachTest();

describe('the signed-in user', () => {
  it('comes with every address, oldest first, and its names and metadata', async () => {
    const created = await json(
      await t.bapi('POST', '/v1/users', {
        email_address: ['first@example.com', 'second@example.com'],
        password: 'a long enough password',
        first_name: 'Ada',
        last_name: 'Lovelace',
        public_metadata: { plan: 'pro' },
      }),
    );
    const browser = await signIn(t, 'second@example.com');
    const { user: me } = await json(await browser.get('/fapi/v1/me'));
    expect(me.id).toBe(created.id);
    expect(me.first_name).toBe('Ada');
    expect(me.last_name).toBe('Lovelace');
    expect(me.public_metadata).toEqual({ plan: 'pro' });
    expect(me.email_addresses.map((e: { email_address: string }) => e.email_address)).toEqual(
      created.email_addresses.map((e: { email_address: string }) => e.email_address),
    );
    expect(me.email_addresses[0].id).toBe(me.primary_email_address_id);
    expect(
      me.email_addresses.every((e: { verification: { status: string } }) => e.verification.status === 'verified'),
    ).toBe(true);
  });
});
