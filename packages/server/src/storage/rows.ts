import type { Metadata, RoleKey } from '@roster/protocol';
import type { Selectable } from 'kysely';
import type { DomainEvent } from '../domain/events/events.js';
import type {
  EmailAddress,
  Invitation,
  Membership,
  Organization,
  OutboxMessage,
  PendingEmailAddress,
  Session,
  SignInAttempt,
  SignUpAttempt,
  User,
} from '../domain/records.js';
import type { Database } from './schema.js';

/** Row <-> record mapping, one pair per table. */

type Row<T extends keyof Database> = Selectable<Database[T]>;

const json = (text: string): Metadata => JSON.parse(text) as Metadata;

export const userFromRow = (r: Row<'users'>): User => ({
  id: r.id,
  firstName: r.first_name,
  lastName: r.last_name,
  passwordHash: r.password_hash,
  publicMetadata: json(r.public_metadata),
  privateMetadata: json(r.private_metadata),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  lastSignInAt: r.last_sign_in_at === null ? null : Number(r.last_sign_in_at),
  banned: Number(r.banned) === 1,
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  imageUrl: r.image_url ?? null,
  externalId: r.external_id ?? null,
  username: r.username ?? null,
  locale: r.locale ?? null,
  passwordLastUpdatedAt: r.password_last_updated_at == null ? null : Number(r.password_last_updated_at),
});

export const userToRow = (u: User): Row<'users'> => ({
  id: u.id,
  first_name: u.firstName,
  last_name: u.lastName,
  password_hash: u.passwordHash,
  public_metadata: JSON.stringify(u.publicMetadata),
  private_metadata: JSON.stringify(u.privateMetadata),
  created_at: u.createdAt,
  updated_at: u.updatedAt,
  last_sign_in_at: u.lastSignInAt,
  banned: u.banned ? 1 : 0,
  locked_until: u.lockedUntil,
  image_url: u.imageUrl,
  external_id: u.externalId,
  username: u.username,
  locale: u.locale,
  password_last_updated_at: u.passwordLastUpdatedAt,
});

export const emailFromRow = (r: Row<'email_addresses'>): EmailAddress => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  verified: Boolean(r.verified),
  verificationStrategy: r.verification_strategy as EmailAddress['verificationStrategy'],
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const sessionFromRow = (r: Row<'sessions'>): Session => ({
  id: r.id,
  userId: r.user_id,
  tokenHash: r.token_hash,
  activeOrganizationId: r.active_organization_id,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  lastActiveAt: Number(r.last_active_at),
  clientIp: r.client_ip ?? null,
  userAgent: r.user_agent ?? null,
});

export const organizationFromRow = (r: Row<'organizations'>): Organization => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  maxAllowedMemberships: Number(r.max_allowed_memberships),
  adminDeleteEnabled: Boolean(r.admin_delete_enabled),
  createdBy: r.created_by,
  publicMetadata: json(r.public_metadata),
  privateMetadata: json(r.private_metadata),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  imageUrl: r.image_url ?? null,
  roleSetKey: r.role_set_key ?? null,
});

