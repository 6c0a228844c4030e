import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with
 * the secret's base64 part. Sent under both header names, `webhook-*` (Standard Webhooks) and
 * `svix-*` (what Clerk's `verifyWebhook` reads), so either verifier accepts it unchanged.
 */
export function signedHeaders(options: {
  secret: string;
  id: string;
  /** Unix seconds of the attempt. */
  timestamp: Date;
  body: string;
}): Record<string, string> {
  const signature = new Webhook(options.secret).sign(options.id, options.timestamp, options.body);
  const seconds = String(Math.floor(options.timestamp.getTime() / 1000));
  return {
    'webhook-id': options.id,
    'webhook-timestamp': seconds,
    'webhook-signature': signature,
    'svix-id': options.id,
    'svix-timestamp': seconds,
    'svix-signature': signature,
  };
}
