import type { OrganizationMembershipRequestJSON } from '@roster/protocol';
import type { Transport } from '../http.js';
import { dateOf, type MembershipRequestStatus } from '../types.js';
import { type PublicUserData, publicUserDataOf } from './organization-membership.js';

/**
 * A user's request to join an organization, made from a suggestion (Clerk's
 * `OrganizationMembershipRequestResource`). Holders of `org:sys_memberships:manage` accept it
 * (the user becomes a member with the default role) or reject it.
 *
 * @example
 * ```ts
 * const { data } = await organization.getMembershipRequests({ status: 'pending' });
 * await data[0]?.accept();
 * ```
 */
export class OrganizationMembershipRequest {
  id: string;
  organizationId: string;
  status: MembershipRequestStatus;
  publicUserData: PublicUserData;
  createdAt: Date;
  updatedAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: OrganizationMembershipRequestJSON) {
    this.#http = http;
    this.id = json.id;
    this.organizationId = json.organization_id;
    this.status = json.status;
    this.publicUserData = publicUserDataOf(json.public_user_data);
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  async #decide(action: 'accept' | 'reject'): Promise<this> {
    const json = await this.#http.request<OrganizationMembershipRequestJSON>(
      'POST',
      `/organizations/${encodeURIComponent(this.organizationId)}/membership_requests/${encodeURIComponent(this.id)}/${action}`,
    );
    Object.assign(this, new OrganizationMembershipRequest(this.#http, json));
    this.#http.emit({
      kind: action === 'accept' ? 'membership_request_accepted' : 'membership_request_rejected',
      organizationId: this.organizationId,
    });
    return this;
  }

  /**
   * Lets the user in: they become a member (seats are counted). Updates this object (`accepted`) and returns it.
   *
   * @example
   * ```ts
   * await request.accept();
   * request.status; // 'accepted'
   * ```
   */
  accept(): Promise<this> {
    return this.#decide('accept');
  }

  /**
   * Turns the request down. Updates this object (`rejected`) and returns it.
   *
   * @example
   * ```ts
   * await request.reject();
   * ```
   */
  reject(): Promise<this> {
    return this.#decide('reject');
  }
}
