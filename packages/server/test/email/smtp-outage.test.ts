import { afterEach, describe, expect, it, vi } from 'vitest';
import { smtpTransport } from '../../src/email/transports.js';
import { json, seedOrganization, startTestRoster, type TestRoster } from '../support/harness.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

/**
 * "A mail server that is down delays mail and loses none": the SMTP server stops while mail is
 * waiting, invitations are created while it is down, and once it is back on the same port every
 * message arrives, once, without restarting Roster. Before the fix, refused connections left every
 * slot of the pooled transport taken and nothing went out again until a restart.
 */
describe('mail across an SMTP outage', () => {
  let t: TestRoster | null = null;
  let smtp: TestSmtp | null = null;

  afterEach(async () => {
    await t?.close();
    await smtp?.close();
    t = null;
    smtp = null;
  });

  it('sends every message once after the server comes back on the same port', async () => {
    smtp = await startSmtp();
    const port = smtp.port;
    t = await startTestRoster({
      smtp,
      env: { ROSTER_RATE_LIMITS: 'false' },
      overrides: {
        now: Date.now, // backoff counts real time here
        transport: smtpTransport(smtp.url),
        dispatcherOptions: { pollMs: 50, leaseMs: 4_000, maxAttempts: 1_000, backoffMs: () => 200 },
      },
    });
    const { org } = await seedOrganization(t, { name: 'Outage' });
    const invite = async (email: string) => {
      const res = await t!.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
        email_address: email,
        role: 'org:member',
      });
      expect(res.status).toBe(200);
      return (await json(res)).id as string;
    };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await invite(`before-${i}@example.com`));
    await vi.waitFor(() => expect(smtp!.messages).toHaveLength(5), { timeout: 10_000, interval: 20 });

    // The server goes away with mail waiting; invitations keep being created meanwhile.
    await smtp.close();
    smtp = null;
    for (let i = 0; i < 50; i++) ids.push(await invite(`during-${i}@example.com`));
    // Far more refused connections than the pool has slots (10) before the server is back.
    await vi.waitFor(() => expect(t!.logs.filter((l) => l.includes('will retry')).length).toBeGreaterThanOrEqual(60), {
      timeout: 20_000,
      interval: 50,
    });

    smtp = await startSmtp(port);
    const back = smtp;
    const copies = (id: string) => back.messages.filter((m) => m.messageId === `<${id}@roster>`).length;
    await vi.waitFor(() => expect(ids.slice(5).filter((id) => copies(id) === 0)).toEqual([]), {
      timeout: 20_000,
      interval: 50,
    });
    // Every message recorded as sent, no claim left: no further copy can go out.
    await vi.waitFor(
      async () => {
        const delivery = await t!.roster.store.deliveryOf(ids);
        expect([...delivery.values()].map((d) => d.status)).toEqual(ids.map(() => 'sent'));
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(ids.slice(5).map(copies)).toEqual(ids.slice(5).map(() => 1));
    expect(back.messages).toHaveLength(50);
  }, 60_000);
});
