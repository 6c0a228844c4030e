import { z } from 'zod';
import { invitationStatus } from './schemas.js';

/**
 * Response schemas: the JSON objects Roster returns. Field names, `object` tags and
 * unix-millisecond timestamps follow Clerk's Backend API so Clerk's own clients can read them.
 * The server's OpenAPI document is generated from these; the types below are inferred from them.
 *
 * @example
 * ```ts
 * import { organizationInvitationJSON } from '@roster/protocol';
 * const inv = organizationInvitationJSON.parse(await (await fetch(url)).json());
 * ```
 */
export const metadataJSON = z.record(z.string(), z.unknown());
export type Metadata = z.infer<typeof metadataJSON>;

/** A role key: `org:admin`, `org:member` or a custom one (`org:billing`). */
const roleKeyJSON = z.string();
const ms = z.number().int();

export const verificationJSON = z.object({
  object: z.enum(['verification_email_code', 'verification_ticket', 'verification_admin']),
  status: z.enum(['verified', 'unverified']),
  strategy: z.enum(['email_code', 'ticket', 'admin']),
  attempts: z.number().nullable(),
  expire_at: ms.nullable(),
});
export type VerificationJSON = z.infer<typeof verificationJSON>;

export const emailAddressJSON = z.object({
  object: z.literal('email_address'),
  id: z.string(),
  email_address: z.string(),
  verification: verificationJSON.nullable(),
  linked_to: z.array(z.object({ id: z.string(), type: z.string() })),
  reserved: z.boolean(),
  created_at: ms,
  updated_at: ms,
});
export type EmailAddressJSON = z.infer<typeof emailAddressJSON>;

// Always-empty lists (phone numbers, wallets, …). Not `z.array(z.never())`: the OpenAPI generator
// cannot describe `never`, and /openapi.json would fail.
const empty = z.array(z.unknown()).max(0);

export const userJSON = z.object({
  object: z.literal('user'),
  id: z.string(),
  username: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  locale: z.string().nullable(),
  image_url: z.string(),
  has_image: z.boolean(),
  primary_email_address_id: z.string().nullable(),
  primary_phone_number_id: z.null(),
  primary_web3_wallet_id: z.null(),
  password_enabled: z.boolean(),
  two_factor_enabled: z.boolean(),
  totp_enabled: z.boolean(),
  backup_code_enabled: z.boolean(),
  /** Roster has no second factor yet: always null. */
  mfa_enabled_at: ms.nullable(),
  mfa_disabled_at: ms.nullable(),
  password_last_updated_at: ms.nullable(),
  email_addresses: z.array(emailAddressJSON),
  phone_numbers: empty,
  web3_wallets: empty,
  external_accounts: empty,
  saml_accounts: empty,
  enterprise_accounts: empty,
  passkeys: empty,
  public_metadata: metadataJSON,
  private_metadata: metadataJSON.optional(),
  unsafe_metadata: metadataJSON,
  external_id: z.string().nullable(),
  last_sign_in_at: ms.nullable(),
  banned: z.boolean(),
  locked: z.boolean(),
  lockout_expires_in_seconds: z.number().int().nullable(),
  verification_attempts_remaining: z.null(),
  created_at: ms,
  updated_at: ms,
  last_active_at: ms.nullable(),
  create_organization_enabled: z.boolean(),
  create_organizations_limit: z.number().nullable(),
  delete_self_enabled: z.boolean(),
  legal_accepted_at: z.null(),
});
export type UserJSON = z.infer<typeof userJSON>;

export const organizationJSON = z.object({
  object: z.literal('organization'),
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  image_url: z.string(),
  has_image: z.boolean(),
  members_count: z.number().int(),
  pending_invitations_count: z.number().int(),
  max_allowed_memberships: z.number().int(),
  admin_delete_enabled: z.boolean(),
  missing_member_with_elevated_permissions: z.boolean(),
  public_metadata: metadataJSON,
  private_metadata: metadataJSON.optional(),
  created_by: z.string().nullable(),
  created_at: ms,
  updated_at: ms,
  /** The key of the organization's role set (Clerk's `role_set_key`). */
  role_set_key: z.string().nullable(),
});
export type OrganizationJSON = z.infer<typeof organizationJSON>;

export const publicUserDataJSON = z.object({
  user_id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  image_url: z.string(),
  has_image: z.boolean(),
  identifier: z.string(),
  username: z.null(),
});
export type PublicUserDataJSON = z.infer<typeof publicUserDataJSON>;