export const membershipFromRow = (r: Row<'memberships'>): Membership => ({
  id: r.id,
  organizationId: r.organization_id,
  userId: r.user_id,
  role: r.role as RoleKey,
  publicMetadata: json(r.public_metadata),
  privateMetadata: json(r.private_metadata),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const invitationFromRow = (r: Row<'invitations'>): Invitation => ({
  id: r.id,
  organizationId: r.organization_id,
  emailAddress: r.email_address,
  emailNormalized: r.email_normalized,
  role: r.role as RoleKey,
  status: r.status as Invitation['status'],
  inviterId: r.inviter_id,
  tokenHash: r.token_hash,
  urlTokenHash: r.url_token_hash,
  publicMetadata: json(r.public_metadata),
  privateMetadata: json(r.private_metadata),
  redirectUrl: r.redirect_url,
  notify: Boolean(r.notify),
  expiresAt: Number(r.expires_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  acceptedUserId: r.accepted_user_id,
  endedBy: (r.ended_by as Invitation['endedBy']) ?? null,
  organizationDomainId: r.organization_domain_id ?? null,
});

export const invitationToRow = (i: Invitation): Row<'invitations'> => ({
  id: i.id,
  organization_id: i.organizationId,
  email_address: i.emailAddress,
  email_normalized: i.emailNormalized,
  role: i.role,
  status: i.status,
  inviter_id: i.inviterId,
  token_hash: i.tokenHash,
  url_token_hash: i.urlTokenHash,
  public_metadata: JSON.stringify(i.publicMetadata),
  private_metadata: JSON.stringify(i.privateMetadata),
  redirect_url: i.redirectUrl,
  notify: i.notify ? 1 : 0,
  expires_at: i.expiresAt,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  accepted_user_id: i.acceptedUserId,
  ended_by: i.endedBy,
  organization_domain_id: i.organizationDomainId,
});

export const outboxFromRow = (r: Row<'outbox'>): OutboxMessage => ({
  id: r.id,
  kind: r.kind as OutboxMessage['kind'],
  toAddress: r.to_address,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  invitationId: r.invitation_id,
  messageId: r.message_id,
  status: r.status as OutboxMessage['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  lastError: r.last_error,
  createdAt: Number(r.created_at),
  sentAt: r.sent_at === null ? null : Number(r.sent_at),
});

export const outboxToRow = (m: OutboxMessage): Row<'outbox'> => ({
  id: m.id,
  kind: m.kind,
  to_address: m.toAddress,
  payload: JSON.stringify(m.payload),
  invitation_id: m.invitationId,
  message_id: m.messageId,
  status: m.status,
  attempts: m.attempts,
  next_attempt_at: m.nextAttemptAt,
  locked_until: m.lockedUntil,
  locked_by: null,
  last_error: m.lastError,
  created_at: m.createdAt,
  sent_at: m.sentAt,
});

export const signUpFromRow = (r: Row<'sign_up_attempts'>): SignUpAttempt => ({
  id: r.id,
  emailNormalized: r.email_normalized,
  email: r.email,
  passwordHash: r.password_hash,
  firstName: r.first_name,
  lastName: r.last_name,
  codeHash: r.code_hash,
  attempts: Number(r.attempts),
  expiresAt: Number(r.expires_at),
  createdAt: Number(r.created_at),
  invitationId: r.invitation_id,
  locale: r.locale,
});

export const signInFromRow = (r: Row<'sign_in_attempts'>): SignInAttempt => ({
  id: r.id,
  emailNormalized: r.email_normalized,
  email: r.email,
  userId: r.user_id,
  status: r.status as SignInAttempt['status'],
  codeHash: r.code_hash,
  attempts: Number(r.attempts),
  expiresAt: Number(r.expires_at),
  createdAt: Number(r.created_at),
});

export const pendingEmailFromRow = (r: Row<'pending_email_addresses'>): PendingEmailAddress => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  emailNormalized: r.email_normalized,
  codeHash: r.code_hash,
  attempts: Number(r.attempts),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const eventToRow = (e: DomainEvent): Omit<Row<'events'>, 'seq'> => ({
  id: e.id,
  type: e.type,
  organization_id: e.organizationId,
  actor: e.actor,
  ip: e.ip,
  user_agent: e.userAgent,
  request_id: e.requestId,
  payload: e.payload,
  created_at: e.createdAt,
  user_id: e.userId ?? null,
});

export const eventFromRow = (r: Row<'events'>): DomainEvent => ({
  id: r.id,
  type: r.type as DomainEvent['type'],
  organizationId: r.organization_id,
  actor: r.actor,
  ip: r.ip,
  userAgent: r.user_agent,
  requestId: r.request_id,
  payload: r.payload,
  createdAt: Number(r.created_at),
  userId: r.user_id,
});
