import type { InvitationStatus } from '@roster/protocol';
import type { AppInvitationStore } from './app-invitations/store.js';
import type { InstanceAdminStore } from './console/admins.js';
import type { DomainEvent } from './events/events.js';
import type {
  InvitationOrder,
  MembershipFilters,
  MembershipOrder,
  OrganizationFilters,
  OrganizationOrder,
} from './lists/filters.js';
import type { MembershipRequestStore } from './membership-requests/store.js';
import type { OrgDomainStore } from './org-domains/store.js';
import type {
  DeliveryState,
  EmailAddress,
  Invitation,
  InvitationEnder,
  Membership,
  Organization,
  OrganizationCounts,
  OutboxMessage,
  Page,
  PendingEmailAddress,
  Session,
  SignInAttempt,
  SignUpAttempt,
  User,
  UserWithEmails,
} from './records.js';
import type { RoleSetStore } from './roles/role-set-store.js';
import type { RoleStore } from './roles/store.js';

/**
 * What the domain needs from storage. The storage layer implements it with Kysely for SQLite
 * and PostgreSQL; the domain never sees SQL. Unique-constraint violations surface as
 * `UniqueViolation`, and writes naming a row that is gone (a user or organization deleted by a
 * concurrent request) as `ForeignKeyViolation`, so the domain can turn them into its own error codes.
 */
/** An image as served: normalized bytes (see domain/images). */
export interface StoredImage {
  id: string;
  ownerId: string;
  contentType: string;
  data: Uint8Array;
  width: number;
  height: number;
  createdAt: number;
}

export interface Store extends AppInvitationStore {
  /** Roles, permissions and instance settings (on a transaction's store: in the transaction). */
  readonly roles: RoleStore;
  /** Role sets (on a transaction's store: in the transaction). */
  readonly roleSets: RoleSetStore;
  /** Who may use the console with their own account (decision 051). */
  readonly instanceAdmins: InstanceAdminStore;
  /** Runs `fn` in one database transaction; everything it writes commits or rolls back together. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  // events (decision 022)
  /**
   * Stores events (and, by the database's own trigger, one webhook delivery per matching
   * endpoint). Call it in the change's transaction, so both commit or neither does.
   */
  appendEvents(events: DomainEvent[]): Promise<void>;

  /** Organization domains (migration 0032), on this store's connection (a transaction's, inside one). */
  orgDomains(): OrgDomainStore;

  /** Suggestions and membership requests (migration 0043), on this store's connection. */
  membershipRequests(): MembershipRequestStore;

  // users
  createUser(user: User): Promise<void>;
  createEmailAddress(email: EmailAddress & { emailNormalized: string }): Promise<void>;
  findUser(id: string): Promise<UserWithEmails | null>;
  findUserByEmail(emailNormalized: string): Promise<UserWithEmails | null>;
  /**
   * Every account that holds the address unverified (decision 021), in user id order: which of its
   * rows it is, whether it is the account's last address, and the organizations it joined through
   * invitations to the address (empty when `lastAddress`: then the whole account goes). Whoever
   * proves the address takes it from them (`releaseUnprovenEmails` in the domain).
   */
  findUnprovenHolds(
    emailNormalized: string,
  ): Promise<{ emailAddressId: string; userId: string; lastAddress: boolean; joinedThrough: string[] }[]>;
  /** Deletes one unverified address row; false if it is gone or was proven meanwhile. */
  deleteUnverifiedEmailAddress(id: string): Promise<boolean>;
  /** Marks the user's unverified hold on an address as proven (by `strategy`); null if the user holds no such row. */
  proveEmailAddress(
    userId: string,
    emailNormalized: string,
    strategy: 'email_code' | 'ticket' | 'admin',
  ): Promise<EmailAddress | null>;
  listUsers(
    options: UserListFilters & { limit: number; offset: number; orderBy?: UserOrder },
  ): Promise<UserWithEmails[]>;
  countUsers(options: UserListFilters): Promise<number>;
  updateUser(
    id: string,
    patch: Partial<
      Pick<
        User,
        | 'lastSignInAt'
        | 'updatedAt'
        | 'firstName'
        | 'lastName'
        | 'publicMetadata'
        | 'privateMetadata'
        | 'banned'
        | 'lockedUntil'
        | 'imageUrl'
        | 'externalId'
        | 'username'
        | 'locale'
      >
    >,
  ): Promise<void>;
  deleteUser(id: string): Promise<boolean>;
  /** Replaces a user's password hash (null: no password). */
  updateUserPassword(id: string, passwordHash: string | null, now: number): Promise<void>;
  /** Swaps an imported digest for Roster's own hash of the same password, only if `from` is still stored. */
  replacePasswordHash(id: string, from: string, to: string): Promise<void>;
  /** Makes one of the user's verified addresses the primary one (listed first). False if it is not theirs. */
  setPrimaryEmailAddress(userId: string, emailAddressId: string): Promise<boolean>;
  /**
   * Removes one address of a user unless it is their last verified one (`last`). Concurrent
   * removals of one user's addresses are serialized (the user's row is locked), so two of them
   * can never remove the last two addresses between them.
   */
  deleteEmailAddress(userId: string, emailAddressId: string): Promise<'deleted' | 'not_found' | 'last'>;
  /**
   * Leaves the user only the verified address `emailAddressId`, as their primary one: every other
   * address, held or added, is removed. False (nothing changed) if that address is not one of
   * theirs, verified. Serialized with `deleteEmailAddress` on the user's row.
   */
  keepOnlyEmailAddress(userId: string, emailAddressId: string): Promise<boolean>;