export const organizationMembershipJSON = z.object({
  object: z.literal('organization_membership'),
  id: z.string(),
  role: roleKeyJSON,
  role_name: z.string(),
  permissions: z.array(z.string()),
  public_metadata: metadataJSON,
  private_metadata: metadataJSON.optional(),
  organization: organizationJSON,
  public_user_data: publicUserDataJSON,
  created_at: ms,
  updated_at: ms,
});
export type OrganizationMembershipJSON = z.infer<typeof organizationMembershipJSON>;

/** Where the invitation email stands. `not_sent` when created with `notify: false`. */
export const emailDeliveryJSON = z.object({
  status: z.enum(['queued', 'sent', 'failed', 'not_sent']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  sent_at: ms.nullable(),
});
export type EmailDeliveryJSON = z.infer<typeof emailDeliveryJSON>;

export const publicOrganizationDataJSON = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  image_url: z.string(),
  has_image: z.boolean(),
});
export type PublicOrganizationDataJSON = z.infer<typeof publicOrganizationDataJSON>;

export const publicInviterDataJSON = z.object({
  user_id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  image_url: z.string(),
  has_image: z.boolean(),
  identifier: z.string(),
});
export type PublicInviterDataJSON = z.infer<typeof publicInviterDataJSON>;

/**
 * An invitation. `url` (a shown accept link, which proves no address: decision 021) is set only in
 * the Backend API's answers that make one (create, resend) and in copy-link's answer.
 */
export const organizationInvitationJSON = z.object({
  object: z.literal('organization_invitation'),
  id: z.string(),
  email_address: z.string(),
  role: roleKeyJSON,
  role_name: z.string(),
  organization_id: z.string(),
  inviter_id: z.string().nullable(),
  public_inviter_data: publicInviterDataJSON.nullable(),
  status: invitationStatus,
  /** Roster's addition: `true` when the status is `revoked` because the invitee declined (not an admin's revoke). */
  declined: z.boolean(),
  public_metadata: metadataJSON,
  private_metadata: metadataJSON.optional(),
  url: z.string().nullable(),
  redirect_url: z.string().nullable(),
  expires_at: ms,
  created_at: ms,
  updated_at: ms,
  email_delivery: emailDeliveryJSON,
  public_organization_data: publicOrganizationDataJSON.optional(),
});
export type OrganizationInvitationJSON = z.infer<typeof organizationInvitationJSON>;

/** A page of a list: `data` plus the total across all pages. */
export const pageJSON = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), total_count: z.number().int() });
export interface PageJSON<T> {
  data: T[];
  total_count: number;
}

/** A bulk create: what was created, and one error entry per address that was not. */
export const bulkInvitationsJSON = z.object({
  data: z.array(organizationInvitationJSON),
  total_count: z.number().int(),
  errors: z.array(
    z.object({ code: z.string(), message: z.string(), long_message: z.string(), meta: metadataJSON.optional() }),
  ),
});
export type BulkInvitationsJSON = z.infer<typeof bulkInvitationsJSON>;

/** What a delete of a user or organization answers. */
export const deletedObjectJSON = z.object({
  object: z.string(),
  id: z.string(),
  slug: z.string().optional(),
  deleted: z.literal(true),
});
export type DeletedObjectJSON = z.infer<typeof deletedObjectJSON>;

export const totalCountJSON = z.object({ object: z.literal('total_count'), total_count: z.number().int() });

/** The signed-in session, as the Frontend API shows it. */
export const sessionJSON = z.object({
  object: z.literal('session'),
  id: z.string(),
  user_id: z.string(),
  status: z.literal('active'),
  expire_at: ms,
  last_active_organization_id: z.string().nullable(),
  created_at: ms,
});
export type SessionJSON = z.infer<typeof sessionJSON>;

/**
 * A session as the Backend API shows it (`/v1/sessions`), in Clerk's shape. Each Roster session is
 * its own client, so `client_id` names that client; a session past its expiry is `expired`, and one
 * just revoked is answered once as `revoked` (it is gone afterwards).
 */
export const backendSessionJSON = z.object({
  object: z.literal('session'),
  id: z.string(),
  user_id: z.string(),
  client_id: z.string(),
  actor: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
  last_active_organization_id: z.string().nullable(),
  last_active_at: ms,
  expire_at: ms,
  abandon_at: ms,
  updated_at: ms,
  created_at: ms,
  tasks: z.array(z.unknown()).nullable(),
});
export type BackendSessionJSON = z.infer<typeof backendSessionJSON>;

/** Where a session was started, as Clerk's `session_activity` (what the user agent and IP tell). */
export const sessionActivityJSON = z.object({
  object: z.literal('session_activity'),
  id: z.string(),
  browser_name: z.string().nullable(),
  browser_version: z.string().nullable(),
  device_type: z.string().nullable(),
  ip_address: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  is_mobile: z.boolean(),
});

