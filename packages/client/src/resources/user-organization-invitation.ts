import type {
  InvitationStatus,
  OrganizationMembershipJSON,
  PublicOrganizationDataJSON,
  RoleKey,
  UserOrganizationInvitationJSON,
} from '@roster/protocol';
import type { Transport } from '../http.js';
import { dateOf } from '../types.js';

/**
 * The public face of an organization, as an invitee sees it before joining.
 *
 * @example
 * ```ts
 * invitation.publicOrganizationData.name; // 'Acme'
 * ```
 */
export interface PublicOrganizationData {
  id: string;
  name: string;
  slug: string;
  imageUrl: string;
  hasImage: boolean;
}

export function publicOrganizationDataOf(json: PublicOrganizationDataJSON): PublicOrganizationData {
  return { id: json.id, name: json.name, slug: json.slug, imageUrl: json.image_url, hasImage: json.has_image };
}

/**
 * An invitation sent to one of the signed-in user's verified addresses (Clerk's
 * `UserOrganizationInvitationResource`). Accept or decline it in the app, without the email link.
 *
 * @example
 * ```ts
 * const { data } = await client.getUserInvitations();
 * for (const invitation of data) {
 *   if (invitation.publicOrganizationData.name === 'Acme') await invitation.accept();
 *   else await invitation.decline();
 * }
 * ```
 */
export class UserOrganizationInvitation {
  id: string;
  emailAddress: string;
  publicOrganizationData: PublicOrganizationData;
  publicMetadata: Record<string, unknown>;
  role: RoleKey;
  roleName: string;
  status: InvitationStatus;
  /** Roster's addition: `true` when `status` is `revoked` because the invitee declined (not an admin's revoke). */
  declined: boolean;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: UserOrganizationInvitationJSON) {
    this.#http = http;
    this.id = json.id;
    this.emailAddress = json.email_address;
    this.publicOrganizationData = publicOrganizationDataOf(json.public_organization_data);
    this.publicMetadata = json.public_metadata;
    this.role = json.role;
    this.roleName = json.role_name;
    this.status = json.status;
    this.declined = json.declined;
    this.expiresAt = dateOf(json.expires_at);
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  get #path(): string {
    return `/me/organization_invitations/${encodeURIComponent(this.id)}`;
  }

  /**
   * Joins the organization with the invited role. As in Clerk, resolves with this invitation
   * (now `accepted`); the new membership shows up in `client.getOrganizationMemberships()`.
   *
   * @example
   * ```ts
   * await invitation.accept();
   * await client.setActive({ organization: invitation.publicOrganizationData.id });
   * ```
   */
  async accept(): Promise<this> {
    await this.#http.request<OrganizationMembershipJSON>('POST', `${this.#path}/accept`);
    this.status = 'accepted';
    this.updatedAt = new Date();
    this.#http.emit({ kind: 'invitation_accepted', organizationId: this.publicOrganizationData.id });
    return this;
  }

  /**
   * Declines the invitation (a Roster addition): it is revoked and its link stops working.
   *
   * @example
   * ```ts
   * await invitation.decline();
   * invitation.status; // 'revoked'
   * invitation.declined; // true (an admin's revoke leaves it false)
   * ```
   */
  async decline(): Promise<this> {
    const json = await this.#http.request<UserOrganizationInvitationJSON>('POST', `${this.#path}/decline`);
    Object.assign(this, new UserOrganizationInvitation(this.#http, json));
    this.#http.emit({ kind: 'invitation_declined', organizationId: this.publicOrganizationData.id });
    return this;
  }
}