  // addresses added by a signed-in user, not yet proved (they live apart from `email_addresses`)
  createPendingEmailAddress(address: PendingEmailAddress): Promise<void>;
  findPendingEmailAddress(userId: string, id: string): Promise<PendingEmailAddress | null>;
  listPendingEmailAddresses(userId: string): Promise<PendingEmailAddress[]>;
  /** Sets a fresh code on a pending address (tries back to zero). */
  updatePendingEmailAddressCode(id: string, patch: { codeHash: string; expiresAt: number; now: number }): Promise<void>;
  /** One try from a pending address's code, as `takeSignUpAttempt`. */
  takePendingEmailAddress(
    id: string,
    options: { now: number; maxAttempts: number },
  ): Promise<PendingEmailAddress | null>;
  deletePendingEmailAddress(userId: string, id: string): Promise<boolean>;
  /** Whose address (verified, held or added) `id` is; null: no one's. */
  findEmailAddressOwner(id: string): Promise<string | null>;

  // sign-in attempts (password reset by emailed code)
  saveSignInAttempt(attempt: SignInAttempt): Promise<void>;
  findSignInAttempt(id: string): Promise<SignInAttempt | null>;
  /** Sets a fresh code on an attempt still waiting for one (tries back to zero). */
  updateSignInAttemptCode(id: string, patch: { codeHash: string; expiresAt: number }): Promise<void>;
  /** One try from a live `needs_first_factor` attempt, as `takeSignUpAttempt`. */
  takeSignInAttempt(id: string, options: { now: number; maxAttempts: number }): Promise<SignInAttempt | null>;
  /**
   * Moves a live attempt from `from` to `to` in one conditional update; false when another request
   * moved it first (so a code is good for one reset).
   */
  transitionSignInAttempt(
    id: string,
    options: { from: SignInAttempt['status']; to: SignInAttempt['status']; now: number },
  ): Promise<boolean>;
  /** Deletes an attempt; true when this call deleted it (one reset per verified code). */
  deleteSignInAttempt(id: string): Promise<boolean>;
  deleteSignInAttemptsOfUser(userId: string): Promise<void>;
  /**
   * Deletes up to `limit` sign-in attempts and up to `limit` sign-up attempts that expired at or
   * before `before` (the sweeper; rows another instance is deleting are skipped). Returns how many of
   * each went.
   */
  deleteExpiredAttempts(options: { before: number; limit: number }): Promise<{ signIns: number; signUps: number }>;
  /**
   * Takes the user's row lock until the transaction ends (no-op where writes are serialized).
   * `shared`: only keeps the user from being deleted meanwhile, and holders do not wait for each other.
   */
  lockUser(id: string, options?: { shared?: boolean }): Promise<void>;

