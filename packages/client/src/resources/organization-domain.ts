import type { DeletedObjectJSON, EnrollmentMode, OrganizationDomainJSON } from '@roster/protocol';
import type { Transport } from '../http.js';
import { dateOf } from '../types.js';

/**
 * How far the proof of affiliation got (Clerk's `OrganizationDomainVerification`): a code mailed
 * to an address on the domain, `attempts` tries used, valid until `expiresAt`.
 *
 * @example
 * ```ts
 * domain.verification?.status === 'verified';
 * ```
 */
export interface OrganizationDomainVerification {
  status: 'unverified' | 'verified';
  strategy: 'email_code';
  attempts: number;
  expiresAt: Date | null;
}

/**
 * Options of `domain.updateEnrollmentMode`.
 *
 * @example
 * ```ts
 * const params: UpdateEnrollmentModeParams = { enrollmentMode: 'manual_invitation', deletePending: true };
 * ```
 */
export interface UpdateEnrollmentModeParams {
  enrollmentMode: EnrollmentMode;
  /** Also delete the invitations and suggestions the domain made that are still pending. */
  deletePending?: boolean;
}

/**
 * A domain an organization claims (Clerk's `OrganizationDomainResource`). Once verified, people
 * who verify an address on it are invited (`automatic_invitation`) or offered a suggestion to
 * request joining (`automatic_suggestion`), as its `enrollmentMode` says. Managing domains needs
 * `org:sys_domains:manage`; reading them `org:sys_domains:read`.
 *
 * @example
 * ```ts
 * const domain = await organization.createDomain('acme.com');
 * await domain.prepareAffiliationVerification({ affiliationEmailAddress: 'ada@acme.com' });
 * await domain.attemptAffiliationVerification({ code: '123456' });
 * await domain.updateEnrollmentMode({ enrollmentMode: 'automatic_suggestion' });
 * ```
 */
export class OrganizationDomain {
  id: string;
  name: string;
  organizationId: string;
  enrollmentMode: EnrollmentMode;
  /** `null` until a code was sent (or the domain was verified at once). */
  verification: OrganizationDomainVerification | null;
  /** The address the code went to (or that proved the domain). */
  affiliationEmailAddress: string | null;
  totalPendingInvitations: number;
  totalPendingSuggestions: number;
  createdAt: Date;
  updatedAt: Date;
  readonly #http: Transport;

  constructor(http: Transport, json: OrganizationDomainJSON) {
    this.#http = http;
    this.id = json.id;
    this.name = json.name;
    this.organizationId = json.organization_id;
    this.enrollmentMode = json.enrollment_mode;
    this.verification = json.verification
      ? {
          status: json.verification.status,
          strategy: json.verification.strategy,
          attempts: json.verification.attempts,
          expiresAt: dateOf(json.verification.expire_at),
        }
      : null;
    this.affiliationEmailAddress = json.affiliation_email_address;
    this.totalPendingInvitations = json.total_pending_invitations;
    this.totalPendingSuggestions = json.total_pending_suggestions;
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  /** Roster's shorthand for `verification?.status === 'verified'`. */
  get verified(): boolean {
    return this.verification?.status === 'verified';
  }

  get #path(): string {
    return `/organizations/${encodeURIComponent(this.organizationId)}/domains/${encodeURIComponent(this.id)}`;
  }

  async #post(action: string, body: Record<string, unknown>): Promise<this> {
    const json = await this.#http.request<OrganizationDomainJSON>('POST', `${this.#path}/${action}`, { body });
    Object.assign(this, new OrganizationDomain(this.#http, json));
    this.#http.emit({ kind: 'domain_updated', organizationId: this.organizationId });
    return this;
  }

  /**
   * Mails a six-digit code to an address on the domain (Clerk's affiliation verification).
   * An address on another domain is refused. Updates this object and returns it.
   *
   * @example
   * ```ts
   * await domain.prepareAffiliationVerification({ affiliationEmailAddress: 'ada@acme.com' });
   * domain.verification?.expiresAt; // in 10 minutes
   * ```
   */
  prepareAffiliationVerification(params: { affiliationEmailAddress: string }): Promise<this> {
    return this.#post('prepare_affiliation_verification', {
      affiliation_email_address: params.affiliationEmailAddress,
    });
  }

  /**
   * Proves the domain with the mailed code; it is then verified. A wrong code throws
   * `RosterAPIError` (`form_code_incorrect`). Updates this object and returns it.
   *
   * @example
   * ```ts
   * await domain.attemptAffiliationVerification({ code: '123456' });
   * domain.verified; // true
   * ```
   */
  attemptAffiliationVerification(params: { code: string }): Promise<this> {
    return this.#post('attempt_affiliation_verification', { code: params.code });
  }

  /**
   * Changes how people with an address on the domain join; `deletePending` also deletes the
   * invitations and suggestions it made that are still pending. Updates this object and returns it.
   *
   * @example
   * ```ts
   * await domain.updateEnrollmentMode({ enrollmentMode: 'manual_invitation', deletePending: true });
   * ```
   */
  updateEnrollmentMode(params: UpdateEnrollmentModeParams): Promise<this> {
    return this.#post('update_enrollment_mode', {
      enrollment_mode: params.enrollmentMode,
      ...(params.deletePending !== undefined && { delete_pending: params.deletePending }),
    });
  }

  /**
   * Removes the domain, with the pending invitations and suggestions it made.
   *
   * @example
   * ```ts
   * await domain.delete();
   * ```
   */
  async delete(): Promise<void> {
    await this.#http.request<DeletedObjectJSON>('DELETE', this.#path);
    this.#http.emit({ kind: 'domain_deleted', organizationId: this.organizationId });
  }
}
