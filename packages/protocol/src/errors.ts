/**
 * The one table of Roster error codes. Every error the server sends carries one of these codes;
 * the HTTP status and the human message live here and nowhere else.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from '@roster/protocol';
 * ERROR_CODES.invitation_expired.status; // 410
 * ```
 */
export const ERROR_CODES = {
  // 400: the request itself is wrong
  form_param_missing: { status: 422, message: 'is missing', long: 'A required parameter is missing.' },
  form_param_format_invalid: { status: 422, message: 'is invalid', long: 'A parameter has the wrong format.' },
  form_param_value_invalid: {
    status: 422,
    message: 'is invalid',
    long: 'A parameter has a value that is not allowed.',
  },
  webhook_url_invalid: {
    status: 422,
    message: 'Webhook URL is invalid',
    long: 'A webhook endpoint URL must be an absolute http or https URL without credentials, and its host must resolve.',
  },
  webhook_url_private: {
    status: 422,
    message: 'Webhook URL points to a private address',
    long: 'The webhook endpoint URL resolves to a loopback, private, link-local or otherwise internal address. Roster refuses these unless ROSTER_WEBHOOK_ALLOW_PRIVATE=true.',
  },
  form_param_unknown: {
    status: 422,
    message: 'is unknown',
    long: 'The request contains a parameter that is not recognised.',
  },
  form_password_incorrect: {
    status: 422,
    message: 'Password is incorrect',
    long: 'The email address or password is incorrect.',
  },
  form_password_pwned: {
    status: 422,
    message: 'Password is too common',
    long: 'This password appears in lists of common or leaked passwords; choose another.',
  },
  form_password_length_too_short: {
    status: 422,
    message: 'Password is too short',
    long: 'Passwords must be at least 8 characters long.',
  },
  password_not_set: {
    status: 400,
    message: 'No password',
    long: 'This user has no password to verify.',
  },
  form_identifier_exists: {
    status: 422,
    message: 'That email address is taken',
    long: 'An account with this email address already exists. Sign in instead.',
  },
  identification_deletion_failed: {
    status: 422,
    message: 'Cannot remove your only verified email address',
    long: 'This is the only verified email address of the account; add and verify another before removing it.',
  },
  form_code_incorrect: { status: 422, message: 'Incorrect code', long: 'The verification code is incorrect.' },
  verification_expired: {
    status: 422,
    message: 'Verification expired',
    long: 'The verification code has expired or was used too many times. Request a new one.',
  },
  verification_not_found: {
    status: 404,
    message: 'No pending verification',
    long: 'There is no pending verification for this address. Request a new code.',
  },
  malformed_request_body: {
    status: 400,
    message: 'Malformed request body',
    long: 'The request body could not be parsed as JSON, or as the form its content type names.',
  },
  request_body_too_large: {
    status: 413,
    message: 'Request body too large',
    long: 'The request body exceeds the size limit.',
  },
  image_too_large: {
    status: 413,
    message: 'Image too large',
    long: 'The image file exceeds 10 MB.',
  },
  image_type_invalid: {
    status: 422,
    message: 'Unsupported image',
    long: 'The file is not a JPEG, PNG, GIF or WebP image, or it could not be read.',
  },
  idempotency_key_invalid: {
    status: 400,
    message: 'Invalid Idempotency-Key',
    long: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
  },
  unsupported_content_type: {
    status: 415,
    message: 'Unsupported content type',
    long: 'Send the request body as application/json.',
  },
  // 401/403: who you are and what you may do
  authentication_invalid: { status: 401, message: 'Unauthenticated', long: 'The request has no valid credentials.' },
  clerk_key_invalid: {
    status: 401,
    message: 'Invalid secret key',
    long: 'The secret key in the Authorization header is not valid for this instance.',
  },
  session_invalid: { status: 401, message: 'Not signed in', long: 'You need to sign in to do this.' },
  instance_admin_required: {
    status: 403,
    message: 'Not an instance admin',
    long: 'This account may not use the operator console. Sign in with the secret key, or ask an operator to make you an instance admin.',
  },
  authorization_invalid: {
    status: 403,
    message: 'Unauthorized request',
    long: 'You are not authorized to perform this request.',
  },
  user_banned: {
    status: 403,
    message: 'Account banned',
    long: 'This account has been banned and cannot sign in. Contact the application owner.',
  },
  user_locked: {
    status: 403,
    message: 'Account locked',
    long: 'This account is locked and cannot sign in for now. Try again later.',
  },
  not_a_member_in_organization: {
    status: 403,
    message: 'Not a member',
    long: 'You are not a member of this organization.',
  },
  origin_invalid: {
    status: 403,
    message: 'Origin not allowed',
    long: 'This request came from an origin that is not allowed to call the API.',
  },
  email_address_not_verified: {
    status: 403,
    message: 'Email address not verified',
    long: 'Verify your email address before doing this.',
  },
  invitation_notify_required: {
    status: 403,
    message: 'Invitations from the browser are always emailed',
    long: 'Only the Backend API (with the secret key) can create an invitation without emailing it (notify: false). From the browser, the link goes to the invited mailbox alone.',
  },
  invitation_email_mismatch: {
    status: 403,
    message: 'This invitation is for another email address',
    long: 'You are signed in with an account that does not have the invited email address as a verified address. Sign in with the invited address, or ask for an invitation to your own address.',
  },
  // 404/405
  resource_not_found: { status: 404, message: 'Not found', long: 'The requested resource was not found.' },
  method_not_allowed: {
    status: 405,
    message: 'Method not allowed',
    long: 'This path does not answer to this HTTP method. The Allow header lists the methods it does.',
  },
  user_not_found: { status: 404, message: 'User not found', long: 'No user was found with that id.' },
  organization_not_found: {
    status: 404,
    message: 'Organization not found',
    long: 'No organization was found with that id or slug.',
  },
  membership_not_found: {
    status: 404,
    message: 'Membership not found',
    long: 'That user is not a member of this organization.',
  },
  webhook_endpoint_not_found: {
    status: 404,
    message: 'Webhook endpoint not found',
    long: 'No webhook endpoint was found with that id.',
  },
  webhook_delivery_not_found: {
    status: 404,
    message: 'Webhook delivery not found',
    long: 'No delivery with that id was found for this webhook endpoint.',
  },
  invitation_not_found: {
    status: 404,
    message: 'Invitation not found',
    long: 'No invitation was found for that id or link. Check the link, or ask the organization for a new invitation.',
  },
  // 409/410: state conflicts
  idempotency_key_in_use: {
    status: 409,
    message: 'Idempotency key in use',
    long: 'Another request with this Idempotency-Key is still being processed. Retry once it has finished.',
  },
  idempotency_key_reused: {
    status: 422,
    message: 'Idempotency key reused',
    long: 'This Idempotency-Key was already used for a request with a different method, path or body. Use a new key for a new request.',
  },
  duplicate_record: {
    status: 422,
    message: 'Duplicate record',
    long: 'There is already a pending invitation for this email address in this organization. To mail it again, resend it (meta.resend_path, under the API base) instead of creating another.',
  },
  already_a_member_in_organization: {
    status: 422,
    message: 'Already a member',
    long: 'This user is already a member of the organization.',
  },
  form_identifier_not_found: {
    status: 422,
    message: "Couldn't find your account",
    long: 'No account was found with this email address.',
  },
  organization_slug_taken: { status: 422, message: 'Slug taken', long: 'This organization slug is already in use.' },
  organization_domain_common: {
    status: 422,
    message: 'Common email provider',
    long: 'This is a common email provider domain (such as gmail.com) and cannot be added to an organization.',
  },
  organization_domain_blocked: {
    status: 422,
    message: 'Disposable email domain',
    long: 'This is a disposable email domain and cannot be added to an organization.',
  },
  organization_domain_already_exists: {
    status: 422,
    message: 'Domain already exists',
    long: 'The organization already has this domain, or another organization of this instance has it verified.',
  },
  organization_domain_already_verified: {
    status: 422,
    message: 'Domain already verified',
    long: 'This domain is already verified: there is no affiliation to prove.',
  },
  organization_domain_email_mismatch: {
    status: 422,
    message: 'Address not on the domain',
    long: 'The affiliation email address must be an address on the domain being verified.',
  },
  organization_domains_disabled: {
    status: 403,
    message: 'Verified domains are disabled',
    long: 'Verified domains are turned off in the instance organization settings (domains_enabled).',
  },
  organization_domain_quota_exceeded: {
    status: 403,
    message: 'Domain quota exceeded',
    long: 'An organization can have at most 10 domains. Remove one to add another.',
  },
  organization_membership_quota_exceeded: {
    status: 403,
    message: 'Membership quota exceeded',
    long: 'You have reached your limit of organization memberships, including outstanding invitations.',
  },
  organization_quota_exceeded: {
    status: 403,
    message: 'Organization quota exceeded',
    long: 'You have created as many organizations as you may. Delete one, or ask the application to raise your limit.',
  },
  organization_creation_disabled: {
    status: 403,
    message: 'Organization creation disabled',
    long: 'This application does not let users create organizations (the instance’s organization settings have `enabled: false`).',
  },
  organization_minimum_permissions_needed: {
    status: 403,
    message: 'An admin is required',
    long: 'There has to be at least one organization member with the administrator role.',
  },
  organization_role_in_use: {
    status: 422,
    message: 'Role in use',
    long: 'This role is held by members or pending invitations, or it is the role of new members or of organization creators, so it cannot be deleted or renamed. Give them another role first.',
  },
  organization_role_key_exists: {
    status: 422,
    message: 'Role key taken',
    long: 'There is already a role with this key.',
  },
  organization_role_not_in_role_set: {
    status: 422,
    message: 'Role not in the role set',
    long: 'This role is not one of the roles of the organization’s role set, so it cannot be given in this organization. Add it to the role set first.',
  },
  role_set_key_exists: {
    status: 422,
    message: 'Role set key taken',
    long: 'There is already a role set with this key.',
  },
  role_set_reassignment_required: {
    status: 422,
    message: 'Role reassignment required',
    long: 'Members or pending invitations hold roles the destination role set does not have. Map each of them to a role of the destination set in `reassignment_mappings`.',
  },
  permission_key_exists: {
    status: 422,
    message: 'Permission key taken',
    long: 'There is already a permission with this key.',
  },
  system_permission_immutable: {
    status: 403,
    message: 'System permission',
    long: 'System permissions (org:sys_*) cannot be changed or deleted.',
  },
  invitation_expired: {
    status: 410,
    message: 'Invitation expired',
    long: 'This invitation has expired. Ask an organization admin to send a new one.',
  },
  invitation_revoked: {
    status: 410,
    message: 'Invitation revoked',
    long: 'This invitation was revoked by an organization admin. Ask them for a new one if you should still join.',
  },
  invitation_already_accepted: {
    status: 410,
    message: 'Invitation already used',
    long: 'This invitation has already been accepted. Sign in to reach the organization.',
  },
  membership_request_not_pending: {
    status: 409,
    message: 'Membership request is not pending',
    long: 'This membership request was already accepted or rejected (meta.status says which); only a pending one can be accepted or rejected.',
  },
  invitation_not_pending: {
    status: 409,
    message: 'Invitation is not pending',
    long: 'Only pending invitations can be revoked or declined.',
  },
  // 429
  too_many_requests: {
    status: 429,
    message: 'Too many requests',
    long: 'Too many requests. Wait a little and try again.',
  },
  // 5xx
  database_unavailable: {
    status: 503,
    message: 'Service unavailable',
    long: 'The database is not reachable right now. Try again shortly.',
  },
  storage_full: {
    status: 503,
    message: 'Storage full',
    long: 'The database has no space left to store this. Try again once space has been freed.',
  },
  internal_error: {
    status: 500,
    message: 'Internal error',
    long: 'Something went wrong on our side. It has been logged.',
  },
} as const satisfies Record<string, { status: number; message: string; long: string }>;

/** A stable Roster error code, such as `invitation_expired`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** One entry of an error body, shaped like Clerk's `ClerkError`. */
export interface ErrorEntry {
  code: ErrorCode;
  message: string;
  long_message: string;
  meta?: Record<string, unknown>;
}

/**
 * The body of every non-2xx response.
 *
 * @example
 * ```ts
 * const body: ErrorBody = { errors: [{ code: 'invitation_revoked', message: 'Invitation revoked', long_message: '...' }], clerk_trace_id: 'abc' };
 * ```
 */
export interface ErrorBody {
  errors: ErrorEntry[];
  clerk_trace_id?: string;
}

/**
 * True when `code` is one of Roster's error codes.
 *
 * @example
 * ```ts
 * isErrorCode('duplicate_record'); // true
 * ```
 */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
