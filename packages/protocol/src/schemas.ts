import { z } from 'zod';
import { normalizeRole } from './roles.js';

/**
 * Request schemas shared by the server (validation, OpenAPI) and clients (types).
 * Field names are snake_case on the wire, as in Clerk's APIs.
 *
 * Backend API bodies are strict: a parameter Roster does not know (or a Clerk parameter it does
 * not implement, such as `external_id`) is refused with `form_param_unknown`, as Clerk refuses
 * unknown parameters, rather than silently dropped.
 */

/** Metadata is capped as Clerk caps it: at most 8 KiB as JSON. */
export const METADATA_MAX_BYTES = 8 * 1024;
/** ...and nested at most this deep, so no recursive merge or serializer can overflow the stack. */
export const METADATA_MAX_DEPTH = 32;

/** What is wrong with a metadata object, or null. Walks without recursion, so depth is refused before it bites. */
function metadataProblem(value: Record<string, unknown>): string | null {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > METADATA_MAX_DEPTH) return `is nested deeper than ${METADATA_MAX_DEPTH} levels`;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  return bytes > METADATA_MAX_BYTES ? `is ${bytes} bytes as JSON; the limit is ${METADATA_MAX_BYTES}` : null;
}

const metadata = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    const problem = metadataProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { roster: 'form_param_value_invalid' } });
  })
  .nullish();

/** A metadata object in a request body (at most 8 KiB as JSON, nesting limited); null or absent: none. */
export const metadataBody = metadata;

/**
 * A name shown to people (user names, organization names): trimmed, at most 256 characters, and
 * no control characters (they have no business in a name, end up in email subjects, and
 * PostgreSQL cannot store NUL).
 *
 * @example
 * ```ts
 * displayText.parse(' Acme '); // 'Acme'
 * ```
 */
export const displayText = z
  .string()
  .trim()
  .max(256)
  .regex(/^\P{Cc}*$/u, 'must not contain control characters');

/**
 * An email address: trimmed, at most 320 characters, with no control characters or header
 * separators that could end up in a mail header.
 *
 * @example
 * ```ts
 * emailAddress.parse(' Ada@Example.com '); // 'Ada@Example.com'
 * ```
 */
export const emailAddress = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ pattern: z.regexes.html5Email }));

/**
 * A role name, accepting `org:admin`, `org:member` and the aliases `admin`, `basic_member`.
 * Parses to the canonical key.
 *
 * @example
 * ```ts
 * roleKey.parse('admin'); // 'org:admin'
 * ```
 */
