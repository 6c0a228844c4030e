import type { SessionJSON } from '@roster/protocol';
import { dateOf } from '../types.js';

/**
 * The signed-in session. `lastActiveOrganizationId` is the organization chosen with `setActive`
 * (or created last); hooks treat it as the active organization.
 *
 * @example
 * ```ts
 * const { session } = await client.getMe();
 * session.lastActiveOrganizationId; // 'org_123' or null
 * ```
 */
export class Session {
  id: string;
  userId: string;
  status: 'active';
  expireAt: Date;
  lastActiveOrganizationId: string | null;
  createdAt: Date;

  constructor(json: SessionJSON) {
    this.id = json.id;
    this.userId = json.user_id;
    this.status = json.status;
    this.expireAt = dateOf(json.expire_at);
    this.lastActiveOrganizationId = json.last_active_organization_id;
    this.createdAt = dateOf(json.created_at);
  }
}
