import type { OpenAPIHono } from '@hono/zod-openapi';
import { type AuditLogEntryJSON, auditLogEntryJSON, auditLogQuery, pageJSON } from '@roster/protocol';
import { z } from 'zod';
import { listInstanceAuditLog, listOrganizationAuditLog } from '../domain/audit/audit-log.js';
import type { DomainEvent } from '../domain/events/events.js';
import type { Page } from '../domain/records.js';
import type { AppEnv } from './env.js';
import { defineRoute } from './route.js';

const tags = ['Audit log'];
const orgParams = z.object({ organization_id: z.string().max(128) });

function entryJSON(e: DomainEvent): AuditLogEntryJSON {
  const actor: AuditLogEntryJSON['actor'] =
    e.actor === 'secret_key' || e.actor === 'system' ? { type: e.actor, id: null } : { type: 'user', id: e.actor };
  return {
    object: 'audit_log_entry',
    id: e.id,
    type: e.type,
    organization_id: e.organizationId,
    actor,
    ip_address: e.ip,
    user_agent: e.userAgent,
    request_id: e.requestId,
    data: JSON.parse(e.payload) as Record<string, unknown>,
    created_at: e.createdAt,
  };
}

const pageOf = (page: Page<DomainEvent>) => ({ data: page.data.map(entryJSON), total_count: page.totalCount });

/** Private metadata is the app's server's alone (the Frontend API never shows it): drop it at every depth. */
function withoutPrivateMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrivateMetadata);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'private_metadata')
      .map(([key, v]) => [key, withoutPrivateMetadata(v)]),
  );
}

const query = (q: z.output<typeof auditLogQuery>) => ({
  limit: q.limit,
  offset: q.offset,
  ...(q.type && { types: q.type }),
  ...(q.actor && { actor: q.actor }),
});

/**
 * The audit log (the event stream, decision 022) in the Backend API: the instance's and an
 * organization's. Registered after the secret-key guard.
 */
export function registerBackendAuditLogRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/audit_log',
      summary: "The instance's audit log, newest first (filter by type, actor, organization)",
      tags,
      query: auditLogQuery.extend({ organization_id: z.string().max(64).optional() }),
      response: pageJSON(auditLogEntryJSON),
    },
    async (c, { query: q }) =>
      pageOf(
        await listInstanceAuditLog(c.var.auditLog, {
          ...query(q),
          ...(q.organization_id && { organizationId: q.organization_id }),
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/audit_log',
      summary: "An organization's audit log, newest first",
      tags,
      params: orgParams,
      query: auditLogQuery,
      response: pageJSON(auditLogEntryJSON),
    },
    async (c, { params, query: q }) =>
      pageOf(
        await listOrganizationAuditLog(
          c.var.deps,
          c.var.auditLog,
          { kind: 'secret_key' },
          params.organization_id,
          query(q),
        ),
      ),
  );
}

/** An organization's audit log for its admins, in the Frontend API (after the session middleware). */
export function registerFrontendAuditLogRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/audit_log',
      summary: "An organization's audit log, for its admins (org:sys_memberships:manage)",
      tags: ['Frontend: organizations'],
      params: orgParams,
      query: auditLogQuery,
      response: pageJSON(auditLogEntryJSON),
      security: 'session',
    },
    async (c, { params, query: q, user }) => {
      const page = pageOf(
        await listOrganizationAuditLog(
          c.var.deps,
          c.var.auditLog,
          { kind: 'user', userId: user.id, user },
          params.organization_id,
          query(q),
        ),
      );
      return { ...page, data: page.data.map((e) => ({ ...e, data: withoutPrivateMetadata(e.data) as typeof e.data })) };
    },
  );
}