export const roleKey = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const role = normalizeRole(value);
    if (!role) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown role '${value.slice(0, 64)}'`,
        params: { roster: 'form_param_value_invalid' },
      });
      return z.NEVER;
    }
    return role;
  });

/** `limit`/`offset` pagination as the Backend API takes it (Clerk: limit 1-500, default 10). */
export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(10),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * `order_by` on Backend API lists. Roster lists newest first only, so it accepts that order
 * (Clerk's default) and refuses any other rather than ignore it.
 *
 * @example
 * ```ts
 * newestFirstOrder.parse('-created_at'); // '-created_at'
 * newestFirstOrder.safeParse('name').success; // false
 * ```
 */
export const newestFirstOrder = z.enum(['-created_at']).optional();

/** One status or a list of statuses (`?status=pending&status=expired`). */
export const invitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export type InvitationStatus = z.infer<typeof invitationStatus>;

/**
 * Body of `POST /v1/organizations/{id}/invitations` (Backend API).
 *
 * @example
 * ```ts
 * createInvitationBody.parse({ email_address: 'ada@example.com', role: 'basic_member' });
 * ```
 */
export const createInvitationBody = z.strictObject({
  email_address: emailAddress,
  role: roleKey,
  inviter_user_id: z.string().max(64).nullish(),
  public_metadata: metadata,
  private_metadata: metadata,
  redirect_url: z.url().max(2048).nullish(),
  expires_in_days: z.number().int().min(1).max(365).nullish(),
  notify: z.boolean().nullish(),
});
export type CreateInvitationBody = z.input<typeof createInvitationBody>;

/** Body of `POST /v1/organizations/{id}/invitations/bulk` (Backend API): an array of invitations. */
export const createInvitationBulkBody = z.array(createInvitationBody).min(1).max(100);

/** Body of `POST /v1/organizations/{id}/invitations/{inv}/revoke`. */
export const revokeInvitationBody = z.strictObject({ requesting_user_id: z.string().max(64).nullish() }).nullish();

/**
 * Body of `POST …/organizations/{id}/invitations/{invitation_id}/resend` (Backend and Frontend API):
 * optional; `expires_in_days` counts from now (the configured default when not given).
 *
 * @example
 * ```ts
 * resendInvitationBody.parse({ expires_in_days: 7 });
 * ```
 */
export const resendInvitationBody = z
  .strictObject({ expires_in_days: z.number().int().min(1).max(365).nullish() })
  .nullish();
export type ResendInvitationBody = z.input<typeof resendInvitationBody>;

/** Body of `POST /v1/organizations` (Backend API). */
export const createOrganizationBody = z.strictObject({
  name: displayText.min(1),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(128)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'only lowercase letters, digits and dashes')
    .nullish(),
  created_by: z.string().max(64).nullish(),
  max_allowed_memberships: z.number().int().min(0).max(1_000_000).nullish(),
  public_metadata: metadata,
  private_metadata: metadata,
  /** The organization's role set (absent: the instance's initial one). */
  role_set_key: z.string().trim().min(1).max(128).nullish(),
});

/** Body of `PATCH /v1/organizations/{id}` (Backend API). */
export const updateOrganizationBody = z.strictObject({
  name: displayText.min(1).nullish(),
  slug: createOrganizationBody.shape.slug,
  max_allowed_memberships: z.number().int().min(0).max(1_000_000).nullish(),
  admin_delete_enabled: z.boolean().nullish(),
  public_metadata: metadata,
  private_metadata: metadata,
});

/** Body of `PATCH /v1/organizations/{id}/metadata`. */
export const organizationMetadataBody = z.strictObject({ public_metadata: metadata, private_metadata: metadata });

/** Body of `POST /v1/organizations/{id}/memberships`. */
export const createMembershipBody = z.strictObject({
  user_id: z.string().min(1).max(64),
  role: roleKey,
  public_metadata: metadata,
  private_metadata: metadata,
});

/** Body of `PATCH /v1/organizations/{id}/memberships/{user_id}`. */
export const updateMembershipBody = z.object({ role: roleKey });

/** A password as users choose it: 8 to 256 characters, kept exactly as typed. */
export const password = z.string().min(8, 'must be at least 8 characters').max(256);

/** Clerk's `external_id`: the user's id in the app's own or previous system. */
export const externalId = z.string().trim().min(1).max(255);
/** Clerk's username rule: 4 to 64 letters, digits, `_` or `-`; kept lower-cased (unique whatever the case). */
export const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{4,64}$/, 'must be 4 to 64 letters, digits, _ or -')
  .transform((u) => u.toLowerCase());
/** An IETF language tag such as `en-US`. */
export const locale = z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag');

/**
 * Body of `POST /v1/users` (Backend API). `skip_legal_checks` is accepted and has no effect:
 * Roster has no legal-consent step.
 */
export const createUserBody = z.strictObject({
  email_address: z.array(emailAddress).min(1).max(10),
  external_id: externalId.nullish(),
  username: username.nullish(),
  locale: locale.nullish(),
  password: password.nullish(),
  /** A digest from another system, with `password_hasher` naming its algorithm (an import keeps the passwords). */
  password_digest: z.string().min(1).max(512).nullish(),
  password_hasher: z.enum(['bcrypt', 'argon2i', 'argon2id']).nullish(),
  /** When the user was created in the system they come from (RFC 3339). */
  created_at: z.iso.datetime({ offset: true }).nullish(),
  first_name: displayText.nullish(),
  last_name: displayText.nullish(),
  skip_password_checks: z.boolean().nullish(),
  skip_password_requirement: z.boolean().nullish(),
  skip_legal_checks: z.boolean().nullish(),
  public_metadata: metadata,
  private_metadata: metadata,
});

/** Frontend API: sign up without an invitation (the address is verified by an emailed code). */
export const signUpBody = z.object({
  email_address: emailAddress,
  password,
  first_name: displayText.nullish(),
  last_name: displayText.nullish(),
  /** Clerk's sign-up `locale` (BCP 47): the code mail is written in it, and the account keeps it. */
  locale: locale.max(35).nullish(),
});

/** Frontend API: confirm the emailed sign-up code. */
export const verifyEmailBody = z.object({
  /** The `sign_up_id` the start answered; browsers may leave it out (it is also kept in a cookie). */
  sign_up_id: z.string().min(1).max(128).optional(),
  /** Accepted for compatibility; the sign-up id decides which attempt is verified. */
  email_address: emailAddress.optional(),
  code: z.string().trim().min(4).max(12),
});

/** Frontend API: sign in with email and password (also the hosted sign-in form). */
export const signInBody = z.object({ identifier: emailAddress, password: z.string().min(1).max(256) });

/**
 * Frontend API `POST /fapi/v1/client/sign_ins`: with `password`, a sign-in in one step; without
 * it, a sign-in is started (answered alike whether or not the address has an account) and goes
 * on with `prepare_first_factor` / `attempt_first_factor` (Clerk's steps;
 * `reset_password_email_code` for a forgotten password).
 */
export const startSignInBody = signInBody.extend({
  password: signInBody.shape.password.optional(),
  /** Accepted for compatibility with Clerk's create call; the steps decide the strategy. */
  strategy: z.enum(['password', 'reset_password_email_code']).optional(),
});

/** The hosted forgot-password form: the address to mail a code to. */
export const forgotPasswordForm = signInBody.pick({ identifier: true });

/** The id a started sign-in answered; browsers may leave it out (it is also kept in a cookie). */
const signInId = z.string().min(1).max(128).optional();

/** Frontend API: mail a password reset code for a started sign-in. */
export const prepareFirstFactorBody = z.object({
  sign_in_id: signInId,
  strategy: z.literal('reset_password_email_code'),
});

/** Frontend API: the mailed reset code (`reset_password_email_code`) or the password (`password`). */
export const attemptFirstFactorBody = z.object({
  sign_in_id: signInId,
  strategy: z.enum(['reset_password_email_code', 'password']),
  code: z.string().trim().min(4).max(12).optional(),
  password: z.string().min(1).max(256).optional(),
});

/** Frontend API: the new password once the reset code came back. Every other session ends. */
export const resetPasswordBody = z.object({
  sign_in_id: signInId,
  password,
  /** Accepted for compatibility with Clerk; a reset always ends the account's other sessions. */
  sign_out_of_other_sessions: z.boolean().optional(),
});

/** Frontend API: change the signed-in user's password (the current one is required if set). */
export const changePasswordBody = z.object({
  current_password: z.string().max(256).optional(),
  new_password: password,
  /** Default true: every other session of the user ends. */
  sign_out_of_other_sessions: z.boolean().optional(),
});

/** Frontend API: add an address to the signed-in user (verified by an emailed code before it counts). */
export const createEmailAddressBody = z.object({ email_address: emailAddress });

/** Frontend API: mail a code to an added address. */
export const prepareEmailVerificationBody = z.object({ strategy: z.literal('email_code').default('email_code') });

/** Frontend API: prove an added address with its code. */
export const attemptEmailVerificationBody = z.object({ code: z.string().trim().min(4).max(12) });

/** Frontend API: `PATCH /fapi/v1/me` (names, primary address). */
export const updateMeBody = z.strictObject({
  first_name: displayText.nullish(),
  last_name: displayText.nullish(),
  primary_email_address_id: z.string().min(1).max(64).optional(),
});

/** Backend API: `PATCH /v1/users/{user_id}`. */
export const updateUserBody = z.strictObject({
  first_name: displayText.nullish(),
  last_name: displayText.nullish(),
  external_id: externalId.nullish(),
  username: username.nullish(),
  locale: locale.nullish(),
  password: password.nullish(),
  skip_password_checks: z.boolean().nullish(),
  sign_out_of_all_sessions: z.boolean().nullish(),
  primary_email_address_id: z.string().min(1).max(64).nullish(),
});

/** Frontend API: sign up from an invitation link (the link proves the address). */
export const ticketSignUpBody = z.object({
  ticket: z.string().min(1).max(512),
  password,
  first_name: displayText.nullish(),
  last_name: displayText.nullish(),
});

/** Frontend API: accept an invitation link as the signed-in user. */
export const ticketBody = z.object({ ticket: z.string().min(1).max(512) });

/** Frontend API: create an organization as the signed-in user. */
export const fapiCreateOrganizationBody = z.object({
  name: createOrganizationBody.shape.name,
  slug: createOrganizationBody.shape.slug,
});

/** Frontend API: invite one address. */
export const fapiCreateInvitationBody = z.object({
  email_address: emailAddress,
  role: roleKey,
  notify: z.boolean().nullish(),
});

/** Frontend API: invite many addresses with one role. */
export const fapiCreateInvitationBulkBody = z.object({
  email_address: z.array(emailAddress).min(1).max(100),
  role: roleKey,
  notify: z.boolean().nullish(),
});

/** Frontend API pagination (`limit`/`offset`, like Clerk's FAPI). */
export const fapiListQuery = paginationQuery;
