import type {
  BulkInvitationsJSON,
  OrganizationDomainJSON,
  OrganizationInvitationJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  OrganizationMembershipRequestJSON,
  OrganizationRoleJSON,
  PageJSON,
} from '@roster/protocol';
import { RosterBulkInvitationError } from '../errors.js';
import { errorEntryFrom, fileForm, type Transport } from '../http.js';
import {
  type DomainListParams,
  dateOf,
  type InvitationListParams,
  listOf,
  type MembershipListParams,
  type MembershipRequestListParams,
  type PaginatedResponse,
  type PaginationParams,
  pageQuery,
  type RoleInput,
} from '../types.js';
import { OrganizationDomain } from './organization-domain.js';
import { OrganizationInvitation } from './organization-invitation.js';
import { OrganizationMembership } from './organization-membership.js';
import { OrganizationMembershipRequest } from './organization-membership-request.js';
import { Role } from './role.js';

/**
 * Invite one address.
 *
 * @example
 * ```ts
 * const params: InviteMemberParams = { emailAddress: 'ada@example.com', role: 'basic_member' };
 * ```
 */
export interface InviteMemberParams {
  emailAddress: string;
  role: RoleInput;
  /** `false` creates the invitation without emailing it (deliver `invitation.url` yourself). Default `true`. */
  notify?: boolean;
}

/**
 * Invite many addresses with one role (up to 100).
 *
 * @example
 * ```ts
 * const params: InviteMembersParams = { emailAddresses: ['a@example.com', 'b@example.com'], role: 'org:member' };
 * ```
 */
export interface InviteMembersParams {
  emailAddresses: readonly string[];
  role: RoleInput;
  notify?: boolean;
}

/**
 * An organization (Clerk's `OrganizationResource`). Methods act as the signed-in user and need
 * the matching permission (admins manage members and invitations; members may read).
 *
 * @example
 * ```ts
 * const organization = await client.createOrganization({ name: 'Acme' });
 * await organization.inviteMember({ emailAddress: 'ada@example.com', role: 'org:member' });
 * const { data, totalCount } = await organization.getInvitations({ pageSize: 20 });
 * ```
 */