  // sign-up attempts (email verification codes)
  saveSignUpAttempt(attempt: SignUpAttempt): Promise<void>;
  findSignUpAttempt(id: string): Promise<SignUpAttempt | null>;
  /**
   * Takes one try from a live attempt in a single conditional update (attempts + 1, only while
   * under `maxAttempts` and unexpired at `now`) and returns the attempt as updated, or null when no
   * try is left. Concurrent guesses therefore never get more than `maxAttempts` tries between them.
   */
  takeSignUpAttempt(id: string, options: { now: number; maxAttempts: number }): Promise<SignUpAttempt | null>;
  /** Removes every pending sign-up for an address (once one of them has created the account). */
  deleteSignUpAttempts(emailNormalized: string): Promise<void>;

  // sessions
  createSession(session: Session): Promise<void>;
  /** A session with its user (sessions always have one: they go when the user does). */
  findSessionByTokenHash(tokenHash: string): Promise<{ session: Session; user: UserWithEmails } | null>;
  findSession(id: string): Promise<Session | null>;
  /** A user's sessions (or the ones named), newest first. */
  listSessions(options: { userId?: string; ids?: string[]; limit: number; offset: number }): Promise<Page<Session>>;
  updateSession(
    id: string,
    patch: Partial<Pick<Session, 'lastActiveAt' | 'activeOrganizationId' | 'expiresAt'>>,
  ): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteSessionsOfUser(userId: string): Promise<void>;
  /** Ends every session of a user except `keepSessionId`. */
  deleteOtherSessions(userId: string, keepSessionId: string): Promise<void>;

  // images (logos and user images, migration 0023): one per owner
  /** Stores an owner's image in place of the one it had, if any. */
  replaceImage(image: StoredImage): Promise<void>;
  findImage(id: string): Promise<StoredImage | null>;
  /** Deletes the owner's image; answers whether there was one. */
  deleteImageOf(ownerId: string): Promise<boolean>;

  // organizations
  createOrganization(org: Organization): Promise<void>;
  findOrganization(idOrSlug: string): Promise<Organization | null>;
  /** An organization (by id or slug) and the user's membership in it (null: not a member), in one read. */
  findOrganizationWithMembership(
    idOrSlug: string,
    userId: string,
  ): Promise<{ organization: Organization; membership: Membership | null } | null>;
  /** Takes the organization's row lock until the transaction ends (no-op where writes are serialized). */
  lockOrganization(id: string): Promise<void>;
  /**
   * Reads an organization by id and takes its row lock (as `lockOrganization`) in one statement: it
   * cannot be deleted, nor its seats counted by another writer, until the transaction ends.
   */
  findOrganizationForUpdate(id: string): Promise<Organization | null>;
  /**
   * Takes the row locks of every organization any of the users is a member of, in id order (so two
   * requests locking several organizations never deadlock), until the transaction ends (no-op
   * where writes are serialized). Returns the ids locked.
   */
  lockOrganizationsOfUsers(userIds: string[]): Promise<string[]>;
  /** How many organizations the user created and still belongs to (the creation cap counts them). */
  countOrganizationsCreatedBy(userId: string): Promise<number>;
  updateOrganization(id: string, patch: Partial<Omit<Organization, 'id' | 'createdAt' | 'createdBy'>>): Promise<void>;
  deleteOrganization(id: string): Promise<boolean>;
  /** Filtered and ordered as `OrganizationFilters` says (storage/lists.ts). */
  listOrganizations(
    options: OrganizationFilters & { order?: OrganizationOrder; limit: number; offset: number },
  ): Promise<Page<Organization>>;
  countsOf(orgIds: string[], now: number): Promise<Map<string, OrganizationCounts>>;

