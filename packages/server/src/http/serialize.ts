import type {
  EmailAddressJSON,
  OrganizationInvitationJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  PublicOrganizationDataJSON,
  SessionJSON,
  UserJSON,
  UserOrganizationInvitationJSON,
} from '@roster/protocol';
import { AppError } from '../domain/errors.js';
import { effectiveStatus } from '../domain/invitations/invitations.js';
import type {
  DeliveryState,
  Invitation,
  Membership,
  Organization,
  OrganizationCounts,
  Session,
  UserWithEmails,
} from '../domain/records.js';
import { roleCatalog } from '../domain/roles/catalog.js';
import type { Store } from '../domain/store.js';

/**
 * Records to wire JSON. `audience` decides whether private metadata is included: the Backend API
 * (secret key) sees it, the Frontend API (browser) never does.
 */
export type Audience = 'backend' | 'frontend';

/** How a verified address was proven (an address given by a shown link before decision 021 is unverified). */
const verifiedBy = (e: UserWithEmails['emailAddresses'][number]) =>
  e.verificationStrategy === 'ticket_unproven' ? 'ticket' : (e.verificationStrategy ?? 'admin');

/** One of a user's addresses as Clerk's `EmailAddress` (an added one, not proven yet, has no verification). */
export function emailAddressJSON(e: UserWithEmails['emailAddresses'][number]): EmailAddressJSON {
  return {
    object: 'email_address',
    id: e.id,
    email_address: e.email,
    verification: e.verified
      ? {
          object: `verification_${verifiedBy(e)}` as const,
          status: 'verified',
          strategy: verifiedBy(e),
          attempts: null,
          expire_at: null,
        }
      : null,
    linked_to: [],
    reserved: false,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

/** A user as the API shows it; `now` decides whether a lock still holds (the deps clock, where the caller has it). */
export function userJSON(user: UserWithEmails, audience: Audience, now = Date.now()): UserJSON {
  const lockedFor = user.lockedUntil === null ? 0 : Math.ceil((user.lockedUntil - now) / 1000);
  const emails: EmailAddressJSON[] = user.emailAddresses.map(emailAddressJSON);
  return {
    object: 'user',
    id: user.id,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    locale: user.locale,
    image_url: user.imageUrl ?? '',
    has_image: user.imageUrl !== null,
    primary_email_address_id: user.emailAddresses[0]?.id ?? null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    password_enabled: user.passwordHash !== null,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    password_last_updated_at: user.passwordHash === null ? null : user.passwordLastUpdatedAt,
    email_addresses: emails,
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    passkeys: [],
    public_metadata: user.publicMetadata,
    ...(audience === 'backend' && { private_metadata: user.privateMetadata }),
    unsafe_metadata: {},
    external_id: user.externalId,
    last_sign_in_at: user.lastSignInAt,
    banned: user.banned,
    locked: lockedFor > 0,
    lockout_expires_in_seconds: lockedFor > 0 ? lockedFor : null,
    verification_attempts_remaining: null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    last_active_at: user.lastSignInAt,
    create_organization_enabled: true,
    create_organizations_limit: null,
    delete_self_enabled: true,
    legal_accepted_at: null,
  };
}

export function organizationJSON(org: Organization, counts: OrganizationCounts, audience: Audience): OrganizationJSON {
  return {
    object: 'organization',
    id: org.id,
    name: org.name,
    slug: org.slug,
    image_url: org.imageUrl ?? '',
    has_image: org.imageUrl !== null,
    members_count: counts.membersCount,
    pending_invitations_count: counts.pendingInvitationsCount,
    max_allowed_memberships: org.maxAllowedMemberships,
    admin_delete_enabled: org.adminDeleteEnabled,
    missing_member_with_elevated_permissions: counts.adminsCount === 0,
    public_metadata: org.publicMetadata,
    ...(audience === 'backend' && { private_metadata: org.privateMetadata }),
    created_by: org.createdBy,
    created_at: org.createdAt,
    updated_at: org.updatedAt,
    role_set_key: org.roleSetKey,
  };
}

export function publicOrganizationData(org: Organization): PublicOrganizationDataJSON {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    image_url: org.imageUrl ?? '',
    has_image: org.imageUrl !== null,
  };
}

function deliveryJSON(invitation: Invitation, delivery: DeliveryState | undefined) {
  if (!delivery)
    return {
      status: invitation.notify ? ('queued' as const) : ('not_sent' as const),
      attempts: 0,
      last_error: null,
      sent_at: null,
    };
  return {
    status: delivery.status,
    attempts: delivery.attempts,
    last_error: delivery.lastError,
    sent_at: delivery.sentAt,
  };
}

/** A `revoked` invitation that its invitee declined (Clerk has no declined status; the record says who ended it). */
const declined = (i: Invitation) => i.status === 'revoked' && i.endedBy === 'invitee';

/**
 * One invitation's wire JSON from what it needs: its inviter, its delivery state (none yet for a
 * message just queued) and, for a user's own list, its organization.
 */
export function invitationJSON(
  i: Invitation,
  options: {
    audience: Audience;
    now: number;
    url?: string;
    inviter: UserWithEmails | null | undefined;
    /** The role's display name (`RoleCatalog.nameOf`). */
    roleName: string;
    delivery: DeliveryState | undefined;
    organization?: Organization | null;
  },
): OrganizationInvitationJSON {
  const { inviter, organization } = options;
  return {
    object: 'organization_invitation',
    id: i.id,
    email_address: i.emailAddress,
    role: i.role,
    role_name: options.roleName,
    organization_id: i.organizationId,
    inviter_id: i.inviterId,
    public_inviter_data: inviter
      ? {
          user_id: inviter.id,
          first_name: inviter.firstName,
          last_name: inviter.lastName,
          image_url: inviter.imageUrl ?? '',
          has_image: inviter.imageUrl !== null,
          identifier: inviter.emailAddresses[0]?.email ?? inviter.id,
        }
      : null,
    status: effectiveStatus(i, options.now),
    declined: declined(i),
    public_metadata: i.publicMetadata,
    ...(options.audience === 'backend' && { private_metadata: i.privateMetadata }),
    url: options.url ?? null,
    redirect_url: i.redirectUrl,
    expires_at: i.expiresAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    email_delivery: deliveryJSON(i, options.delivery),
    ...(organization && { public_organization_data: publicOrganizationData(organization) }),
  };
}

/** Loads what invitation JSON needs (inviters, delivery states) for many invitations at once. */
export async function serializeInvitations(
  store: Store,
  invitations: Invitation[],
  options: {
    audience: Audience;
    now: number;
    withOrganization?: boolean;
    /** A shown link to put in the (single) answer: copy-link's. */
    url?: string;
  },
): Promise<OrganizationInvitationJSON[]> {
  const inviterIds = [...new Set(invitations.map((i) => i.inviterId).filter((id): id is string => id !== null))];
  const [inviters, deliveries, orgs, catalog] = await Promise.all([
    inviterIds.length ? store.listUsers({ userIds: inviterIds, limit: inviterIds.length, offset: 0 }) : [],
    store.deliveryOf(invitations.map((i) => i.id)),
    options.withOrganization
      ? Promise.all([...new Set(invitations.map((i) => i.organizationId))].map((id) => store.findOrganization(id)))
      : [],
    roleCatalog(store),
  ]);
  return invitations.map((i) =>
    invitationJSON(i, {
      audience: options.audience,
      now: options.now,
      ...(options.url !== undefined && { url: options.url }),
      inviter: inviters.find((u) => u.id === i.inviterId),
      roleName: catalog.nameOf(i.role),
      delivery: deliveries.get(i.id),
      organization: orgs.find((o) => o?.id === i.organizationId),
    }),
  );
}

export async function serializeOrganizations(store: Store, orgs: Organization[], audience: Audience, now: number) {
  const counts = await store.countsOf(
    orgs.map((o) => o.id),
    now,
  );
  return orgs.map((o) => organizationJSON(o, counts.get(o.id)!, audience));
}

/** Memberships with their organization and public user data embedded (Clerk's clients require both). */
export async function serializeMemberships(
  store: Store,
  memberships: Membership[],
  audience: Audience,
  now: number,
): Promise<OrganizationMembershipJSON[]> {
  const userIds = [...new Set(memberships.map((m) => m.userId))];
  const orgIds = [...new Set(memberships.map((m) => m.organizationId))];
  const [users, orgs, counts, catalog] = await Promise.all([
    userIds.length ? store.listUsers({ userIds, limit: userIds.length, offset: 0 }) : [],
    Promise.all(orgIds.map((id) => store.findOrganization(id))),
    store.countsOf(orgIds, now),
    roleCatalog(store),
  ]);
  return memberships.map((m) => {
    const user = users.find((u) => u.id === m.userId);
    const org = orgs.find((o) => o?.id === m.organizationId);
    // Deleted since the membership was read or made (an accept answered just after it): the clear 404.
    if (!org) throw new AppError('organization_not_found', { meta: { id_or_slug: m.organizationId } });
    return {
      object: 'organization_membership',
      id: m.id,
      role: m.role,
      role_name: catalog.nameOf(m.role),
      permissions: [...catalog.permissionsOf(m.role)],
      public_metadata: m.publicMetadata,
      ...(audience === 'backend' && { private_metadata: m.privateMetadata }),
      organization: organizationJSON(org, counts.get(org.id)!, audience),
      public_user_data: {
        user_id: m.userId,
        first_name: user?.firstName ?? null,
        last_name: user?.lastName ?? null,
        image_url: user?.imageUrl ?? '',
        has_image: (user?.imageUrl ?? null) !== null,
        identifier: user?.emailAddresses[0]?.email ?? m.userId,
        username: null,
      },
      created_at: m.createdAt,
      updated_at: m.updatedAt,
    };
  });
}

export function sessionJSON(session: Session): SessionJSON {
  return {
    object: 'session',
    id: session.id,
    user_id: session.userId,
    status: 'active',
    expire_at: session.expiresAt,
    last_active_organization_id: session.activeOrganizationId,
    created_at: session.createdAt,
  };
}

/** The invitee's view: no inviter details, no private metadata, with the organization's public data. */
export async function serializeUserInvitations(
  store: Store,
  invitations: Invitation[],
  now: number,
): Promise<UserOrganizationInvitationJSON[]> {
  const [orgs, catalog] = await Promise.all([
    Promise.all([...new Set(invitations.map((i) => i.organizationId))].map((id) => store.findOrganization(id))),
    roleCatalog(store),
  ]);
  return invitations.map((i) => ({
    object: 'organization_invitation',
    id: i.id,
    email_address: i.emailAddress,
    role: i.role,
    role_name: catalog.nameOf(i.role),
    status: effectiveStatus(i, now),
    declined: declined(i),
    public_metadata: i.publicMetadata,
    public_organization_data: publicOrganizationData(orgs.find((o) => o?.id === i.organizationId)!),
    expires_at: i.expiresAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  }));
}
