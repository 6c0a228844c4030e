import type { InvitationStatus, Metadata, RoleKey } from '@roster/protocol';

/** Records as the domain sees them: camelCase, timestamps in unix milliseconds. */

export interface EmailAddress {
  id: string;
  userId: string;
  email: string;
  verified: boolean;
  /** `ticket_unproven`: given by a link others could see, before decision 021; such an address is unverified. */
  verificationStrategy: 'email_code' | 'ticket' | 'ticket_unproven' | 'admin' | null;
  createdAt: number;
  updatedAt: number;
}

export interface User {
  id: string;
  firstName: string | null;
  lastName: string | null;
  passwordHash: string | null;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
  /** Banned through the Backend API: never signs in until unbanned. */
  banned: boolean;
  /** Locked through the Backend API: no sign-in until then (unix ms); null when not locked. */
  lockedUntil: number | null;
  /** The profile image's URL, served by Roster; null: none (components show initials). */
  imageUrl: string | null;
  /** The user's id in the app's own (or previous) system: Clerk's `external_id`, unique. */
  externalId: string | null;
  /** Unique, lower-cased. */
  username: string | null;
  /** An IETF language tag the app set (Clerk's `locale`). */
  locale: string | null;
  passwordLastUpdatedAt: number | null;
}

export interface UserWithEmails extends User {
  emailAddresses: EmailAddress[];
}

export interface Session {
  id: string;
  userId: string;
  tokenHash: string;
  activeOrganizationId: string | null;
  createdAt: number;
  expiresAt: number;
  lastActiveAt: number;
  /** Where it was started (the request's IP and user agent), when known: for the user's device list. */
  clientIp: string | null;
  userAgent: string | null;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  maxAllowedMemberships: number;
  adminDeleteEnabled: boolean;
  createdBy: string | null;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdAt: number;
  updatedAt: number;
  /** The logo's URL, served by Roster; null: none. */
  imageUrl: string | null;
  /** The key of the role set that says which roles the organization may give (decision 040). */
  roleSetKey: string | null;
}

export interface OrganizationCounts {
  membersCount: number;
  pendingInvitationsCount: number;
  adminsCount: number;
}

export interface Membership {
  id: string;
  organizationId: string;
  userId: string;
  role: RoleKey;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdAt: number;
  updatedAt: number;
}

/** The stored invitation status. `expired` is also derived: a `pending` row past `expiresAt`. */
export type StoredInvitationStatus = InvitationStatus;

/**
 * Who ended an invitation that is no longer pending, where it matters: `invitee` when they declined
 * it (stored as `revoked`, as Clerk has no declined status), `organization` when an admin or the
 * Backend API revoked it. Null while pending, after accept or expiry, and for rows ended before
 * migration 0005 recorded it.
 */
export type InvitationEnder = 'invitee' | 'organization';

export interface Invitation {
  id: string;
  organizationId: string;
  emailAddress: string;
  emailNormalized: string;
  role: RoleKey;
  status: StoredInvitationStatus;
  inviterId: string | null;
  /** SHA-256 of the mailed ticket: only the invited mailbox ever sees it, so it proves the address. */
  tokenHash: string;
  /** SHA-256 of the ticket the Backend API's create response shows (`url`); it proves no address. */
  urlTokenHash: string | null;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  redirectUrl: string | null;
  notify: boolean;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  acceptedUserId: string | null;
  endedBy: InvitationEnder | null;
  /** The verified domain whose `automatic_invitation` mode made it (null: a person or the secret key did). */
  organizationDomainId: string | null;
}

export type MailKind =
  | 'organization_invitation'
  | 'app_invitation'
  | 'verification_code'
  | 'password_reset_code'
  | 'primary_email_address_changed'
  | 'domain_affiliation_code'
  | 'organization_membership_request';

export interface OutboxMessage {
  id: string;
  kind: MailKind;
  toAddress: string;
  /** Template data; secrets inside are sealed (encrypted) and opened only by the dispatcher. */
  payload: Record<string, unknown>;
  invitationId: string | null;
  messageId: string;
  /** `not_sent`: withdrawn before it went out (its invitation was revoked or declined). */
  status: 'queued' | 'sent' | 'failed' | 'not_sent';
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface DeliveryState {
  status: 'queued' | 'sent' | 'failed' | 'not_sent';
  attempts: number;
  lastError: string | null;
  sentAt: number | null;
}

export interface SignUpAttempt {
  /** SHA-256 of the sign-up id the starting client holds; only that client can finish the sign-up. */
  id: string;
  emailNormalized: string;
  email: string;
  passwordHash: string;
  firstName: string | null;
  lastName: string | null;
  codeHash: string;
  attempts: number;
  expiresAt: number;
  createdAt: number;
  /** Set when the sign-up came from a shown invitation link: the invitation it joins once the code proves the address. */
  invitationId: string | null;
  /** The language the sign-up asked for (Clerk's sign-up `locale`): its code mail's, then the account's. */
  locale: string | null;
}

/**
 * A sign-in that goes through an emailed code (a password reset). One exists for every address
 * asked about, with or without an account (`userId` null), so the answers look the same.
 */
export interface SignInAttempt {
  /** SHA-256 of the sign-in id the starting client holds; only that client can go on with it. */
  id: string;
  emailNormalized: string;
  email: string;
  userId: string | null;
  /** `needs_first_factor` until the code comes back, then `needs_new_password`. */
  status: 'needs_first_factor' | 'needs_new_password';
  /** SHA-256 of `signInId:code`; null until a code is sent. */
  codeHash: string | null;
  attempts: number;
  expiresAt: number;
  createdAt: number;
}

/** An address a signed-in user added and has not proved yet. It blocks no one and is not an identity. */
export interface PendingEmailAddress {
  id: string;
  userId: string;
  email: string;
  emailNormalized: string;
  codeHash: string | null;
  attempts: number;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Page<T> {
  data: T[];
  totalCount: number;
}