  // memberships
  createMembership(membership: Membership): Promise<void>;
  findMembership(orgId: string, userId: string): Promise<Membership | null>;
  /**
   * What stands in the way of inviting an address (one statement): whether the account holding it
   * is already a member, and the organization's pending invitation for it, if any.
   */
  findInvitationBlockers(
    orgId: string,
    emailNormalized: string,
  ): Promise<{ member: boolean; pending: Invitation | null }>;
  /**
   * Filtered and ordered as `MembershipFilters` says (storage/lists.ts): `query` keeps the members
   * whose name ("first last"), email address or user id contains it, ignoring case (Clerk's `query`
   * filter without phone numbers, usernames or wallets).
   */
  listMemberships(
    options: MembershipFilters & { order?: MembershipOrder; limit: number; offset: number },
  ): Promise<Page<Membership>>;
  updateMembership(
    id: string,
    patch: Partial<Pick<Membership, 'role' | 'publicMetadata' | 'privateMetadata' | 'updatedAt'>>,
  ): Promise<void>;
  deleteMembership(id: string): Promise<void>;

  // invitations
  /**
   * Stores an invitation and, when it is to be mailed, its outbox message, atomically (both or
   * neither), in a transaction or not. A second pending invitation for the same address in the
   * organization is refused by the database (`UniqueViolation`). Its `events` are written in the
   * same atomic write (one statement on PostgreSQL).
   */
  createInvitation(invitation: Invitation, mail: OutboxMessage | null, events?: DomainEvent[]): Promise<void>;
  findInvitation(orgId: string, id: string): Promise<Invitation | null>;
  findInvitationById(id: string): Promise<Invitation | null>;
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | null>;
  listInvitations(options: {
    orgId?: string;
    emails?: string[];
    statuses?: InvitationStatus[];
    /** Contained, ignoring case, in the invited address. */
    query?: string;
    /** Default: newest first. */
    order?: InvitationOrder;
    limit: number;
    offset: number;
    now: number;
  }): Promise<Page<Invitation>>;
  /**
   * Invitations across the instance, newest first, one keyset page (operator console): rows strictly
   * after `after` (the last row of the previous page, by created_at then id), so a page deep into a
   * million rows costs what the first does. Filters as `listInvitations`; no total count.
   */
  listInvitationsAfter(options: {
    orgId?: string;
    emailNormalized?: string;
    statuses?: InvitationStatus[];
    after?: { createdAt: number; id: string } | null;
    limit: number;
    now: number;
  }): Promise<Invitation[]>;
  /**
   * Marks `pending` rows past their expiry as `expired`: an organization's for one address, or up
   * to `limit` of any (the sweeper; rows another instance is sweeping are skipped). Returns how
   * many changed.
   */
  expireInvitations(options: {
    orgId?: string;
    emailNormalized?: string;
    now: number;
    limit?: number;
    /** The events for the rows this call expired, written atomically with the change. */
    events?: (expired: Invitation[]) => Promise<DomainEvent[]>;
  }): Promise<number>;
  /**
   * The single conditional update behind accept, revoke and decline: changes the status only if
   * the row is still `pending` and unexpired at `now`. Returns false when another request won.
   */
  transitionInvitation(options: {
    id: string;
    to: 'accepted' | 'revoked';
    now: number;
    acceptedUserId?: string;
    /** Recorded with the new status: who ended it (`invitee` for a decline). */
    endedBy?: InvitationEnder;
    /** Written atomically with the change, only if it happens. */
    events?: DomainEvent[];
  }): Promise<boolean>;

  /**
   * Resend and renewal (decision 029): gives a `pending` or `expired` invitation a new mailed ticket
   * (`tokenHash`) and shown ticket (`urlTokenHash`, null for none), a new expiry, and status
   * `pending` again (the 0004 triggers move an expired one's count back); withdraws its mail still
   * queued (the old ticket) and queues `mail` (the new one), all or nothing. Role, metadata and
   * inviter are untouched. Conditional like `transitionInvitation`: returns false, writing nothing,
   * when the invitation was accepted or revoked meanwhile. Renewing while another invitation for the
   * address is pending is a `UniqueViolation`.
   */
  reissueInvitation(options: {
    id: string;
    tokenHash: string;
    urlTokenHash: string | null;
    expiresAt: number;
    now: number;
    mail: OutboxMessage;
  }): Promise<boolean>;
  /**
   * Replaces the shown ticket (copy-link) of an invitation that is pending and unexpired at `now`;
   * the previous shown link stops working. Returns false when the invitation is no longer pending.
   */
  replaceShownTicket(options: { id: string; urlTokenHash: string; now: number }): Promise<boolean>;

