import type { SessionJSON, SessionWithActivitiesJSON } from '@roster/protocol';
import type { Transport } from '../http.js';
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

/**
 * Where a session was started (Clerk's `SessionActivity`): what its browser's user agent and IP
 * tell. City and country are null (Roster does no IP geolocation).
 */
export interface SessionActivity {
  id: string;
  browserName: string | null;
  browserVersion: string | null;
  deviceType: string | null;
  ipAddress: string | null;
  city: string | null;
  country: string | null;
  isMobile: boolean;
}

/**
 * One of the signed-in user's sessions, on this or another device (Clerk's `SessionWithActivities`).
 *
 * @example
 * ```ts
 * const sessions = await user.getSessions();
 * await sessions.find((s) => s.id !== session.id)?.revoke(); // sign out of another device
 * ```
 */
export class SessionWithActivities {
  id: string;
  status: 'active' | 'revoked';
  expireAt: Date;
  lastActiveAt: Date;
  latestActivity: SessionActivity;
  createdAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: SessionWithActivitiesJSON) {
    this.#http = http;
    this.id = json.id;
    this.status = json.status;
    this.expireAt = dateOf(json.expire_at);
    this.lastActiveAt = dateOf(json.last_active_at);
    const a = json.latest_activity;
    this.latestActivity = {
      id: a.id,
      browserName: a.browser_name,
      browserVersion: a.browser_version,
      deviceType: a.device_type,
      ipAddress: a.ip_address,
      city: a.city,
      country: a.country,
      isMobile: a.is_mobile,
    };
    this.createdAt = dateOf(json.created_at);
  }

  /** Ends this session: the device it is on is signed out. Updates this object and returns it. */
  async revoke(): Promise<this> {
    const json = await this.#http.request<SessionWithActivitiesJSON>(
      'POST',
      `/me/sessions/${encodeURIComponent(this.id)}/revoke`,
    );
    this.status = json.status;
    this.#http.emit({ kind: 'user_updated', organizationId: null });
    return this;
  }
}
