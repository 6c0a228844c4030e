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
 * Options of `invitation.resend()`.
 *
 * @example
 * ```ts
 * const params: ResendInvitationParams = { expiresInDays: 14 };
 * ```
 */
export interface ResendInvitationParams {
  /** Days from now until the invitation expires (1 to 365); the server's default when not given. */
  expiresInDays?: number;
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
   * Mails the invitation again with a new link (the previously mailed link stops working), keeping
   * its role and metadata. Works for `pending` and `expired` invitations (an expired one is renewed,
   * back to `pending`); `expiresInDays` counts from now (the server's default when not given).
   * Accepted or revoked ones throw `RosterAPIError` (`invitation_already_accepted`,
   * `invitation_revoked`); more than 3 resends an hour throw `too_many_requests`. Updates this
   * object (`status`, `expiresAt`, `emailDelivery`) and returns it; in the browser `url` stays null.
   *
   * @example
   * ```ts
   * await invitation.resend({ expiresInDays: 7 });
   * invitation.emailDelivery.status; // 'queued'
   * ```
   */
  async resend(params: ResendInvitationParams = {}): Promise<this> {
    const json = await this.#http.request<OrganizationInvitationJSON>('POST', `${this.#path}/resend`, {
      body: params.expiresInDays === undefined ? {} : { expires_in_days: params.expiresInDays },
    });
    Object.assign(this, new OrganizationInvitation(this.#http, json));
    this.#http.emit({ kind: 'invitation_resent', organizationId: this.organizationId });
    return this;
  }

  /**
   * Copy-link: makes a new link to this pending invitation for an admin to share (the previous
   * shared link stops working; the mailed one keeps working). The link lets its holder join but
   * proves nothing: a new account made from it must confirm the address with a code mailed to it,
   * and an existing account must hold the address verified (decision 029). Also sets `url`.
   *
   * @example
   * ```ts
   * await navigator.clipboard.writeText(await invitation.createLink());
   * ```
   */
  async createLink(): Promise<string> {
    const json = await this.#http.request<OrganizationInvitationJSON>('POST', `${this.#path}/link`);
    Object.assign(this, new OrganizationInvitation(this.#http, json));
    return this.url!;
  }

  /** The invitation's path on the Frontend API. */
  get #path(): string {
    return `/organizations/${encodeURIComponent(this.organizationId)}/invitations/${encodeURIComponent(this.id)}`;
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
