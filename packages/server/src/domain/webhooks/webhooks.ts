import type { WebhookEventType } from '@roster/protocol';
import { newId, secureRandom } from '../crypto.js';
import type { SecretBox } from '../deps.js';
import { AppError } from '../errors.js';
import type { DomainEvent } from '../events/events.js';
import type { Page } from '../records.js';

/**
 * Webhook endpoints and their deliveries (decision 022). Every event becomes one delivery per
 * subscribed, enabled endpoint in the event's own statement (a database trigger); the webhook
 * dispatcher claims due deliveries under leases, as the mail dispatcher claims mail.
 */

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** Empty: every event type. */
  enabledEvents: WebhookEventType[];
  /** The signing secret (`whsec_…`), sealed with the instance's secret box. */
  sealedSecret: string;
  disabled: boolean;
  /** When the current run of failures began; null while the last attempt succeeded. */
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  /** Also the `webhook-id` the receiver sees: one per (event, endpoint), the same on every retry. */
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  responseStatus: number | null;
  responseBody: string | null;
  lastError: string | null;
  durationMs: number | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  event: DomainEvent;
  endpoint: WebhookEndpoint;
}

/** The outcome of one attempt, recorded only while the recorder still holds the claim. */
export interface DeliveryOutcome {
  id: string;
  endpointId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  responseStatus: number | null;
  responseBody: string | null;
  lastError: string | null;
  durationMs: number;
  deliveredAt: number | null;
}

/** What webhooks need from storage. */
export interface WebhookStore {
  createWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** Creates or replaces the endpoint with this id (the one configured by environment). */
  upsertWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  findWebhookEndpoint(id: string): Promise<WebhookEndpoint | null>;
  listWebhookEndpoints(options: { limit: number; offset: number }): Promise<Page<WebhookEndpoint>>;
  updateWebhookEndpoint(
    id: string,
    patch: Partial<Omit<WebhookEndpoint, 'id' | 'createdAt'>> & { updatedAt: number },
  ): Promise<boolean>;
  /** Deletes the endpoint with its deliveries. */
  deleteWebhookEndpoint(id: string): Promise<boolean>;
  listWebhookDeliveries(options: {
    endpointId: string;
    status?: WebhookDeliveryStatus;
    limit: number;
    offset: number;
  }): Promise<Page<WebhookDelivery>>;
  findWebhookDelivery(endpointId: string, id: string): Promise<WebhookDelivery | null>;
  /** Queues a delivery again for now, its attempts back to zero (a manual retry). False if not found. */
  requeueWebhookDelivery(endpointId: string, id: string, now: number): Promise<boolean>;
  /**
   * Claims up to `limit` due deliveries of enabled endpoints for `leaseMs` (rows another instance
   * holds are skipped), in event order.
   */
  claimWebhookDeliveries(options: {
    now: number;
    leaseMs: number;
    limit: number;
    owner: string;
  }): Promise<ClaimedDelivery[]>;
  /** Extends `owner`'s claims, where it still holds them; returns how many it kept. */
  renewWebhookLease(options: { ids: string[]; now: number; leaseMs: number; owner: string }): Promise<number>;
  /**
   * Records attempts' outcomes (each only while `owner` holds its claim) and each endpoint's
   * failure run: a success ends it, a failure starts it, and an endpoint failing for longer than
   * `disableAfterMs` is disabled. Returns the ids of endpoints this call disabled.
   */
  completeWebhookDeliveries(
    owner: string,
    outcomes: DeliveryOutcome[],
    options: { now: number; disableAfterMs: number },
  ): Promise<string[]>;
}

/** Checks an endpoint URL before it is stored (and before each send): `webhook_url_invalid`/`_private`. */
export type WebhookUrlCheck = (url: string) => Promise<void>;

export interface WebhookDeps {
  store: WebhookStore;
  secrets: SecretBox;
  now: () => number;
  checkUrl: WebhookUrlCheck;
}

