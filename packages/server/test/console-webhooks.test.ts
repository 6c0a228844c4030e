import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, PUBLIC_URL, startTestRoster, type TestRoster } from './support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/** The console's webhook screens through the real app, a real receiver and the real dispatcher. */

let t: TestRoster;
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  t = await startTestRoster({
    env: { ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' },
    overrides: { webhookOptions: { pollMs: 20 } },
  });
});
afterEach(async () => {
  await t.close();
  await receiver.close();
});

async function consoleCookie(): Promise<string> {
  const res = await t.roster.app.request(`${PUBLIC_URL}/console/sign-in`, {
    method: 'POST',
    headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ secret_key: t.roster.secretKey }).toString(),
  });
  return (res.headers.getSetCookie().find((c) => c.startsWith('__roster_console=')) ?? '').split(';')[0] ?? '';
}
const get = (cookie: string, path: string) => t.roster.app.request(`${PUBLIC_URL}${path}`, { headers: { cookie } });
const post = (cookie: string, path: string, origin = PUBLIC_URL) =>
  t.roster.app.request(`${PUBLIC_URL}${path}`, { method: 'POST', headers: { cookie, origin } });

describe('operator console: webhooks', () => {
  it('lists endpoints, shows deliveries with attempts and response code, retries one, disables and enables, rotates the secret once', async () => {
    receiver.status = 500;
    const endpoint = await json(
      await t.bapi('POST', '/v1/webhook_endpoints', { url: receiver.url, description: 'App' }),
    );
    await t.bapi('POST', '/v1/users', { email_address: ['hooked@example.com'] });
    const deliveries = () =>
      t.bapi('GET', `/v1/webhook_endpoints/${endpoint.id}/deliveries`).then((r) => json(r)) as Promise<{
        data: { id: string; attempts: number; status: string }[];
      }>;
    const tried = await vi.waitFor(
      async () => {
        const d = await deliveries();
        expect(d.data[0]?.attempts).toBe(1);
        return d;
      },
      { timeout: 5000, interval: 25 },
    );
    const cookie = await consoleCookie();

    const list = await (await get(cookie, '/console/webhooks')).text();
    expect(list).toContain(`href="/console/webhooks/${endpoint.id}"`);
    expect(list).toContain('failing');
    const detail = await (await get(cookie, `/console/webhooks/${endpoint.id}`)).text();
    expect(detail).toContain('user.created');
    expect(detail).toContain('<td>500</td>');
    expect(detail).not.toContain(String(endpoint.secret));

    receiver.status = 200;
    const deliveryId = tried.data[0]!.id;
    expect(
      (await post(cookie, `/console/webhooks/${endpoint.id}/deliveries/${deliveryId}/retry`, 'https://evil.test'))
        .status,
    ).toBe(403);
    const retried = await post(cookie, `/console/webhooks/${endpoint.id}/deliveries/${deliveryId}/retry`);
    expect(retried.status).toBe(303);
    expect(await (await get(cookie, retried.headers.get('location')!)).text()).toContain('Delivery queued again');
    t.roster.webhooks.kick();
    await vi.waitFor(async () => expect((await deliveries()).data[0]?.status).toBe('delivered'), {
      timeout: 5000,
      interval: 25,
    });
    expect((await post(cookie, `/console/webhooks/${endpoint.id}/deliveries/whd_nope/retry`)).status).toBe(404);

    const disabled = await post(cookie, `/console/webhooks/${endpoint.id}/disable`);
    expect(disabled.status).toBe(303);
    expect(await (await get(cookie, disabled.headers.get('location')!)).text()).toContain('<dd>disabled</dd>');
    expect((await json(await t.bapi('GET', `/v1/webhook_endpoints/${endpoint.id}`))).disabled).toBe(true);
    const enabled = await post(cookie, `/console/webhooks/${endpoint.id}/enable`);
    expect(await (await get(cookie, enabled.headers.get('location')!)).text()).toContain('Endpoint enabled');

    const rotated = await post(cookie, `/console/webhooks/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const shown = /<code>(whsec_[^<]+)<\/code>/.exec(await rotated.text())?.[1];
    expect(shown).toBeDefined();
    expect(shown).not.toBe(endpoint.secret);
    expect((await json(await t.bapi('GET', `/v1/webhook_endpoints/${endpoint.id}`))).secret).toBe(shown);
    expect(await (await get(cookie, `/console/webhooks/${endpoint.id}`)).text()).not.toContain(shown!);
    new Webhook(shown!); // a secret standardwebhooks takes

    expect((await get(cookie, '/console/webhooks/whe_nope')).status).toBe(404);
    expect((await get('', '/console/webhooks')).status).toBe(401);
  });
});
