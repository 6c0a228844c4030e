import type { EmailDeliveryJSON, InvitationStatus, OrganizationInvitationJSON, RoleKey } from '@roster/protocol';
import type { Transport } from '../http.js';
import { dateOf } from '../types.js';

/**
 * Where an invitation's email stands: `queued`, `sent`, `failed` (after retries), or `not_sent`
 * (created with `notify: false`).
 *
 * @example
 * ```ts
 * if (invitation.emailDelivery.status === 'failed') console.warn(invitation.emailDelivery.lastError);
 * ```
 */
export interface EmailDelivery {
  status: EmailDeliveryJSON['status'];
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
}

/**
 * Who sent an invitation.
 *
 * @example
 * ```ts
 * invitation.publicInviterData?.identifier; // 'ada@example.com'
 * ```
 */
export interface PublicInviterData {
  userId: string;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string;
  hasImage: boolean;
  identifier: string;
}

/**
 * An invitation as an organization admin sees it (Clerk's `OrganizationInvitationResource`).
 *
 * @example
 * ```ts
 * const invitation = await organization.inviteMember({ emailAddress: 'ada@example.com', role: 'admin' });
 * invitation.status; // 'pending'
 * await invitation.revoke();
 * invitation.status; // 'revoked'
 * ```
 */
export class OrganizationInvitation {
  id: string;
  emailAddress: string;
  organizationId: string;
  role: RoleKey;
  roleName: string;
  status: InvitationStatus;
  /** Roster's addition: `true` when `status` is `revoked` because the invitee declined (not an admin's revoke). */
  declined: boolean;
  publicMetadata: Record<string, unknown>;
  inviterId: string | null;
  publicInviterData: PublicInviterData | null;
  /** Always null in the browser: only the invited mailbox gets the link (decision 021). The Backend API shows one to the app server. */
  url: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
  emailDelivery: EmailDelivery;
  readonly #http: Transport;

  constructor(http: Transport, json: OrganizationInvitationJSON) {
    this.#http = http;
    this.id = json.id;
    this.emailAddress = json.email_address;
    this.organizationId = json.organization_id;
    this.role = json.role;
    this.roleName = json.role_name;
    this.status = json.status;
    this.declined = json.declined;
    this.publicMetadata = json.public_metadata;
    this.inviterId = json.inviter_id;
    this.publicInviterData = json.public_inviter_data
      ? {
          userId: json.public_inviter_data.user_id,
          firstName: json.public_inviter_data.first_name,
          lastName: json.public_inviter_data.last_name,
          imageUrl: json.public_inviter_data.image_url,
          hasImage: json.public_inviter_data.has_image,
          identifier: json.public_inviter_data.identifier,
        }
      : null;
    this.url = json.url;
    this.expiresAt = dateOf(json.expires_at);
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
    this.emailDelivery = {
      status: json.email_delivery.status,
      attempts: json.email_delivery.attempts,
      lastError: json.email_delivery.last_error,
      sentAt: dateOf(json.email_delivery.sent_at),
    };
  }

  /**
   * Revokes the invitation (only pending ones can be); its link stops working. Updates this
   * object and returns it.
   *
   * @example
   * ```ts
   * await invitation.revoke();
   * ```
   */
  async revoke(): Promise<this> {
    const json = await this.#http.request<OrganizationInvitationJSON>(
      'POST',
      `/organizations/${encodeURIComponent(this.organizationId)}/invitations/${encodeURIComponent(this.id)}/revoke`,
    );
    Object.assign(this, new OrganizationInvitation(this.#http, json), { url: this.url });
    this.#http.emit({ kind: 'invitation_revoked', organizationId: this.organizationId });
    return this;
  }
}
