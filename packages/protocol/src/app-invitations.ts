import { z } from 'zod';
import { emailAddress, invitationStatus, metadataBody, paginationQuery } from './schemas.js';
import { metadataJSON } from './wire.js';

/**
 * Body of `POST /v1/invitations` (Backend API): invite someone to the application itself, with no
 * organization. Clerk's fields; `template_slug` is accepted and only `invitation` is known.
 *
 * @example
 * ```ts
 * import { createAppInvitationBody } from '@roster/protocol';
 * createAppInvitationBody.parse({ email_address: 'ada@example.com', ignore_existing: true });
 * ```
 */
export const createAppInvitationBody = z.strictObject({
  email_address: emailAddress,
  public_metadata: metadataBody,
  redirect_url: z.url().max(2048).nullish(),
  notify: z.boolean().nullish(),
  ignore_existing: z.boolean().nullish(),
  expires_in_days: z.number().int().min(1).max(365).nullish(),
  template_slug: z.enum(['invitation']).nullish(),
});
export type CreateAppInvitationBody = z.input<typeof createAppInvitationBody>;

/**
 * Body of `POST /v1/invitations/bulk`: 1 to 10 invitations, as Clerk limits it. All are created or
 * none is.
 *
 * @example
 * ```ts
 * import { createAppInvitationBulkBody } from '@roster/protocol';
 * createAppInvitationBulkBody.parse([{ email_address: 'a@example.com' }, { email_address: 'b@example.com' }]);
 * ```
 */
export const createAppInvitationBulkBody = z.array(createAppInvitationBody).min(1).max(10);

/** `order_by` of `GET /v1/invitations`: Clerk's fields, `+` (implied) or `-`. */
export const appInvitationOrder = z
  .enum([
    'created_at',
    '+created_at',
    '-created_at',
    'email_address',
    '+email_address',
    '-email_address',
    'expires_at',
    '+expires_at',
    '-expires_at',
  ])
  .default('-created_at');

/**
 * Query of `GET /v1/invitations`: one `status` (none: every status but `revoked`, as Clerk),
 * `query` (part of the address, or the id), `order_by`, paging. `@clerk/backend` always sends
 * `paginated=true`; without it the answer is a bare array, as Clerk's.
 *
 * @example
 * ```ts
 * import { appInvitationListQuery } from '@roster/protocol';
 * appInvitationListQuery.parse({ status: 'pending', order_by: 'email_address' }).limit; // 10
 * ```
 */
export const appInvitationListQuery = paginationQuery
  .extend({
    status: invitationStatus.optional(),
    query: z.string().max(320).optional(),
    order_by: appInvitationOrder,
    paginated: z.enum(['true', 'false']).optional(),
  })
  .strict();

/**
 * Clerk's application Invitation. `url`, the accept link, is in the create answers only (Roster
 * keeps no ticket it could show later: decision 021); like every shown link it proves no address.
 *
 * @example
 * ```ts
 * import { appInvitationJSON } from '@roster/protocol';
 * const inv = appInvitationJSON.parse(await (await fetch(url, init)).json());
 * inv.status; // 'pending'
 * ```
 */
export const appInvitationJSON = z.object({
  object: z.literal('invitation'),
  id: z.string(),
  email_address: z.string(),
  public_metadata: metadataJSON,
  revoked: z.boolean(),
  status: invitationStatus,
  url: z.string().optional(),
  redirect_url: z.string().nullable(),
  expires_at: z.number().int().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type AppInvitationJSON = z.infer<typeof appInvitationJSON>;