/** A fresh signing secret: `whsec_` and 32 random bytes in base64 (Standard Webhooks' format). */
export function newWebhookSecret(): string {
  return `whsec_${secureRandom(32).toString('base64')}`;
}

/** The webhook endpoints, one page. */
export function listWebhookEndpoints(
  deps: WebhookDeps,
  options: Parameters<WebhookStore['listWebhookEndpoints']>[0],
): Promise<Page<WebhookEndpoint>> {
  return deps.store.listWebhookEndpoints(options);
}

/** An endpoint's deliveries, one page (filtered by status if asked). */
export function listWebhookDeliveries(
  deps: WebhookDeps,
  options: Parameters<WebhookStore['listWebhookDeliveries']>[0],
): Promise<Page<WebhookDelivery>> {
  return deps.store.listWebhookDeliveries(options);
}

export async function getWebhookEndpoint(deps: WebhookDeps, id: string): Promise<WebhookEndpoint> {
  const endpoint = id.length <= 64 ? await deps.store.findWebhookEndpoint(id) : null;
  if (!endpoint) throw new AppError('webhook_endpoint_not_found', { meta: { id: id.slice(0, 64) } });
  return endpoint;
}

export async function createWebhookEndpoint(
  deps: WebhookDeps,
  input: { url: string; enabledEvents?: WebhookEventType[]; description?: string | null },
): Promise<WebhookEndpoint> {
  await deps.checkUrl(input.url);
  const now = deps.now();
  const endpoint: WebhookEndpoint = {
    id: newId('whe'),
    url: input.url,
    description: input.description ?? null,
    enabledEvents: [...new Set(input.enabledEvents ?? [])],
    sealedSecret: deps.secrets.seal(newWebhookSecret()),
    disabled: false,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.createWebhookEndpoint(endpoint);
  return endpoint;
}

export async function updateWebhookEndpoint(
  deps: WebhookDeps,
  id: string,
  input: { url?: string; enabledEvents?: WebhookEventType[]; description?: string | null; disabled?: boolean },
): Promise<WebhookEndpoint> {
  await getWebhookEndpoint(deps, id);
  if (input.url !== undefined) await deps.checkUrl(input.url);
  const updated = await deps.store.updateWebhookEndpoint(id, {
    ...(input.url !== undefined && { url: input.url }),
    ...(input.enabledEvents !== undefined && { enabledEvents: [...new Set(input.enabledEvents)] }),
    ...(input.description !== undefined && { description: input.description }),
    // Re-enabling starts a new failure run.
    ...(input.disabled !== undefined && { disabled: input.disabled, failingSince: null }),
    updatedAt: deps.now(),
  });
  if (!updated) throw new AppError('webhook_endpoint_not_found', { meta: { id } });
  return getWebhookEndpoint(deps, id);
}

export async function rotateWebhookSecret(deps: WebhookDeps, id: string): Promise<WebhookEndpoint> {
  await getWebhookEndpoint(deps, id);
  await deps.store.updateWebhookEndpoint(id, {
    sealedSecret: deps.secrets.seal(newWebhookSecret()),
    updatedAt: deps.now(),
  });
  return getWebhookEndpoint(deps, id);
}

export async function deleteWebhookEndpoint(deps: WebhookDeps, id: string): Promise<WebhookEndpoint> {
  const endpoint = await getWebhookEndpoint(deps, id);
  await deps.store.deleteWebhookEndpoint(id);
  return endpoint;
}

export async function retryWebhookDelivery(
  deps: WebhookDeps,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  await getWebhookEndpoint(deps, endpointId);
  const requeued =
    deliveryId.length <= 128 && (await deps.store.requeueWebhookDelivery(endpointId, deliveryId, deps.now()));
  const delivery = requeued ? await deps.store.findWebhookDelivery(endpointId, deliveryId) : null;
  if (!delivery) throw new AppError('webhook_delivery_not_found', { meta: { id: deliveryId.slice(0, 128) } });
  return delivery;
}
