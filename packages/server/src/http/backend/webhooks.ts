import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createWebhookEndpointBody,
  pageJSON,
  paginationQuery,
  updateWebhookEndpointBody,
  type WebhookDeliveryJSON,
  type WebhookEndpointJSON,
  webhookDeliveryJSON,
  webhookDeliveryStatus,
  webhookEndpointJSON,
} from '@roster/protocol';
import { z } from 'zod';
import type { SecretBox } from '../../domain/deps.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  retryWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../../domain/webhooks/webhooks.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

const tags = ['Webhooks'];
const endpointParams = z.object({ id: z.string().max(64) });
const deliveryParams = endpointParams.extend({ delivery_id: z.string().max(128) });

function endpointJSON(e: WebhookEndpoint, secrets: SecretBox): WebhookEndpointJSON {
  return {
    object: 'webhook_endpoint',
    id: e.id,
    url: e.url,
    description: e.description,
    enabled_events: e.enabledEvents,
    secret: secrets.open(e.sealedSecret),
    disabled: e.disabled,
    failing_since: e.failingSince,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

function deliveryJSON(d: WebhookDelivery): WebhookDeliveryJSON {
  return {
    object: 'webhook_delivery',
    id: d.id,
    endpoint_id: d.endpointId,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? d.nextAttemptAt : null,
    response_status_code: d.responseStatus,
    response_body: d.responseBody,
    last_error: d.lastError,
    duration_ms: d.durationMs,
    delivered_at: d.deliveredAt,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/** Backend API webhook endpoints: CRUD, secret rotation, deliveries and their retry (decision 022). */
export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>) {
  const json = (c: { var: AppEnv['Variables'] }, e: WebhookEndpoint) => endpointJSON(e, c.var.deps.webhooks.secrets);

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/webhook_endpoints',
      summary: 'Create a webhook endpoint',
      tags,
      body: createWebhookEndpointBody,
      response: webhookEndpointJSON,
    },
    async (c, { body }) =>
      json(
        c,
        await createWebhookEndpoint(c.var.deps.webhooks, {
          url: body.url,
          ...(body.enabled_events && { enabledEvents: body.enabled_events }),
          description: body.description ?? null,
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/webhook_endpoints',
      summary: 'List webhook endpoints',
      tags,
      query: paginationQuery.strict(),
      response: pageJSON(webhookEndpointJSON),
    },
    async (c, { query }) => {
      const page = await listWebhookEndpoints(c.var.deps.webhooks, query);
      return { data: page.data.map((e) => json(c, e)), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/webhook_endpoints/:id',
      summary: 'Get a webhook endpoint',
      tags,
      params: endpointParams,
      response: webhookEndpointJSON,
    },
    async (c, { params }) => json(c, await getWebhookEndpoint(c.var.deps.webhooks, params.id)),
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/webhook_endpoints/:id',
      summary: 'Update a webhook endpoint',
      tags,
      params: endpointParams,
      body: updateWebhookEndpointBody,
      response: webhookEndpointJSON,
    },
    async (c, { params, body }) =>
      json(
        c,
        await updateWebhookEndpoint(c.var.deps.webhooks, params.id, {
          ...(body.url !== undefined && { url: body.url }),
          ...(body.enabled_events !== undefined && { enabledEvents: body.enabled_events }),
          ...(body.description !== undefined && { description: body.description }),
          ...(body.disabled !== undefined && { disabled: body.disabled }),
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/webhook_endpoints/:id',
      summary: 'Delete a webhook endpoint and its deliveries',
      tags,
      params: endpointParams,
      response: webhookEndpointJSON,
    },
    async (c, { params }) => json(c, await deleteWebhookEndpoint(c.var.deps.webhooks, params.id)),
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/webhook_endpoints/:id/rotate_secret',
      summary: "Replace a webhook endpoint's signing secret",
      tags,
      params: endpointParams,
      response: webhookEndpointJSON,
    },
    async (c, { params }) => json(c, await rotateWebhookSecret(c.var.deps.webhooks, params.id)),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/webhook_endpoints/:id/deliveries',
      summary: "List a webhook endpoint's deliveries, newest first",
      tags,
      params: endpointParams,
      query: paginationQuery.extend({ status: webhookDeliveryStatus.optional() }).strict(),
      response: pageJSON(webhookDeliveryJSON),
    },
    async (c, { params, query }) => {
      await getWebhookEndpoint(c.var.deps.webhooks, params.id);
      const page = await listWebhookDeliveries(c.var.deps.webhooks, {
        endpointId: params.id,
        limit: query.limit,
        offset: query.offset,
        ...(query.status && { status: query.status }),
      });
      return { data: page.data.map(deliveryJSON), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/webhook_endpoints/:id/deliveries/:delivery_id/retry',
      summary: 'Send a delivery again now (same webhook-id), its retry schedule restarted',
      tags,
      params: deliveryParams,
      response: webhookDeliveryJSON,
    },
    async (c, { params }) =>
      deliveryJSON(await retryWebhookDelivery(c.var.deps.webhooks, params.id, params.delivery_id)),
  );
}
