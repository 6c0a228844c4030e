import type { WebhookDeps } from '../domain/webhooks/webhooks.js';

/** The id of the endpoint `ROSTER_WEBHOOK_URL` configures. */
export const CONFIGURED_ENDPOINT_ID = 'whe_configured';

/**
 * Makes the endpoint named by the environment exist as configured (URL, secret, every event,
 * enabled): created on first start, brought back in line on each start after. Its deliveries are
 * kept across restarts. The URL passes the same guard as the API's.
 */
export async function configureWebhookEndpoint(deps: WebhookDeps, webhook: { url: string; secret: string }) {
  await deps.checkUrl(webhook.url);
  const now = deps.now();
  const existing = await deps.store.findWebhookEndpoint(CONFIGURED_ENDPOINT_ID);
  await deps.store.upsertWebhookEndpoint({
    id: CONFIGURED_ENDPOINT_ID,
    url: webhook.url,
    description: 'Configured by ROSTER_WEBHOOK_URL',
    enabledEvents: [],
    sealedSecret: deps.secrets.seal(webhook.secret),
    disabled: false,
    failingSince: null,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  });
}
