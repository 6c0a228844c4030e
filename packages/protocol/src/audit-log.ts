import { z } from 'zod';
import { webhookEventType } from './webhooks.js';

/**
 * One audit log entry: a change, who made it, from where, and the object as it left it (the same
 * JSON the Backend API returns, as a webhook's `data`).
 *
 * @example
 * ```ts
 * import type { AuditLogEntryJSON } from '@roster/protocol';
 * const who = (e: AuditLogEntryJSON) => (e.actor.type === 'user' ? e.actor.id : e.actor.type);
 * ```
 */
export const auditLogEntryJSON = z.object({
  object: z.literal('audit_log_entry'),
  id: z.string(),
  type: webhookEventType,
  organization_id: z.string().nullable(),
  actor: z.object({ type: z.enum(['user', 'secret_key', 'system']), id: z.string().nullable() }),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: z.number().int(),
});
export type AuditLogEntryJSON = z.infer<typeof auditLogEntryJSON>;

/**
 * Query of the audit log lists: `type` (repeatable) and `actor` (a user id, `secret_key` or `system`)
 * filter; newest first.
 *
 * @example
 * ```ts
 * auditLogQuery.parse({ limit: '20', type: ['organizationInvitation.accepted'] }).limit; // 20
 * ```
 */
export const auditLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(10),
  offset: z.coerce.number().int().min(0).default(0),
  type: z.array(webhookEventType).max(20).optional(),
  actor: z.string().min(1).max(64).optional(),
});
