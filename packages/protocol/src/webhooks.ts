import { z } from 'zod';

/**
 * The event types a webhook endpoint can subscribe to: Clerk's names, plus the invitation endings
 * Clerk lacks (`organizationInvitation.expired`, `.declined`).
 *
 * @example
 * ```ts
 * import { WEBHOOK_EVENT_TYPES } from '@roster/protocol';
 * WEBHOOK_EVENT_TYPES.includes('organizationMembership.created'); // true
 * ```
 */
export const WEBHOOK_EVENT_TYPES = [
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organizationMembership.created',
  'organizationMembership.updated',
  'organizationMembership.deleted',
  'organizationInvitation.created',
  'organizationInvitation.accepted',
  'organizationInvitation.revoked',
  'organizationInvitation.declined',
  'organizationInvitation.expired',
  'user.created',
  'user.updated',
  'user.deleted',
  'session.created',
  'session.ended',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'organizationDomain.created',
  'organizationDomain.updated',
  'organizationDomain.deleted',
  'organizationSuggestion.created',
  'organizationSuggestion.accepted',
  'organizationMembershipRequest.created',
  'organizationMembershipRequest.accepted',
  'organizationMembershipRequest.rejected',
  'email.delivered',
  'email.failed',
] as const;
export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventType>;

/**
 * Body of `POST /v1/webhook_endpoints`. An empty or missing `enabled_events` subscribes to every type.
 *
 * @example
 * ```ts
 * createWebhookEndpointBody.parse({ url: 'https://app.example/webhooks', enabled_events: ['user.created'] });
 * ```
 */
export const createWebhookEndpointBody = z.strictObject({
  url: z.string().min(1).max(2048),
  enabled_events: z.array(webhookEventType).max(WEBHOOK_EVENT_TYPES.length).optional(),
  description: z.string().max(512).nullish(),
});

/**
 * Body of `PATCH /v1/webhook_endpoints/{id}`: what is given changes; `disabled: false` re-enables an
 * endpoint that was disabled after failing.
 *
 * @example
 * ```ts
 * updateWebhookEndpointBody.parse({ disabled: false });
 * ```
 */
export const updateWebhookEndpointBody = z.strictObject({
  url: z.string().min(1).max(2048).optional(),
  enabled_events: z.array(webhookEventType).max(WEBHOOK_EVENT_TYPES.length).optional(),
  description: z.string().max(512).nullish(),
  disabled: z.boolean().optional(),
});

/**
 * A webhook endpoint as the Backend API answers it. `secret` (`whsec_…`) verifies signatures.
 *
 * @example
 * ```ts
 * const endpoint: WebhookEndpointJSON = await (await fetch(url, init)).json();
 * ```
 */
export const webhookEndpointJSON = z.object({
  object: z.literal('webhook_endpoint'),
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  enabled_events: z.array(webhookEventType),
  secret: z.string(),
  disabled: z.boolean(),
  failing_since: z.number().int().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type WebhookEndpointJSON = z.infer<typeof webhookEndpointJSON>;

export const webhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);

/**
 * One event's delivery to one endpoint. `id` is the `webhook-id` the receiver sees (stable over
 * retries); the response and timing are those of the last attempt.
 *
 * @example
 * ```ts
 * const { data } = await (await fetch(`${url}/v1/webhook_endpoints/${id}/deliveries`, init)).json();
 * ```
 */
export const webhookDeliveryJSON = z.object({
  object: z.literal('webhook_delivery'),
  id: z.string(),
  endpoint_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: webhookDeliveryStatus,
  attempts: z.number().int(),
  next_attempt_at: z.number().int().nullable(),
  response_status_code: z.number().int().nullable(),
  response_body: z.string().nullable(),
  last_error: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  delivered_at: z.number().int().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type WebhookDeliveryJSON = z.infer<typeof webhookDeliveryJSON>;
