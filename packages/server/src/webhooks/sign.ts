import { createHmac } from 'node:crypto';

/** Signs one delivery: the headers that go with its body. */
export type WebhookSigner = (options: { id: string; timestamp: Date; body: string }) => Record<string, string>;

/**
 * Standard Webhooks signing: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with
 * the secret's base64 part (after `whsec_`), the timestamp in Unix seconds. Sent under both header
 * names, `webhook-*` (Standard Webhooks) and `svix-*` (what Clerk's `verifyWebhook` reads), so
 * either verifier accepts it unchanged. The key is decoded once per signer; node:crypto does the
 * HMAC (the `standardwebhooks` package's pure-JS SHA-256 cost ~10× more per delivery; its
 * verifier checks these signatures in the tests).
 */
export function webhookSigner(secret: string): WebhookSigner {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return ({ id, timestamp, body }) => {
    const seconds = String(Math.floor(timestamp.getTime() / 1000));
    const signature = `v1,${createHmac('sha256', key).update(`${id}.${seconds}.${body}`).digest('base64')}`;
    return {
      'webhook-id': id,
      'webhook-timestamp': seconds,
      'webhook-signature': signature,
      'svix-id': id,
      'svix-timestamp': seconds,
      'svix-signature': signature,
    };
  };
}