/** `GET /fapi/v1/me/sessions/active`: the signed-in user's sessions, as Clerk's `SessionWithActivities`. */
export const sessionWithActivitiesJSON = z.object({
  object: z.literal('session'),
  id: z.string(),
  status: z.enum(['active', 'revoked']),
  expire_at: ms,
  abandon_at: ms,
  last_active_at: ms,
  latest_activity: sessionActivityJSON,
  actor: z.record(z.string(), z.unknown()).nullable(),
  created_at: ms,
  updated_at: ms,
});
export type SessionWithActivitiesJSON = z.infer<typeof sessionWithActivitiesJSON>;

/** `GET /fapi/v1/me`: the user, their session and their memberships. */
export const meJSON = z.object({
  user: userJSON,
  session: sessionJSON,
  organization_memberships: z.array(organizationMembershipJSON),
});
export type MeJSON = z.infer<typeof meJSON>;

/**
 * `GET /fapi/v1/client`: who this browser is, answered 200 either way (as Clerk's `/v1/client`),
 * so a signed-out visitor's first load logs no 401. `me` is `null` when signed out.
 *
 * @example
 * ```ts
 * const body: ClientJSON = { object: 'client', me: null };
 * ```
 */
export const clientJSON = z.object({
  object: z.literal('client'),
  me: meJSON.nullable(),
});
export type ClientJSON = z.infer<typeof clientJSON>;

/** The result of a sign-up, sign-in or link step in the Frontend API. */
export const authResultJSON = z.object({
  status: z.enum(['complete', 'needs_email_verification', 'needs_first_factor', 'needs_new_password']),
  user: userJSON.nullable(),
  session: sessionJSON.nullable(),
  /** Set when the request joined an organization (accepting an invitation). */
  organization_membership: organizationMembershipJSON.nullable(),
  redirect_url: z.string().nullable(),
  email_address: z.string().nullable(),
  /** After starting a sign-up: the id to send back with the code. Only this client can finish it. */
  sign_up_id: z.string().optional(),
  /** After starting a sign-in without a password: the id to send back with each step. */
  sign_in_id: z.string().optional(),
  /** The steps a started sign-in can take (the same list for every address). */
  supported_first_factors: z
    .array(z.object({ strategy: z.enum(['password', 'reset_password_email_code']), safe_identifier: z.string() }))
    .optional(),
});
export type AuthResultJSON = z.infer<typeof authResultJSON>;

/** What a link shows before anyone acts on it. */
export const invitationPreviewJSON = z.object({
  object: z.literal('invitation_preview'),
  status: invitationStatus,
  email_address: z.string(),
  role: roleKeyJSON,
  role_name: z.string(),
  organization: publicOrganizationDataJSON,
  inviter_name: z.string().nullable(),
  expires_at: ms,
  /** `sign_up` (no account holds the address), `sign_in`, `accept` (signed in as the invitee), or `wrong_account`. */
  next_step: z.enum(['sign_up', 'sign_in', 'accept', 'wrong_account', 'none']),
  signed_in_as: z.string().nullable(),
  /**
   * True when a sign-up from this link must confirm the address with a code mailed to it: the link
   * was shown to someone other than the invited mailbox (the Backend API's `url`), so it proves
   * nothing. False for the mailed link, which creates the account and joins in one step.
   */
  sign_up_needs_email_code: z.boolean(),
});
export type InvitationPreviewJSON = z.infer<typeof invitationPreviewJSON>;

/** The invitee's view of an invitation (`/fapi/v1/me/organization_invitations`). */
export const userOrganizationInvitationJSON = z.object({
  object: z.literal('organization_invitation'),
  id: z.string(),
  email_address: z.string(),
  role: roleKeyJSON,
  role_name: z.string(),
  status: invitationStatus,
  /** `true` when the status is `revoked` because the invitee declined. */
  declined: z.boolean(),
  public_metadata: metadataJSON,
  public_organization_data: publicOrganizationDataJSON,
  expires_at: ms,
  created_at: ms,
  updated_at: ms,
});
export type UserOrganizationInvitationJSON = z.infer<typeof userOrganizationInvitationJSON>;

/** Error body, as a schema for the OpenAPI document. */
export const errorBodyJSON = z.object({
  errors: z.array(
    z.object({ code: z.string(), message: z.string(), long_message: z.string(), meta: metadataJSON.optional() }),
  ),
  clerk_trace_id: z.string().optional(),
});