export class Organization {
  id: string;
  name: string;
  slug: string;
  imageUrl: string;
  hasImage: boolean;
  membersCount: number;
  pendingInvitationsCount: number;
  /** 0 means no limit. */
  maxAllowedMemberships: number;
  adminDeleteEnabled: boolean;
  publicMetadata: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: OrganizationJSON) {
    this.#http = http;
    this.id = json.id;
    this.name = json.name;
    this.slug = json.slug;
    this.imageUrl = json.image_url;
    this.hasImage = json.has_image;
    this.membersCount = json.members_count;
    this.pendingInvitationsCount = json.pending_invitations_count;
    this.maxAllowedMemberships = json.max_allowed_memberships;
    this.adminDeleteEnabled = json.admin_delete_enabled;
    this.publicMetadata = json.public_metadata;
    this.createdBy = json.created_by;
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  get #path(): string {
    return `/organizations/${encodeURIComponent(this.id)}`;
  }

  #changed(kind: 'invitation_created' | 'membership_updated' | 'membership_removed' | 'organization_updated'): void {
    this.#http.emit({ kind, organizationId: this.id });
  }

  /**
   * Invites one address; the server emails the link unless `notify: false`.
   * Throws `RosterAPIError` with `duplicate_record` when a pending invitation exists,
   * `already_a_member_in_organization`, or `organization_membership_quota_exceeded`.
   *
   * @example
   * ```ts
   * await organization.inviteMember({ emailAddress: 'ada@example.com', role: 'admin' });
   * ```
   */
  async inviteMember(params: InviteMemberParams): Promise<OrganizationInvitation> {
    const json = await this.#http.request<OrganizationInvitationJSON>('POST', `${this.#path}/invitations`, {
      body: {
        email_address: params.emailAddress,
        role: params.role,
        ...(params.notify !== undefined && { notify: params.notify }),
      },
    });
    this.#changed('invitation_created');
    return new OrganizationInvitation(this.#http, json);
  }

  /**
   * Invites many addresses with one role; each address succeeds or fails on its own.
   * Resolves with every invitation when all were created. When some were refused it throws a
   * `RosterBulkInvitationError` whose `created` holds the invitations that were made and whose
   * `errors` has one entry per refused address (`meta.emailAddress`, `meta.index`).
   *
   * @example
   * ```ts
   * const invitations = await organization.inviteMembers({ emailAddresses: ['a@x.com', 'b@x.com'], role: 'org:member' });
   * ```
   */
  async inviteMembers(params: InviteMembersParams): Promise<OrganizationInvitation[]> {
    const json = await this.#http.request<BulkInvitationsJSON>('POST', `${this.#path}/invitations/bulk`, {
      body: {
        email_address: params.emailAddresses,
        role: params.role,
        ...(params.notify !== undefined && { notify: params.notify }),
      },
    });
    const created = json.data.map((i) => new OrganizationInvitation(this.#http, i));
    if (created.length > 0) this.#changed('invitation_created');
    if (json.errors.length > 0) {
      throw new RosterBulkInvitationError({ created, errors: json.errors.map(errorEntryFrom) });
    }
    return created;
  }

  /**
   * Lists invitations, newest first; pending ones unless `status` says otherwise.
   *
   * @example
   * ```ts
   * const { data, totalCount } = await organization.getInvitations({ initialPage: 2, pageSize: 10 });
   * ```
   */
  async getInvitations(params: InvitationListParams = {}): Promise<PaginatedResponse<OrganizationInvitation>> {
    const json = await this.#http.request<PageJSON<OrganizationInvitationJSON>>('GET', `${this.#path}/invitations`, {
      query: { ...pageQuery(params), status: listOf(params.status) },
    });
    return { data: json.data.map((i) => new OrganizationInvitation(this.#http, i)), totalCount: json.total_count };
  }

  /**
   * Lists members, optionally only those with some roles or matching a search `query`.
   *
   * @example
   * ```ts
   * const { data: admins } = await organization.getMemberships({ role: 'org:admin', query: 'ada' });
   * ```
   */
  async getMemberships(params: MembershipListParams = {}): Promise<PaginatedResponse<OrganizationMembership>> {
    const json = await this.#http.request<PageJSON<OrganizationMembershipJSON>>('GET', `${this.#path}/memberships`, {
      query: { ...pageQuery(params), role: listOf(params.role), ...(params.query && { query: params.query }) },
    });
    return { data: json.data.map((m) => new OrganizationMembership(this.#http, m)), totalCount: json.total_count };
  }

  /**
   * Lists the roles a member can be given (Clerk's `organization.getRoles()`): the built-in
   * `org:admin` and `org:member` first, then the instance's custom roles in the order they were
   * made. For role selects: `key` is what `inviteMember` and `updateMember` take, `name` what
   * people read. Needs `org:sys_memberships:read` or `org:sys_memberships:manage`; pages as
   * `getMemberships` (default 10 a page).
   *
   * @example
   * ```ts
   * const { data: roles, totalCount } = await organization.getRoles({ initialPage: 1, pageSize: 50 });
   * const billing = roles.find((r) => r.key === 'org:billing');
   * if (billing) await organization.inviteMember({ emailAddress: 'ada@example.com', role: billing.key });
   * ```
   */
  async getRoles(params: PaginationParams = {}): Promise<PaginatedResponse<Role>> {
    const json = await this.#http.request<PageJSON<OrganizationRoleJSON>>('GET', `${this.#path}/roles`, {
      query: pageQuery(params),
    });
    return { data: json.data.map((r) => new Role(r)), totalCount: json.total_count };
  }

  /**
   * Lists the organization's domains, oldest first (Clerk's `organization.getDomains`), optionally
   * only those in one enrollment mode. Needs `org:sys_domains:read` or `org:sys_domains:manage`.
   *
   * @example
   * ```ts
   * const { data: domains } = await organization.getDomains({ pageSize: 20 });
   * domains.filter((d) => !d.verified);
   * ```
   */
  async getDomains(params: DomainListParams = {}): Promise<PaginatedResponse<OrganizationDomain>> {
    const json = await this.#http.request<PageJSON<OrganizationDomainJSON>>('GET', `${this.#path}/domains`, {
      query: { ...pageQuery(params), enrollment_mode: params.enrollmentMode },
    });
    return { data: json.data.map((d) => new OrganizationDomain(this.#http, d)), totalCount: json.total_count };
  }

  /**
   * One of the organization's domains, by id.
   *
   * @example
   * ```ts
   * const domain = await organization.getDomain({ domainId: 'orgdmn_123' });
   * ```
   */
  async getDomain(params: { domainId: string }): Promise<OrganizationDomain> {
    const json = await this.#http.request<OrganizationDomainJSON>(
      'GET',
      `${this.#path}/domains/${encodeURIComponent(params.domainId)}`,
    );
    return new OrganizationDomain(this.#http, json);
  }

  /**
   * Claims a domain (Clerk's `organization.createDomain(name)`). It starts unverified (prove it
   * with `prepareAffiliationVerification`), or verified at once when you already hold a verified
   * address on it. Common and disposable mail providers, a domain another organization verified,
   * and more than 10 domains are refused. Needs `org:sys_domains:manage`.
   *
   * @example
   * ```ts
   * const domain = await organization.createDomain('acme.com');
   * if (!domain.verified) await domain.prepareAffiliationVerification({ affiliationEmailAddress: 'ada@acme.com' });
   * ```
   */
  async createDomain(name: string): Promise<OrganizationDomain> {
    const json = await this.#http.request<OrganizationDomainJSON>('POST', `${this.#path}/domains`, {
      body: { name },
    });
    this.#http.emit({ kind: 'domain_created', organizationId: this.id });
    return new OrganizationDomain(this.#http, json);
  }

  /**
   * Lists requests to join, newest first; pending ones unless `status` says otherwise
   * (Clerk's `organization.getMembershipRequests`). Needs `org:sys_memberships:manage`.
   *
   * @example
   * ```ts
   * const { data, totalCount } = await organization.getMembershipRequests({ pageSize: 10 });
   * await data[0]?.accept();
   * ```
   */
  async getMembershipRequests(
    params: MembershipRequestListParams = {},
  ): Promise<PaginatedResponse<OrganizationMembershipRequest>> {
    const json = await this.#http.request<PageJSON<OrganizationMembershipRequestJSON>>(
      'GET',
      `${this.#path}/membership_requests`,
      { query: { ...pageQuery(params), status: params.status } },
    );
    return {
      data: json.data.map((r) => new OrganizationMembershipRequest(this.#http, r)),
      totalCount: json.total_count,
    };
  }

  /**
   * Changes a member's role. The last admin cannot be demoted (`organization_minimum_permissions_needed`).
   *
   * @example
   * ```ts
   * await organization.updateMember({ userId: 'user_123', role: 'org:admin' });
   * ```
   */
  async updateMember(params: { userId: string; role: RoleInput }): Promise<OrganizationMembership> {
    const json = await this.#http.request<OrganizationMembershipJSON>(
      'PATCH',
      `${this.#path}/memberships/${encodeURIComponent(params.userId)}`,
      { body: { role: params.role } },
    );
    this.#changed('membership_updated');
    return new OrganizationMembership(this.#http, json);
  }

  /**
   * Removes a member (or, with your own id, leaves). Resolves with the removed membership.
   *
   * @example
   * ```ts
   * await organization.removeMember('user_123');
   * ```
   */
  async removeMember(userId: string): Promise<OrganizationMembership> {
    const json = await this.#http.request<OrganizationMembershipJSON>(
      'DELETE',
      `${this.#path}/memberships/${encodeURIComponent(userId)}`,
    );
    this.#changed('membership_removed');
    return new OrganizationMembership(this.#http, json);
  }

  /**
   * Renames the organization or changes its slug. Updates this object and returns it.
   *
   * @example
   * ```ts
   * await organization.update({ name: 'Acme Labs', slug: 'acme-labs' });
   * ```
   */
  async update(params: { name?: string; slug?: string }): Promise<this> {
    const json = await this.#http.request<OrganizationJSON>('PATCH', this.#path, { body: params });
    Object.assign(this, new Organization(this.#http, json));
    this.#changed('organization_updated');
    return this;
  }

  /**
   * Sets the organization's logo (JPEG, PNG, GIF or WebP, at most 10 MB; Roster resizes it), or
   * removes it with `file: null`. Needs `org:sys_profile:manage`. Updates this object and returns it.
   *
   * @example
   * ```ts
   * await organization.setLogo({ file: input.files[0] });
   * organization.imageUrl; // served by Roster, cached
   * ```
   */
  async setLogo(params: { file: Blob | null }): Promise<this> {
    const path = `${this.#path}/logo`;
    const json =
      params.file === null
        ? await this.#http.request<OrganizationJSON>('DELETE', path)
        : await this.#http.request<OrganizationJSON>('POST', path, { body: fileForm(params.file) });
    Object.assign(this, new Organization(this.#http, json));
    this.#changed('organization_updated');
    return this;
  }

  /**
   * Deletes the organization with its memberships and invitations. Not reversible.
   *
   * @example
   * ```ts
   * await organization.destroy();
   * ```
   */
  async destroy(): Promise<void> {
    await this.#http.request<unknown>('DELETE', this.#path);
    this.#http.emit({ kind: 'organization_deleted', organizationId: this.id });
  }

  /**
   * Fetches the organization again (counts change as people join). Updates this object and returns it.
   *
   * @example
   * ```ts
   * await organization.reload();
   * organization.membersCount;
   * ```
   */
  async reload(): Promise<this> {
    const json = await this.#http.request<OrganizationJSON>('GET', this.#path);
    Object.assign(this, new Organization(this.#http, json));
    return this;
  }
}
