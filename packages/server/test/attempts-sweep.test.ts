import { describe, expect, it } from 'vitest';
import { DAY_MS, freshRosterForEachTest } from './support/flows.js';
import { json } from './support/harness.js';

/**
 * One sign-in attempt is stored per password-reset start (for unknown addresses too) and one
 * sign-up attempt per sign-up start; the expiry sweeper deletes them a day past their expiry.
 */

const t = freshRosterForEachTest();

async function rows(table: 'sign_in_attempts' | 'sign_up_attempts') {
  return t.roster.database.db.selectFrom(table).select(['id', 'expires_at']).orderBy('expires_at').execute();
}

async function age(table: 'sign_in_attempts' | 'sign_up_attempts', id: string, expiresAt: number) {
  await t.roster.database.db.updateTable(table).set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

describe('the expiry sweeper', () => {
  it('deletes sign-in and sign-up attempts a day past their expiry, and keeps the rest', async () => {
    const starts = async () => {
      const reset = await t.browser().post('/fapi/v1/client/sign_ins', { identifier: 'nobody@example.com' });
      expect(reset.status).toBe(200);
      const signUp = await t.browser().post('/fapi/v1/client/sign_ups', {
        email_address: `new-${Math.random().toString(36).slice(2, 8)}@example.com`,
        password: 'a long enough password',
      });
      expect(signUp.status).toBe(200);
      void (await json(signUp));
    };
    // Three of each: one long expired, one expired a minute ago (within the day), one live.
    for (let i = 0; i < 3; i++) await starts();
    const now = Date.now();
    for (const table of ['sign_in_attempts', 'sign_up_attempts'] as const) {
      const [old, recent] = await rows(table);
      await age(table, old!.id, now - 2 * DAY_MS);
      await age(table, recent!.id, now - 60_000);
    }

    await t.roster.sweeper.sweep();

    for (const table of ['sign_in_attempts', 'sign_up_attempts'] as const) {
      const left = await rows(table);
      expect(left).toHaveLength(2);
      expect(left.every((r) => Number(r.expires_at) > now - DAY_MS)).toBe(true);
    }
  });
});