  // outbox
  enqueueMail(message: OutboxMessage): Promise<void>;
  /** Claims up to `limit` due messages for `leaseMs`, so no other dispatcher takes them meanwhile. */
  claimMail(options: { now: number; leaseMs: number; limit: number; owner: string }): Promise<OutboxMessage[]>;
  /**
   * Extends `owner`'s claims on the messages `ids` to `now + leaseMs` (the dispatcher's heartbeat
   * while a batch is sending), only where `owner` still holds the claim. Returns how many it kept.
   */
  renewMailLease(options: { ids: string[]; now: number; leaseMs: number; owner: string }): Promise<number>;
  /**
   * Records the outcomes of sends (one statement for a batch), each only while `owner` still holds
   * its claim: if the lease ran out and another dispatcher took a message, this (late) outcome is
   * dropped and theirs counts. Each recorded outcome's `event` is stored with it, in the same
   * transaction (an outcome dropped leaves no event); an invitation mail's event takes the
   * invitation's organization. Returns how many were recorded.
   */
  completeMails(
    owner: string,
    outcomes: {
      id: string;
      patch: Pick<OutboxMessage, 'status' | 'attempts' | 'lastError' | 'sentAt' | 'nextAttemptAt' | 'payload'>;
      event?: DomainEvent;
    }[],
  ): Promise<number>;
  deliveryOf(invitationIds: string[]): Promise<Map<string, DeliveryState>>;
  /**
   * Withdraws an invitation's messages that are still queued (status `not_sent`, sealed secrets
   * dropped), so a revoked or declined invitation is not mailed by a later retry. A message a
   * dispatcher is sending at that moment may still go out.
   */
  withdrawQueuedMail(invitationId: string): Promise<number>;
  findMail(id: string): Promise<OutboxMessage | null>;
  /** Messages waiting for a retry after a failed send (queued, tried at least once), and when the next is due. */
  countRetryingMail(): Promise<{ count: number; nextAttemptAt: number | null }>;
  /**
   * Makes the messages waiting for a retry (queued, tried before) due at `now`: all of them, or one invitation's, unless
   * a dispatcher holds their claim; the caller kicks the dispatcher. Returns how many.
   */
  retryMailNow(options: { now: number; invitationId?: string }): Promise<number>;
}

/**
 * Thrown by a store when an insert or update names a row that does not exist (any more): `table` is
 * the referenced table (`users`, `organizations`), or `unknown` where the driver does not say.
 */
export class ForeignKeyViolation extends Error {
  constructor(readonly table: string) {
    super(`foreign key violated: no such row in ${table}`);
  }
}

/** Thrown by a store when an insert or update breaks a unique constraint. */
/**
 * Clerk's user list filters (`GET /v1/users`): each one given narrows the list. Addresses are
 * normalized, usernames lower-cased; `excluded*` are the ids Clerk's `-` prefix names.
 */
export interface UserListFilters {
  emails?: string[];
  userIds?: string[];
  excludedUserIds?: string[];
  externalIds?: string[];
  excludedExternalIds?: string[];
  usernames?: string[];
  /** Members of any of these organizations. */
  organizationIds?: string[];
  /** Part of an address, the id, the username or the name, case-insensitive. */
  query?: string;
  banned?: boolean;
  createdAfter?: number;
  createdBefore?: number;
  lastSignInAfter?: number;
  lastSignInBefore?: number;
}

/** Clerk's user `order_by` (`+first_name`, `-created_at`, …) as a field and a direction. */
export interface UserOrder {
  field: 'created_at' | 'updated_at' | 'email_address' | 'first_name' | 'last_name' | 'last_sign_in_at' | 'username';
  direction: 'asc' | 'desc';
}

export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`);
  }
}
