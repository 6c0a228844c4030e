import type {
  DeletedObjectJSON,
  EmailAddressJSON,
  OrganizationSuggestionJSON,
  PageJSON,
  SessionWithActivitiesJSON,
  UserJSON,
} from '@roster/protocol';
import type { RosterChangeEvent } from '../events.js';
import { fileForm, type Transport } from '../http.js';
import { dateOf, listOf, type PaginatedResponse, pageQuery, type SuggestionListParams } from '../types.js';
import { OrganizationSuggestion } from './organization-suggestion.js';
import { SessionWithActivities } from './session.js';

/** What the user's own changes tell the provider (names, image, addresses, password, sessions). */
const USER_UPDATED: RosterChangeEvent = { kind: 'user_updated', organizationId: null };

/**
 * One of a user's email addresses.
 *
 * @example
 * ```ts
 * user.primaryEmailAddress?.verified; // true
 * ```
 */
export interface EmailAddress {
  id: string;
  emailAddress: string;
  verified: boolean;
  /** How it was verified: an emailed code, an invitation link, or by an admin. */
  verificationStrategy: 'email_code' | 'ticket' | 'admin' | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The signed-in user (Clerk's `UserResource`, the fields Roster has).
 *
 * @example
 * ```ts
 * const { user } = await client.getMe();
 * user.fullName; // 'Ada Lovelace'
 * user.primaryEmailAddress?.emailAddress; // 'ada@example.com'
 * ```
 */
export class User {
  id: string;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string;
  hasImage: boolean;
  primaryEmailAddressId: string | null;
  /** Oldest first; each with `destroy()` and the verification steps (Clerk's `EmailAddressResource`). */
  emailAddresses: EmailAddressResource[];
  publicMetadata: Record<string, unknown>;
  unsafeMetadata: Record<string, unknown>;
  passwordEnabled: boolean;
  createOrganizationEnabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;

  readonly #http: Transport | null;

  constructor(json: UserJSON, http: Transport | null = null) {
    this.#http = http;
    this.id = json.id;
    this.firstName = json.first_name;
    this.lastName = json.last_name;
    this.imageUrl = json.image_url;
    this.hasImage = json.has_image;
    this.primaryEmailAddressId = json.primary_email_address_id;
    this.emailAddresses = json.email_addresses.map((e) => new EmailAddressResource(http, e));
    this.publicMetadata = json.public_metadata;
    this.unsafeMetadata = json.unsafe_metadata;
    this.passwordEnabled = json.password_enabled;
    this.createOrganizationEnabled = json.create_organization_enabled;
    this.lastSignInAt = dateOf(json.last_sign_in_at);
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }

  /** First and last name joined, or null when neither is set. */
  get fullName(): string | null {
    const name = [this.firstName, this.lastName].filter(Boolean).join(' ');
    return name || null;
  }

  /** The primary address, or null. */
  get primaryEmailAddress(): EmailAddress | null {
    return this.emailAddresses.find((e) => e.id === this.primaryEmailAddressId) ?? null;
  }

  #transport(): Transport {
    if (!this.#http) throw new Error('This User was not loaded through a RosterClient');
    return this.#http;
  }

  /**
   * Adds an address (Clerk's `user.createEmailAddress`). It counts only once verified: call
   * `prepareVerification` and `attemptVerification` on the result.
   *
   * @example
   * ```ts
   * const address = await user.createEmailAddress({ email: 'ada@work.example' });
   * await address.prepareVerification({ strategy: 'email_code' });
   * await address.attemptVerification({ code: '123456' });
   * ```
   */
  async createEmailAddress(params: { email: string }): Promise<EmailAddressResource> {
    const http = this.#transport();
    const json = await http.request<EmailAddressJSON>('POST', '/me/email_addresses', {
      body: { email_address: params.email },
    });
    return new EmailAddressResource(http, json);
  }

  /**
   * Changes the password (Clerk's `user.updatePassword`); other sessions end unless
   * `signOutOfOtherSessions` is false.
   *
   * @example
   * ```ts
   * await user.updatePassword({ currentPassword: 'old one', newPassword: 'a new long one' });
   * ```
   */
  async updatePassword(params: {
    currentPassword?: string;
    newPassword: string;
    signOutOfOtherSessions?: boolean;
  }): Promise<User> {
    const http = this.#transport();
    const json = await http.request<UserJSON>('POST', '/me/change_password', {
      body: {
        current_password: params.currentPassword,
        new_password: params.newPassword,
        sign_out_of_other_sessions: params.signOutOfOtherSessions ?? true,
      },
    });
    http.emit(USER_UPDATED);
    return new User(json, http);
  }

  /**
   * Updates names or the primary address (a verified one of this user).
   *
   * @example
   * ```ts
   * await user.update({ primaryEmailAddressId: address.id });
   * ```
   */
  async update(params: { firstName?: string | null; lastName?: string | null; primaryEmailAddressId?: string }) {
    const http = this.#transport();
    const json = await http.request<UserJSON>('PATCH', '/me', {
      body: {
        ...(params.firstName !== undefined && { first_name: params.firstName }),
        ...(params.lastName !== undefined && { last_name: params.lastName }),
        ...(params.primaryEmailAddressId !== undefined && { primary_email_address_id: params.primaryEmailAddressId }),
      },
    });
    http.emit(USER_UPDATED);
    return new User(json, http);
  }

  /**
   * Sets this user's profile image (JPEG, PNG, GIF or WebP, at most 10 MB; Roster resizes it), or
   * removes it with `file: null`. Returns the user as changed.
   *
   * @example
   * ```ts
   * const updated = await user.setProfileImage({ file: input.files[0] });
   * updated.imageUrl;
   * ```
   */
  async setProfileImage(params: { file: Blob | null }): Promise<User> {
    const http = this.#transport();
    const json =
      params.file === null
        ? await http.request<UserJSON>('DELETE', '/me/profile_image')
        : await http.request<UserJSON>('POST', '/me/profile_image', { body: fileForm(params.file) });
    http.emit(USER_UPDATED);
    return new User(json, http);
  }

  /**
   * Organizations this user may ask to join, because they verified the domain of one of the
   * user's verified addresses (Clerk's `user.getOrganizationSuggestions`); pending ones unless
   * `status` says otherwise, newest first.
   *
   * @example
   * ```ts
   * const { data } = await user.getOrganizationSuggestions({ status: ['pending', 'accepted'] });
   * await data.find((s) => s.status === 'pending')?.accept();
   * ```
   */
  async getOrganizationSuggestions(
    params: SuggestionListParams = {},
  ): Promise<PaginatedResponse<OrganizationSuggestion>> {
    const http = this.#transport();
    const json = await http.request<PageJSON<OrganizationSuggestionJSON>>('GET', '/me/organization_suggestions', {
      query: { ...pageQuery(params), status: listOf(params.status) },
    });
    return { data: json.data.map((s) => new OrganizationSuggestion(http, s)), totalCount: json.total_count };
  }

  /**
   * This user's live sessions, on this device and others, most recently active first (Clerk's
   * `user.getSessions()`).
   *
   * @example
   * ```ts
   * for (const s of await user.getSessions()) console.log(s.latestActivity.browserName, s.lastActiveAt);
   * ```
   */
  async getSessions(): Promise<SessionWithActivities[]> {
    const http = this.#transport();
    const json = await http.request<SessionWithActivitiesJSON[]>('GET', '/me/sessions/active');
    return json.map((s) => new SessionWithActivities(http, s));
  }
}

/**
 * An address of the signed-in user with its verification steps (Clerk's `EmailAddressResource`).
 *
 * @example
 * ```ts
 * await address.prepareVerification({ strategy: 'email_code' });
 * const verified = await address.attemptVerification({ code });
 * verified.verified; // true
 * ```
 */
export class EmailAddressResource implements EmailAddress {
  id: string;
  emailAddress: string;
  verified: boolean;
  verificationStrategy: EmailAddress['verificationStrategy'];
  createdAt: Date;
  updatedAt: Date;
  readonly #transport: Transport | null;

  constructor(http: Transport | null, json: EmailAddressJSON) {
    this.#transport = http;
    const data = emailAddressOf(json);
    this.id = data.id;
    this.emailAddress = data.emailAddress;
    this.verified = data.verified;
    this.verificationStrategy = data.verificationStrategy;
    this.createdAt = data.createdAt;
    this.updatedAt = data.updatedAt;
  }

  #http(): Transport {
    if (!this.#transport) throw new Error('This address was not loaded through a RosterClient');
    return this.#transport;
  }

  /** Mails a six-digit code to the address (10 minutes, five tries). */
  async prepareVerification(params: { strategy: 'email_code' } = { strategy: 'email_code' }) {
    const json = await this.#http().request<EmailAddressJSON>(
      'POST',
      `/me/email_addresses/${encodeURIComponent(this.id)}/prepare_verification`,
      { body: { strategy: params.strategy } },
    );
    return new EmailAddressResource(this.#http(), json);
  }

  /** Proves the address with its code; `form_identifier_exists` if another account verified it first. */
  async attemptVerification(params: { code: string }) {
    const json = await this.#http().request<EmailAddressJSON>(
      'POST',
      `/me/email_addresses/${encodeURIComponent(this.id)}/attempt_verification`,
      { body: { code: params.code } },
    );
    this.#http().emit(USER_UPDATED);
    return new EmailAddressResource(this.#http(), json);
  }

  /** Removes the address (never the account's last verified one). */
  async destroy(): Promise<DeletedObjectJSON> {
    const deleted = await this.#http().request<DeletedObjectJSON>(
      'DELETE',
      `/me/email_addresses/${encodeURIComponent(this.id)}`,
    );
    this.#http().emit(USER_UPDATED);
    return deleted;
  }
}

function emailAddressOf(json: EmailAddressJSON): EmailAddress {
  return {
    id: json.id,
    emailAddress: json.email_address,
    verified: json.verification?.status === 'verified',
    verificationStrategy: json.verification?.strategy ?? null,
    createdAt: dateOf(json.created_at),
    updatedAt: dateOf(json.updated_at),
  };
}
