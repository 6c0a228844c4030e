import type { OrganizationMembershipJSON, Permission, RoleKey } from '@roster/protocol';
import type { Transport } from '../http.js';
import { dateOf, type RoleInput } from '../types.js';
import { Organization } from './organization.js';

/**
 * The public profile of a member, as other members see it.
 *
 * @example
 * ```ts
 * membership.publicUserData.identifier; // 'ada@example.com'
 * ```
 */
export interface PublicUserData {
  userId: string;
  firstName: string | null;
  lastName: string | null;
  /** The member's primary email address. */
  identifier: string;
  imageUrl: string;
  hasImage: boolean;
}

/** Internal: `public_user_data` of a membership or a request to join, in the client's names. */
export function publicUserDataOf(
  json: Omit<OrganizationMembershipJSON['public_user_data'], 'username'>,
): PublicUserData {
  return {
    userId: json.user_id,
    firstName: json.first_name,
    lastName: json.last_name,
    identifier: json.identifier,
    imageUrl: json.image_url,
    hasImage: json.has_image,
  };
}

/**
 * A user's membership in an organization (Clerk's `OrganizationMembershipResource`).
 *
 * @example
 * ```ts
 * const { data } = await organization.getMemberships();
 * for (const m of data) console.log(m.publicUserData.identifier, m.roleName);
 * await data[1]?.update({ role: 'org:admin' });
 * ```
 */
export class OrganizationMembership {
  id: string;
  role: RoleKey;
  roleName: string;
  permissions: Permission[];
  publicMetadata: Record<string, unknown>;
  organization: Organization;
  publicUserData: PublicUserData;
  createdAt: Date;
  updatedAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: OrganizationMembershipJSON) {
    this.#http = http;
    this.id = json.id;
    this.role = json.role;
    this.roleName = json.role_name;
    this.permissions = json.permissions;
    this.publicMetadata = json.public_metadata;
    this.organization = new Organization(http, json.organization);
    this.publicUserData = publicUserDataOf(json.public_user_data);
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  get #path(): string {
    return `/organizations/${encodeURIComponent(this.organization.id)}/memberships/${encodeURIComponent(this.publicUserData.userId)}`;
  }

  /**
   * Changes this member's role (needs `org:sys_memberships:manage`). Updates this object.
   *
   * @example
   * ```ts
   * await membership.update({ role: 'org:admin' });
   * ```
   */
  async update(params: { role: RoleInput }): Promise<this> {
    const json = await this.#http.request<OrganizationMembershipJSON>('PATCH', this.#path, {
      body: { role: params.role },
    });
    Object.assign(this, new OrganizationMembership(this.#http, json));
    this.#http.emit({ kind: 'membership_updated', organizationId: this.organization.id });
    return this;
  }

  /**
   * Removes this member from the organization; on your own membership, leaves it.
   *
   * @example
   * ```ts
   * await membership.destroy();
   * ```
   */
  async destroy(): Promise<this> {
    await this.#http.request<OrganizationMembershipJSON>('DELETE', this.#path);
    this.#http.emit({ kind: 'membership_removed', organizationId: this.organization.id });
    return this;
  }
}
