import type { OrganizationSuggestionJSON } from '@roster/protocol';
import type { Transport } from '../http.js';
import { dateOf, type SuggestionStatus } from '../types.js';
import { type PublicOrganizationData, publicOrganizationDataOf } from './user-organization-invitation.js';

/**
 * An organization the signed-in user may ask to join, because it verified the domain of one of
 * their addresses (Clerk's `OrganizationSuggestionResource`).
 *
 * @example
 * ```ts
 * const { data } = await user.getOrganizationSuggestions();
 * await data[0]?.accept(); // asks to join; an admin decides
 * ```
 */
export class OrganizationSuggestion {
  id: string;
  publicOrganizationData: PublicOrganizationData;
  /** `accepted` once the user asked to join (the request waits for an admin). */
  status: SuggestionStatus;
  createdAt: Date;
  updatedAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: OrganizationSuggestionJSON) {
    this.#http = http;
    this.id = json.id;
    this.publicOrganizationData = publicOrganizationDataOf(json.public_organization_data);
    this.status = json.status;
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  /**
   * Asks to join: makes a membership request that the organization's admins accept or reject
   * (it does not join). Updates this object (`accepted`) and returns it.
   *
   * @example
   * ```ts
   * await suggestion.accept();
   * suggestion.status; // 'accepted'
   * ```
   */
  async accept(): Promise<this> {
    const json = await this.#http.request<OrganizationSuggestionJSON>(
      'POST',
      `/me/organization_suggestions/${encodeURIComponent(this.id)}/accept`,
    );
    Object.assign(this, new OrganizationSuggestion(this.#http, json));
    this.#http.emit({ kind: 'suggestion_accepted', organizationId: this.publicOrganizationData.id });
    return this;
  }
}
