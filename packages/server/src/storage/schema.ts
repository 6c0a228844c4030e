import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Timestamps are unix milliseconds; booleans are 0/1; JSON is text. */
export interface Database {
  users: {
    id: string;
    first_name: string | null;
    last_name: string | null;
    password_hash: string | null;
    public_metadata: string;
    private_metadata: string;
    created_at: number;
    updated_at: number;
    last_sign_in_at: number | null;
    banned: number;
    /** Sign-ins are refused until then (a Backend API lock); null: not locked. */
    locked_until: number | null;
    /** The profile image's URL (`images`, migration 0023); null: none. */
    image_url: string | null;
    /** Migration 0030: the id in the app's own or previous system (unique), Clerk's `external_id`. */
    external_id: string | null;
    /** Migration 0030: unique, stored lower-cased. */
    username: string | null;
    locale: string | null;
    password_last_updated_at: number | null;
  };
  email_addresses: {
    id: string;
    user_id: string;
    email: string;
    email_normalized: string;
    verified: number;
    verification_strategy: string | null;
    created_at: number;
    updated_at: number;
    /** 1 on the user's primary address (at most one per user); the user's addresses list it first. */
    is_primary: Generated<number>;
  };
  sign_in_attempts: {
    id: string;
    email_normalized: string;
    email: string;
    user_id: string | null;
    status: string;
    code_hash: string | null;
    attempts: number;
    expires_at: number;
    created_at: number;
  };
  pending_email_addresses: {
    id: string;
    user_id: string;
    email: string;
    email_normalized: string;
    code_hash: string | null;
    attempts: number;
    expires_at: number | null;
    created_at: number;
    updated_at: number;
  };
  sign_up_attempts: {
    id: string;
    email_normalized: string;
    email: string;
    password_hash: string;
    first_name: string | null;
    last_name: string | null;
    code_hash: string;
    attempts: number;
    expires_at: number;
    created_at: number;
    /** The invitation this sign-up joins once the code proves the address (a shown link's sign-up). */
    invitation_id: string | null;
    /** The sign-up's language (migration 0040). */
    locale: string | null;
  };
  sessions: {
    id: string;
    user_id: string;
    token_hash: string;
    active_organization_id: string | null;
    created_at: number;
    expires_at: number;
    last_active_at: number;
    /** Where the session was started (migration 0024); null when not known. */
    client_ip: string | null;
    user_agent: string | null;
  };
  organizations: {
    id: string;
    name: string;
    slug: string;
    max_allowed_memberships: number;
    admin_delete_enabled: number;
    created_by: string | null;
    public_metadata: string;
    private_metadata: string;
    created_at: number;
    updated_at: number;
    /** The logo's URL (`images`, migration 0023); null: none. */
    image_url: string | null;
    /** The organization's role set (migration 0041); null only for rows written before it. */
    role_set_key: string | null;
  };
  memberships: {
    id: string;
    organization_id: string;
    user_id: string;
    role: string;
    public_metadata: string;
    private_metadata: string;
    created_at: number;
    updated_at: number;
  };
  /** Invitations per organization and status, kept by triggers (migration 0004); sum over shards. */
  invitation_counts: {
    organization_id: string;
    status: string;
    shard: number;
    n: number;
  };
  invitations: {
    id: string;
    organization_id: string;
    email_address: string;
    email_normalized: string;
    role: string;
    status: string;
    inviter_id: string | null;
    token_hash: string;
    /** The ticket the Backend API may show (its create response's `url`); proves no address. */
    url_token_hash: string | null;
    public_metadata: string;
    private_metadata: string;
    redirect_url: string | null;
    notify: number;
    expires_at: number;
    created_at: number;
    updated_at: number;
    accepted_user_id: string | null;
    ended_by: string | null;
    /** The domain whose automatic invitations made it (migration 0042); kept after the domain is removed. */
    organization_domain_id: string | null;
  };
  /** Invitations to the application itself (Clerk's `/v1/invitations`), no organization (migration 0026). */
  app_invitations: {
    id: string;
    email_address: string;
    email_normalized: string;
    status: string;
    /** The mailed ticket: proves the address (decision 021). */
    token_hash: string;
    /** The ticket shown in the create answer (`url`); proves no address. */
    url_token_hash: string | null;
    public_metadata: string;
    redirect_url: string | null;
    notify: number;
    /** The outbox message that mails the ticket, withdrawn on revoke while still queued. */
    mail_id: string | null;
    expires_at: number;
    created_at: number;
    updated_at: number;
    accepted_user_id: string | null;
  };
  outbox: {
    id: string;
    kind: string;
    to_address: string;
    payload: string;
    invitation_id: string | null;
    message_id: string;
    status: string;
    attempts: number;
    next_attempt_at: number;
    locked_until: number | null;
    locked_by: string | null;
    last_error: string | null;
    created_at: number;
    sent_at: number | null;
  };
  /** Session-token signing keys, one per secret key and algorithm (migration 0012, decision 025). */
  session_signing_keys: {
    kid: string;
    /** HKDF of the secret key the row belongs to: names it without giving it away. */
    secret_ref: string;
    alg: string;
    /** The public key as a JWK (JSON), for operators: the published key is computed from the private key. */
    public_jwk: string;
    /** The PKCS#8 PEM private key, sealed with a secret box keyed from that secret key. */
    private_key: string;
    created_at: number;
  };
  dev_mailbox: {
    id: Generated<number>;
    message_id: string;
    to_address: string;
    from_address: string;
    subject: string;
    text: string;
    html: string;
    created_at: number;
  };
  /** Answers to Idempotency-Key requests (decision 023); `response` null while the first request runs. */
  idempotency_keys: {
    id: string;
    request_hash: string;
    claim: string;
    response: string | null;
    created_at: number;
    expires_at: number;
  };
  /** Domain events, one per change (migration 0008, decision 022). */
  events: {
    seq: Generated<number>;
    id: string;
    type: string;
    organization_id: string | null;
    /** A user id, `secret_key` or `system`. */
    actor: string;
    ip: string | null;
    user_agent: string | null;
    request_id: string | null;
    payload: string;
    created_at: number;
    /** The user the event concerns (migration 0035); null for organization-only changes. */
    user_id: Generated<string | null>;
  };
  webhook_endpoints: {
    id: string;
    url: string;
    description: string | null;
    /** JSON array of event types; empty: every type. */
    enabled_events: string;
    secret: string;
    disabled: number;
    /** When the current run of failed attempts began (null: the last attempt succeeded). */
    failing_since: number | null;
    created_at: number;
    updated_at: number;
  };
  webhook_deliveries: {
    /** Also the `webhook-id` header: stable per (event, endpoint). */
    id: string;
    event_id: string;
    endpoint_id: string;
    status: string;
    attempts: number;
    next_attempt_at: number;
    locked_until: number | null;
    locked_by: string | null;
    response_status: number | null;
    response_body: string | null;
    last_error: string | null;
    duration_ms: number | null;
    created_at: number;
    updated_at: number;
    delivered_at: number | null;
  };
  /** Logos and user images, normalized (decoded, resized, re-encoded, metadata dropped); one per owner. */
  images: {
    id: string;
    /** The organization or user the image belongs to. */
    owner_id: string;
    content_type: string;
    data: Uint8Array;
    width: number;
    height: number;
    created_at: number;
  };
  /** Permissions, system (seeded) and custom (migration 0031). */
  permissions: {
    id: string;
    key: string;
    name: string;
    description: string;
    type: string;
    created_at: number;
    updated_at: number;
  };
  /** Roles; memberships and invitations hold a role's key (migration 0031). */
  roles: {
    id: string;
    key: string;
    name: string;
    description: string | null;
    created_at: number;
    updated_at: number;
  };
  role_permissions: {
    role_id: string;
    permission_id: string;
  };
  /** Role sets (migration 0041): see domain/roles/role-set-store.ts. */
  role_sets: {
    id: string;
    key: string;
    name: string;
    description: string | null;
    type: string;
    default_role_id: string;
    creator_role_id: string;
    created_at: number;
    updated_at: number;
  };
  role_set_roles: {
    role_set_id: string;
    role_id: string;
    added_at: number;
  };
  /** Instance settings as JSON values over the environment's defaults (migration 0031). */
  instance_settings: {
    key: string;
    value: string;
  };
  /** The SMTP server set in the console, one row `smtp` (migration 0039): see email/mail-settings.ts. */
  mail_settings: {
    id: string;
    /** Sealed (SecretBox, its own HKDF info): the URL carries the SMTP password. */
    smtp_url: string;
    from_address: string | null;
    updated_at: number;
    updated_by: string;
  };
  /** Users who may use the console (migration 0044, decision 051). */
  instance_admins: {
    user_id: string;
    granted_at: number;
    /** `secret_key` or the granting admin's user id. */
    granted_by: string;
  };
  /** Organization domains (migration 0032): see domain/org-domains/store.ts. */
  organization_domains: {
    id: string;
    organization_id: string;
    name: string;
    enrollment_mode: string;
    verified: number;
    affiliation_email_address: string | null;
    verification_attempts: number;
    verification_expires_at: number | null;
    verification_code_hash: string | null;
    created_at: number;
    updated_at: number;
  };
  /** Migration 0043: see domain/membership-requests/store.ts. */
  organization_suggestions: {
    id: string;
    organization_id: string;
    user_id: string;
    domain_id: string | null;
    status: string;
    created_at: number;
    updated_at: number;
  };
  /** Migration 0043: see domain/membership-requests/store.ts. */
  organization_membership_requests: {
    id: string;
    organization_id: string;
    user_id: string;
    suggestion_id: string | null;
    domain_id: string | null;
    status: string;
    created_at: number;
    updated_at: number;
  };
}
