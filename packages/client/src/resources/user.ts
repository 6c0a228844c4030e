import type { EmailAddressJSON, UserJSON } from '@roster/protocol';
import { dateOf } from '../types.js';

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
  emailAddresses: EmailAddress[];
  publicMetadata: Record<string, unknown>;
  unsafeMetadata: Record<string, unknown>;
  passwordEnabled: boolean;
  createOrganizationEnabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;

  constructor(json: UserJSON) {
    this.id = json.id;
    this.firstName = json.first_name;
    this.lastName = json.last_name;
    this.imageUrl = json.image_url;
    this.hasImage = json.has_image;
    this.primaryEmailAddressId = json.primary_email_address_id;
    this.emailAddresses = json.email_addresses.map(emailAddressOf);
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
