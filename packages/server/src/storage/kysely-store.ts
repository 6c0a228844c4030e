import { type InvitationStatus, invitationStatus } from '@roster/protocol';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { InstanceAdminStore } from '../domain/console/admins.js';
import type { DomainEvent } from '../domain/events/events.js';
import type { DeliveryState, Invitation, OutboxMessage, UserWithEmails } from '../domain/records.js';
import type { RoleSetStore } from '../domain/roles/role-set-store.js';
import type { RoleStore } from '../domain/roles/store.js';
import type { Store, StoredImage, UserListFilters } from '../domain/store.js';
import { KyselyAppInvitations } from './app-invitations.js';
import type { Dialect } from './database.js';
import { guarded } from './guarded.js';
import { KyselyInstanceAdminStore } from './instance-admins.js';
import { containsPattern, listMemberships, listOrganizations } from './lists.js';
import { KyselyMembershipRequestStore } from './membership-requests.js';
import { KyselyOrgDomainStore } from './org-domains.js';
import { KyselyRoleSetStore } from './role-sets.js';
import { KyselyRoleStore } from './roles.js';
import {
  emailFromRow,
  eventToRow,
  invitationFromRow,
  invitationToRow,
  membershipFromRow,
  organizationFromRow,
  outboxFromRow,
  outboxToRow,
  pendingEmailFromRow,
  sessionFromRow,
  signInFromRow,
  signUpFromRow,
  userFromRow,
  userToRow,
} from './rows.js';
import type { Database } from './schema.js';
import { orderUsers, userListQuery } from './user-list.js';

/** The advisory lock (an arbitrary constant) that lets one instance at a time sweep expired invitations. */
const SWEEP_LOCK = 0x526f7374; // "Rost"

/**
 * Invitation statuses go into the SQL text as literals, never as bound parameters: SQLite can use
 * a partial index (`… WHERE status = 'pending'`) for `status = ?` only by re-preparing the
 * statement on every run, which costs several times the lookup itself.
 */
const PENDING = sql.lit('pending');

/** The status filter, with `expired` derived for pending rows past their expiry. */
function statusFilter(statuses: InvitationStatus[], now: number) {
  return (eb: ExpressionBuilder<Database, 'invitations'>) =>
    eb.or(
      statuses.map((s) => {
        if (s === 'pending') return eb.and([eb('status', '=', PENDING), eb('expires_at', '>', now)]);
        if (s === 'expired')
          return eb.or([
            eb('status', '=', sql.lit('expired')),
            eb.and([eb('status', '=', PENDING), eb('expires_at', '<=', now)]),
          ]);
        return eb('status', '=', sql.lit(s));
      }),
    );
}

/** `Store` over Kysely; one implementation for SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly roles: RoleStore;
  readonly roleSets: RoleSetStore;
  readonly instanceAdmins: InstanceAdminStore;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly inTransaction = false,
  ) {
    this.roles = new KyselyRoleStore(db);
    this.roleSets = new KyselyRoleSetStore(db);
    this.instanceAdmins = new KyselyInstanceAdminStore(db);
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.atomically(fn);
  }

  /** `transaction`, typed for this class's own methods (their queries on the transaction's connection). */
  private atomically<T>(fn: (tx: KyselyStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new KyselyStore(trx, this.dialect, true)));
  }

  orgDomains() {
    return new KyselyOrgDomainStore(this.db);
  }

  membershipRequests() {
    return new KyselyMembershipRequestStore(this.db);
  }

  // application invitations (storage/app-invitations.ts)

  private get appInvitations() {
    return new KyselyAppInvitations(this.db);
  }
  createAppInvitation(...a: Parameters<Store['createAppInvitation']>) {
    return this.appInvitations.createAppInvitation(...a);
  }
  findAppInvitation(...a: Parameters<Store['findAppInvitation']>) {
    return this.appInvitations.findAppInvitation(...a);
  }
  findAppInvitationByTokenHash(...a: Parameters<Store['findAppInvitationByTokenHash']>) {
    return this.appInvitations.findAppInvitationByTokenHash(...a);
  }
  findPendingAppInvitation(...a: Parameters<Store['findPendingAppInvitation']>) {
    return this.appInvitations.findPendingAppInvitation(...a);
  }
  listAppInvitations(...a: Parameters<Store['listAppInvitations']>) {
    return this.appInvitations.listAppInvitations(...a);
  }
  transitionAppInvitation(...a: Parameters<Store['transitionAppInvitation']>) {
    return this.appInvitations.transitionAppInvitation(...a);
  }
  withdrawQueuedMailById(...a: Parameters<Store['withdrawQueuedMailById']>) {
    return this.appInvitations.withdrawQueuedMailById(...a);
  }

  // events

  async appendEvents(events: DomainEvent[]) {
    if (events.length === 0) return;
    await this.db.insertInto('events').values(events.map(eventToRow)).execute();
  }

  // users

  async createUser(user: Parameters<Store['createUser']>[0]) {
    await guarded(this.db.insertInto('users').values(userToRow(user)).execute());
  }

  async createEmailAddress(e: Parameters<Store['createEmailAddress']>[0]) {
    await guarded(
      this.db
        .insertInto('email_addresses')
        .values({
          id: e.id,
          user_id: e.userId,
          email: e.email,
          email_normalized: e.emailNormalized,
          verified: e.verified ? 1 : 0,
          verification_strategy: e.verificationStrategy,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
        })
        .execute(),
    );
  }

  private async withEmails(rows: Database['users'][]): Promise<UserWithEmails[]> {
    if (rows.length === 0) return [];
    const emails = await this.db
      .selectFrom('email_addresses')
      .selectAll()
      .where(
        'user_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      ...userFromRow(r),
      emailAddresses: emails.filter((e) => e.user_id === r.id).map(emailFromRow),
    }));
  }

  async findUser(id: string) {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? ((await this.withEmails([row]))[0] ?? null) : null;
  }

  async findUserByEmail(emailNormalized: string) {
    const row = await this.db
      .selectFrom('users')
      .selectAll('users')
      .innerJoin('email_addresses', 'email_addresses.user_id', 'users.id')
      .where('email_addresses.email_normalized', '=', emailNormalized)
      .executeTakeFirst();
    return row ? ((await this.withEmails([row]))[0] ?? null) : null;
  }

  async listUsers(options: Parameters<Store['listUsers']>[0]) {
    const rows = await orderUsers(userListQuery(this.db, options).selectAll('users'), options.orderBy)
      .limit(options.limit)
      .offset(options.offset)
      .execute();
    return this.withEmails(rows);
  }

  async countUsers(options: UserListFilters) {
    const row = await userListQuery(this.db, options)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateUser(id: string, patch: Parameters<Store['updateUser']>[1]) {
    await this.db
      .updateTable('users')
      .set({
        ...(patch.lastSignInAt !== undefined && { last_sign_in_at: patch.lastSignInAt }),
        ...(patch.updatedAt !== undefined && { updated_at: patch.updatedAt }),
        ...(patch.firstName !== undefined && { first_name: patch.firstName }),
        ...(patch.lastName !== undefined && { last_name: patch.lastName }),
        ...(patch.publicMetadata !== undefined && { public_metadata: JSON.stringify(patch.publicMetadata) }),
        ...(patch.privateMetadata !== undefined && { private_metadata: JSON.stringify(patch.privateMetadata) }),
        ...(patch.banned !== undefined && { banned: patch.banned ? 1 : 0 }),
        ...(patch.lockedUntil !== undefined && { locked_until: patch.lockedUntil }),
        ...(patch.imageUrl !== undefined && { image_url: patch.imageUrl }),
        ...(patch.externalId !== undefined && { external_id: patch.externalId }),
        ...(patch.username !== undefined && { username: patch.username }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
      })
      .where('id', '=', id)
      .execute();
  }

  async proveEmailAddress(userId: string, emailNormalized: string, strategy: 'email_code' | 'ticket' | 'admin') {
    const row = await this.db
      .updateTable('email_addresses')
      .set({ verified: 1, verification_strategy: strategy })
      .where('user_id', '=', userId)
      .where('email_normalized', '=', emailNormalized)
      .where('verified', '=', 0)
      .returningAll()
      .executeTakeFirst();
    return row ? emailFromRow(row) : null;
  }

  async findUnprovenHolds(emailNormalized: string) {
    const rows = await this.db
      .selectFrom('email_addresses as held')
      .select((eb) => [
        'held.id',
        'held.user_id',
        eb
          .selectFrom('email_addresses as other')
          .select((o) => o.fn.countAll<number>().as('n'))
          .whereRef('other.user_id', '=', 'held.user_id')
          .whereRef('other.id', '<>', 'held.id')
          .as('others'),
        eb
          .selectFrom('invitations')
          .select((o) => o.fn.countAll<number>().as('n'))
          .whereRef('invitations.accepted_user_id', '=', 'held.user_id')
          .where('invitations.email_normalized', '=', emailNormalized)
          .as('joined'),
      ])
      .where('held.email_normalized', '=', emailNormalized)
      .where('held.verified', '=', 0)
      .orderBy('held.user_id')
      .execute();
    const holds = rows.map((r) => ({
      emailAddressId: r.id,
      userId: r.user_id,
      lastAddress: Number(r.others) === 0,
      joinedThrough: [] as string[],
    }));
    const joining = holds.filter((h, i) => !h.lastAddress && Number(rows[i]!.joined) > 0).map((h) => h.userId);
    if (joining.length > 0) {
      const joined = await this.db
        .selectFrom('invitations')
        .select(['accepted_user_id', 'organization_id'])
        .where('accepted_user_id', 'in', joining)
        .where('email_normalized', '=', emailNormalized)
        .execute();
      for (const j of joined) holds.find((h) => h.userId === j.accepted_user_id)?.joinedThrough.push(j.organization_id);
    }
    return holds;
  }

  async deleteUnverifiedEmailAddress(id: string) {
    const r = await this.db
      .deleteFrom('email_addresses')
      .where('id', '=', id)
      .where('verified', '=', 0)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteUser(id: string) {
    const r = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    await this.deleteImageOf(id);
    return Number(r.numDeletedRows) > 0;
  }

  async updateUserPassword(id: string, passwordHash: string | null, now: number) {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now, password_last_updated_at: passwordHash ? now : null })
      .where('id', '=', id)
      .execute();
  }

  async replacePasswordHash(id: string, from: string, to: string) {
    await this.db
      .updateTable('users')
      .set({ password_hash: to })
      .where('id', '=', id)
      .where('password_hash', '=', from)
      .execute();
  }

  async setPrimaryEmailAddress(userId: string, emailAddressId: string) {
    return this.atomically(async (tx) => {
      const owned = await tx.db
        .selectFrom('email_addresses')
        .select('id')
        .where('id', '=', emailAddressId)
        .where('user_id', '=', userId)
        .where('verified', '=', 1)
        .executeTakeFirst();
      if (!owned) return false;
      await tx.db
        .updateTable('email_addresses')
        .set((eb) => ({ is_primary: eb.case().when('id', '=', emailAddressId).then(1).else(0).end() }))
        .where('user_id', '=', userId)
        .execute();
      return true;
    });
  }

  async deleteEmailAddress(userId: string, emailAddressId: string) {
    return this.atomically(async (tx) => {
      if (tx.dialect === 'postgres') {
        await tx.db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
      }
      const rows = await tx.db
        .selectFrom('email_addresses')
        .select(['id', 'verified'])
        .where('user_id', '=', userId)
        .execute();
      if (!rows.some((r) => r.id === emailAddressId)) return 'not_found' as const;
      if (rows.filter((r) => Number(r.verified) === 1 && r.id !== emailAddressId).length === 0) return 'last' as const;
      await tx.db.deleteFrom('email_addresses').where('id', '=', emailAddressId).execute();
      return 'deleted' as const;
    });
  }

  async keepOnlyEmailAddress(userId: string, emailAddressId: string) {
    return this.atomically(async (tx) => {
      if (tx.dialect === 'postgres') {
        await tx.db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
      }
      const kept = await tx.db
        .updateTable('email_addresses')
        .set({ is_primary: 1 })
        .where('id', '=', emailAddressId)
        .where('user_id', '=', userId)
        .where('verified', '=', 1)
        .returning('id')
        .executeTakeFirst();
      if (!kept) return false;
      await tx.db
        .deleteFrom('email_addresses')
        .where('user_id', '=', userId)
        .where('id', '<>', emailAddressId)
        .execute();
      await tx.db.deleteFrom('pending_email_addresses').where('user_id', '=', userId).execute();
      return true;
    });
  }

  // pending email addresses

  async createPendingEmailAddress(a: Parameters<Store['createPendingEmailAddress']>[0]) {
    await guarded(
      this.db
        .insertInto('pending_email_addresses')
        .values({
          id: a.id,
          user_id: a.userId,
          email: a.email,
          email_normalized: a.emailNormalized,
          code_hash: a.codeHash,
          attempts: a.attempts,
          expires_at: a.expiresAt,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        })
        .execute(),
    );
  }

  async findEmailAddressOwner(id: string) {
    const held = await this.db.selectFrom('email_addresses').select('user_id').where('id', '=', id).executeTakeFirst();
    if (held) return held.user_id;
    const added = await this.db
      .selectFrom('pending_email_addresses')
      .select('user_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return added?.user_id ?? null;
  }

  async findPendingEmailAddress(userId: string, id: string) {
    const row = await this.db
      .selectFrom('pending_email_addresses')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? pendingEmailFromRow(row) : null;
  }

  async listPendingEmailAddresses(userId: string) {
    const rows = await this.db
      .selectFrom('pending_email_addresses')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(pendingEmailFromRow);
  }

  async updatePendingEmailAddressCode(id: string, patch: { codeHash: string; expiresAt: number; now: number }) {
    await this.db
      .updateTable('pending_email_addresses')
      .set({ code_hash: patch.codeHash, expires_at: patch.expiresAt, attempts: 0, updated_at: patch.now })
      .where('id', '=', id)
      .execute();
  }

  async takePendingEmailAddress(id: string, options: { now: number; maxAttempts: number }) {
    const row = await this.db
      .updateTable('pending_email_addresses')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('code_hash', 'is not', null)
      .where('attempts', '<', options.maxAttempts)
      .where('expires_at', '>', options.now)
      .returningAll()
      .executeTakeFirst();
    return row ? pendingEmailFromRow(row) : null;
  }

  async deletePendingEmailAddress(userId: string, id: string) {
    const r = await this.db
      .deleteFrom('pending_email_addresses')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // sign-in attempts (password reset)

  async saveSignInAttempt(a: Parameters<Store['saveSignInAttempt']>[0]) {
    await this.db
      .insertInto('sign_in_attempts')
      .values({
        id: a.id,
        email_normalized: a.emailNormalized,
        email: a.email,
        user_id: a.userId,
        status: a.status,
        code_hash: a.codeHash,
        attempts: a.attempts,
        expires_at: a.expiresAt,
        created_at: a.createdAt,
      })
      .execute();
  }

  async findSignInAttempt(id: string) {
    const row = await this.db.selectFrom('sign_in_attempts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? signInFromRow(row) : null;
  }

  async updateSignInAttemptCode(id: string, patch: { codeHash: string; expiresAt: number }) {
    await this.db
      .updateTable('sign_in_attempts')
      .set({ code_hash: patch.codeHash, expires_at: patch.expiresAt, attempts: 0 })
      .where('id', '=', id)
      .where('status', '=', 'needs_first_factor')
      .execute();
  }

  async takeSignInAttempt(id: string, options: { now: number; maxAttempts: number }) {
    const row = await this.db
      .updateTable('sign_in_attempts')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'needs_first_factor')
      .where('code_hash', 'is not', null)
      .where('attempts', '<', options.maxAttempts)
      .where('expires_at', '>', options.now)
      .returningAll()
      .executeTakeFirst();
    return row ? signInFromRow(row) : null;
  }

  async transitionSignInAttempt(id: string, options: Parameters<Store['transitionSignInAttempt']>[1]) {
    const r = await this.db
      .updateTable('sign_in_attempts')
      .set({ status: options.to })
      .where('id', '=', id)
      .where('status', '=', options.from)
      .where('expires_at', '>', options.now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteSignInAttempt(id: string) {
    const r = await this.db.deleteFrom('sign_in_attempts').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteSignInAttemptsOfUser(userId: string) {
    await this.db.deleteFrom('sign_in_attempts').where('user_id', '=', userId).execute();
  }

  async deleteExpiredAttempts(options: { before: number; limit: number }) {
    const sweep = async (table: 'sign_in_attempts' | 'sign_up_attempts') => {
      const r = await this.db
        .deleteFrom(table)
        .where('id', 'in', (eb) => {
          const due = eb.selectFrom(table).select('id').where('expires_at', '<=', options.before).limit(options.limit);
          return this.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
        })
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    };
    return { signIns: await sweep('sign_in_attempts'), signUps: await sweep('sign_up_attempts') };
  }

  async lockUser(id: string, options: { shared?: boolean } = {}) {
    if (this.dialect !== 'postgres') return; // SQLite transactions already hold the single write lock.
    const q = this.db.selectFrom('users').select('id').where('id', '=', id);
    await (options.shared ? q.forKeyShare() : q.forNoKeyUpdate()).execute();
  }

  // sign-up attempts

  async saveSignUpAttempt(a: Parameters<Store['saveSignUpAttempt']>[0]) {
    const row = {
      id: a.id,
      email_normalized: a.emailNormalized,
      email: a.email,
      password_hash: a.passwordHash,
      first_name: a.firstName,
      last_name: a.lastName,
      code_hash: a.codeHash,
      attempts: a.attempts,
      expires_at: a.expiresAt,
      created_at: a.createdAt,
      invitation_id: a.invitationId,
      locale: a.locale,
    };
    await this.db.insertInto('sign_up_attempts').values(row).execute();
  }

  async findSignUpAttempt(id: string) {
    const row = await this.db.selectFrom('sign_up_attempts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? signUpFromRow(row) : null;
  }

  async takeSignUpAttempt(id: string, options: { now: number; maxAttempts: number }) {
    const row = await this.db
      .updateTable('sign_up_attempts')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('attempts', '<', options.maxAttempts)
      .where('expires_at', '>', options.now)
      .returningAll()
      .executeTakeFirst();
    return row ? signUpFromRow(row) : null;
  }

  async deleteSignUpAttempts(emailNormalized: string) {
    await this.db.deleteFrom('sign_up_attempts').where('email_normalized', '=', emailNormalized).execute();
  }

  // sessions

  async createSession(s: Parameters<Store['createSession']>[0]) {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        token_hash: s.tokenHash,
        active_organization_id: s.activeOrganizationId,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        last_active_at: s.lastActiveAt,
        client_ip: s.clientIp,
        user_agent: s.userAgent,
      })
      .execute();
  }

  /** The user's email addresses, oldest first, as one JSON array column of a `users` row. */
  private emailsJson() {
    const columns = sql`'id', e.id, 'user_id', e.user_id, 'email', e.email, 'email_normalized', e.email_normalized,
      'verified', e.verified, 'verification_strategy', e.verification_strategy, 'created_at', e.created_at,
      'updated_at', e.updated_at`;
    return this.dialect === 'postgres'
      ? sql<
          string | unknown[]
        >`coalesce((select json_agg(json_build_object(${columns}) order by e.is_primary desc, e.created_at)
          from email_addresses e where e.user_id = users.id), '[]'::json)`
      : sql<string | unknown[]>`(select json_group_array(json(o)) from (select json_object(${columns}) as o
          from email_addresses e where e.user_id = users.id order by e.is_primary desc, e.created_at))`;
  }

  async findSession(id: string) {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? sessionFromRow(row) : null;
  }

  async listSessions(options: { userId?: string; ids?: string[]; limit: number; offset: number }) {
    let q = this.db.selectFrom('sessions');
    if (options.userId) q = q.where('user_id', '=', options.userId);
    if (options.ids) q = q.where('id', 'in', options.ids.length ? options.ids : ['']);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(sessionFromRow), totalCount: Number(count.n) };
  }

  async findSessionByTokenHash(tokenHash: string) {
    // The session, its user and the user's addresses in one statement: every signed-in request starts here.
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('sessions')
      .select([
        'users.first_name as u_first_name',
        'users.last_name as u_last_name',
        'users.password_hash as u_password_hash',
        'users.public_metadata as u_public_metadata',
        'users.private_metadata as u_private_metadata',
        'users.created_at as u_created_at',
        'users.updated_at as u_updated_at',
        'users.last_sign_in_at as u_last_sign_in_at',
        'users.banned as u_banned',
        'users.locked_until as u_locked_until',
        'users.image_url as u_image_url',
        'users.external_id as u_external_id',
        'users.username as u_username',
        'users.locale as u_locale',
        'users.password_last_updated_at as u_password_last_updated_at',
        this.emailsJson().as('u_emails'),
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    const emails = (typeof row.u_emails === 'string' ? JSON.parse(row.u_emails) : row.u_emails) as Parameters<
      typeof emailFromRow
    >[0][];
    const user: UserWithEmails = {
      ...userFromRow({
        id: row.user_id,
        first_name: row.u_first_name,
        last_name: row.u_last_name,
        password_hash: row.u_password_hash,
        public_metadata: row.u_public_metadata,
        private_metadata: row.u_private_metadata,
        created_at: row.u_created_at,
        updated_at: row.u_updated_at,
        last_sign_in_at: row.u_last_sign_in_at,
        banned: row.u_banned,
        locked_until: row.u_locked_until,
        image_url: row.u_image_url,
        external_id: row.u_external_id,
        username: row.u_username,
        locale: row.u_locale,
        password_last_updated_at: row.u_password_last_updated_at,
      }),
      emailAddresses: emails.map(emailFromRow),
    };
    return { session: sessionFromRow(row), user };
  }

  async updateSession(id: string, patch: Parameters<Store['updateSession']>[1]) {
    await this.db
      .updateTable('sessions')
      .set({
        ...(patch.lastActiveAt !== undefined && { last_active_at: patch.lastActiveAt }),
        ...(patch.activeOrganizationId !== undefined && { active_organization_id: patch.activeOrganizationId }),
        ...(patch.expiresAt !== undefined && { expires_at: patch.expiresAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteSession(id: string) {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteSessionsOfUser(userId: string) {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteOtherSessions(userId: string, keepSessionId: string) {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '<>', keepSessionId).execute();
  }

  // organizations

  async createOrganization(o: Parameters<Store['createOrganization']>[0]) {
    await guarded(
      this.db
        .insertInto('organizations')
        .values({
          id: o.id,
          name: o.name,
          slug: o.slug,
          max_allowed_memberships: o.maxAllowedMemberships,
          admin_delete_enabled: o.adminDeleteEnabled ? 1 : 0,
          created_by: o.createdBy,
          public_metadata: JSON.stringify(o.publicMetadata),
          private_metadata: JSON.stringify(o.privateMetadata),
          created_at: o.createdAt,
          updated_at: o.updatedAt,
          role_set_key: o.roleSetKey,
        })
        .execute(),
    );
  }

  async findOrganization(idOrSlug: string) {
    const row = await this.db
      .selectFrom('organizations')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
      .executeTakeFirst();
    return row ? organizationFromRow(row) : null;
  }

  async findOrganizationWithMembership(idOrSlug: string, userId: string) {
    const row = await this.db
      .selectFrom('organizations')
      .leftJoin('memberships', (join) =>
        join.onRef('memberships.organization_id', '=', 'organizations.id').on('memberships.user_id', '=', userId),
      )
      .selectAll('organizations')
      .select([
        'memberships.id as m_id',
        'memberships.role as m_role',
        'memberships.public_metadata as m_public_metadata',
        'memberships.private_metadata as m_private_metadata',
        'memberships.created_at as m_created_at',
        'memberships.updated_at as m_updated_at',
      ])
      .where((eb) => eb.or([eb('organizations.id', '=', idOrSlug), eb('organizations.slug', '=', idOrSlug)]))
      .executeTakeFirst();
    if (!row) return null;
    const membership =
      row.m_id === null
        ? null
        : membershipFromRow({
            id: row.m_id,
            organization_id: row.id,
            user_id: userId,
            role: row.m_role!,
            public_metadata: row.m_public_metadata!,
            private_metadata: row.m_private_metadata!,
            created_at: row.m_created_at!,
            updated_at: row.m_updated_at!,
          });
    return { organization: organizationFromRow(row), membership };
  }

  async lockOrganization(id: string) {
    if (this.dialect !== 'postgres') return; // SQLite transactions already hold the single write lock.
    // NO KEY UPDATE: serializes the lockers and blocks a delete of the row, yet lets the foreign-key
    // checks of rows that name the organization (an invitation's count, say) through, so a locker
    // and a plain insert elsewhere never deadlock.
    await this.db.selectFrom('organizations').select('id').where('id', '=', id).forNoKeyUpdate().execute();
  }

  async findOrganizationForUpdate(id: string) {
    const q = this.db.selectFrom('organizations').selectAll().where('id', '=', id);
    const row = await (this.dialect === 'postgres' ? q.forNoKeyUpdate() : q).executeTakeFirst(); // as lockOrganization
    return row ? organizationFromRow(row) : null;
  }

  async lockOrganizationsOfUsers(userIds: string[]) {
    if (userIds.length === 0) return [];
    const q = this.db
      .selectFrom('organizations')
      .select('id')
      .where('id', 'in', (eb) => eb.selectFrom('memberships').select('organization_id').where('user_id', 'in', userIds))
      .orderBy('id');
    // PostgreSQL locks the rows as the sorted scan returns them: in id order, whoever else locks several.
    const rows = await (this.dialect === 'postgres' ? q.forNoKeyUpdate() : q).execute(); // as lockOrganization
    return rows.map((r) => r.id);
  }

  async countOrganizationsCreatedBy(userId: string) {
    // Through the user's memberships (indexed by user), not a scan of every organization's creator.
    const row = await this.db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('memberships.user_id', '=', userId)
      .where('organizations.created_by', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateOrganization(id: string, patch: Parameters<Store['updateOrganization']>[1]) {
    await guarded(
      this.db
        .updateTable('organizations')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.slug !== undefined && { slug: patch.slug }),
          ...(patch.maxAllowedMemberships !== undefined && { max_allowed_memberships: patch.maxAllowedMemberships }),
          ...(patch.adminDeleteEnabled !== undefined && { admin_delete_enabled: patch.adminDeleteEnabled ? 1 : 0 }),
          ...(patch.publicMetadata !== undefined && { public_metadata: JSON.stringify(patch.publicMetadata) }),
          ...(patch.privateMetadata !== undefined && { private_metadata: JSON.stringify(patch.privateMetadata) }),
          ...(patch.updatedAt !== undefined && { updated_at: patch.updatedAt }),
          ...(patch.imageUrl !== undefined && { image_url: patch.imageUrl }),
        })
        .where('id', '=', id)
        .execute(),
    );
  }

  async deleteOrganization(id: string) {
    const r = await this.db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
    await this.deleteImageOf(id);
    return Number(r.numDeletedRows) > 0;
  }

  // images

  async replaceImage(image: StoredImage) {
    await this.deleteImageOf(image.ownerId);
    await this.db
      .insertInto('images')
      .values({
        id: image.id,
        owner_id: image.ownerId,
        content_type: image.contentType,
        data: Buffer.isBuffer(image.data) ? image.data : Buffer.from(image.data),
        width: image.width,
        height: image.height,
        created_at: image.createdAt,
      })
      .execute();
  }

  async findImage(id: string) {
    const r = await this.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      ownerId: r.owner_id,
      contentType: r.content_type,
      data: r.data,
      width: Number(r.width),
      height: Number(r.height),
      createdAt: Number(r.created_at),
    };
  }

  async deleteImageOf(ownerId: string) {
    const r = await this.db.deleteFrom('images').where('owner_id', '=', ownerId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  listOrganizations(options: Parameters<Store['listOrganizations']>[0]) {
    return listOrganizations(this.db, options);
  }

  async countsOf(orgIds: string[], now: number) {
    const result = new Map(orgIds.map((id) => [id, { membersCount: 0, pendingInvitationsCount: 0, adminsCount: 0 }]));
    if (orgIds.length === 0) return result;
    const [members, pending] = await Promise.all([
      this.db
        .selectFrom('memberships')
        .select((eb) => [
          'organization_id',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.case().when('role', '=', 'org:admin').then(1).else(0).end()).as('admins'),
        ])
        .where('organization_id', 'in', orgIds)
        .groupBy('organization_id')
        .execute(),
      this.invitationCounts(orgIds, now),
    ]);
    for (const m of members) {
      const c = result.get(m.organization_id)!;
      c.membersCount = Number(m.n);
      c.adminsCount = Number(m.admins);
    }
    for (const [orgId, byStatus] of pending) result.get(orgId)!.pendingInvitationsCount = byStatus.pending;
    return result;
  }

  /**
   * Invitations per organization and status as readers see them, from the trigger-kept counts
   * (migration 0004): pending rows past their expiry that the sweeper has not flipped yet count as
   * `expired`. Two index reads whatever the organization's size.
   */
  private async invitationCounts(
    orgIds: string[],
    now: number,
  ): Promise<Map<string, Record<InvitationStatus, number>>> {
    const result = new Map<string, Record<InvitationStatus, number>>(
      orgIds.map((id) => [id, { pending: 0, accepted: 0, revoked: 0, expired: 0 }]),
    );
    const [counts, unswept] = await Promise.all([
      this.db
        .selectFrom('invitation_counts')
        .select((eb) => ['organization_id', 'status', eb.fn.sum<number>('n').as('n')])
        .where('organization_id', 'in', orgIds)
        .groupBy(['organization_id', 'status'])
        .execute(),
      // Through the partial index of pending rows by expiry, which holds only what is due: SQLite
      // without statistics would rather walk the organization's pending rows (named index, then).
      sql<{ organization_id: string; n: number }>`
        select organization_id, count(*) as n
        from invitations ${this.dialect === 'sqlite' ? sql`indexed by invitations_pending_expiry` : sql``}
        where status = 'pending' and expires_at <= ${now} and organization_id in (${sql.join(orgIds)})
        group by organization_id`
        .execute(this.db)
        .then((r) => r.rows),
    ]);
    for (const c of counts) {
      const byStatus = result.get(c.organization_id)!;
      if (c.status in byStatus) byStatus[c.status as InvitationStatus] = Number(c.n);
    }
    for (const u of unswept) {
      const byStatus = result.get(u.organization_id)!;
      byStatus.pending -= Number(u.n);
      byStatus.expired += Number(u.n);
    }
    return result;
  }

  // memberships

  async createMembership(m: Parameters<Store['createMembership']>[0]) {
    await guarded(
      this.db
        .insertInto('memberships')
        .values({
          id: m.id,
          organization_id: m.organizationId,
          user_id: m.userId,
          role: m.role,
          public_metadata: JSON.stringify(m.publicMetadata),
          private_metadata: JSON.stringify(m.privateMetadata),
          created_at: m.createdAt,
          updated_at: m.updatedAt,
        })
        .execute(),
    );
  }

  async findMembership(orgId: string, userId: string) {
    const row = await this.db
      .selectFrom('memberships')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? membershipFromRow(row) : null;
  }

  async findInvitationBlockers(orgId: string, emailNormalized: string) {
    const { rows } = await sql<Database['invitations'] & { is_member: unknown }>`
      select invitations.*, exists (
        select 1 from email_addresses inner join memberships on memberships.user_id = email_addresses.user_id
        where email_addresses.email_normalized = ${emailNormalized} and memberships.organization_id = ${orgId}
      ) as is_member
      from (select 1 as one) as probe
      left join invitations on invitations.organization_id = ${orgId}
        and invitations.email_normalized = ${emailNormalized} and invitations.status = ${PENDING}`.execute(this.db);
    const row = rows[0]!;
    return { member: Boolean(Number(row.is_member)), pending: row.id ? invitationFromRow(row) : null };
  }

  listMemberships(options: Parameters<Store['listMemberships']>[0]) {
    return listMemberships(this.db, options);
  }

  async updateMembership(id: string, patch: Parameters<Store['updateMembership']>[1]) {
    await this.db
      .updateTable('memberships')
      .set({
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.publicMetadata !== undefined && { public_metadata: JSON.stringify(patch.publicMetadata) }),
        ...(patch.privateMetadata !== undefined && { private_metadata: JSON.stringify(patch.privateMetadata) }),
        ...(patch.updatedAt !== undefined && { updated_at: patch.updatedAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteMembership(id: string) {
    await this.db.deleteFrom('memberships').where('id', '=', id).execute();
  }

  // invitations

  async createInvitation(invitation: Invitation, mail: OutboxMessage | null, events: DomainEvent[] = []) {
    const row = invitationToRow(invitation);
    if (!mail && events.length === 0) {
      return void (await guarded(this.db.insertInto('invitations').values(row).execute()));
    }
    if (this.dialect === 'postgres') {
      // One statement, so one round trip and atomic without a transaction of its own.
      const insert = this.db.insertInto('invitations').values(row);
      const withInvitation = this.db.with('invitation', () => insert);
      if (events.length === 0) {
        await guarded(withInvitation.insertInto('outbox').values(outboxToRow(mail!)).execute());
      } else if (!mail) {
        await guarded(withInvitation.insertInto('events').values(events.map(eventToRow)).execute());
      } else {
        const outbox = this.db.insertInto('outbox').values(outboxToRow(mail));
        await guarded(
          withInvitation
            .with('mail', () => outbox)
            .insertInto('events')
            .values(events.map(eventToRow))
            .execute(),
        );
      }
      return;
    }
    await this.atomically(async (tx) => {
      await guarded(tx.db.insertInto('invitations').values(row).execute());
      if (mail) await tx.enqueueMail(mail);
      await tx.appendEvents(events);
    });
  }

  async findInvitation(orgId: string, id: string) {
    const row = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? invitationFromRow(row) : null;
  }

  async findInvitationById(id: string) {
    const row = await this.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? invitationFromRow(row) : null;
  }

  async findInvitationByTokenHash(tokenHash: string) {
    const row = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb('url_token_hash', '=', tokenHash)]))
      .executeTakeFirst();
    return row ? invitationFromRow(row) : null;
  }

  async listInvitations(options: Parameters<Store['listInvitations']>[0]) {
    let q = this.db.selectFrom('invitations');
    if (options.orgId) q = q.where('organization_id', '=', options.orgId);
    if (options.emails) q = q.where('email_normalized', 'in', options.emails.length ? options.emails : ['']);
    if (options.statuses?.length) q = q.where(statusFilter(options.statuses, options.now));
    if (options.query) {
      const pattern = containsPattern(options.query);
      q = q.where(sql<boolean>`email_normalized like ${pattern} escape '\\'`);
    }
    const statuses = options.statuses?.length ? options.statuses : invitationStatus.options;
    // An organization's list without an address filter takes its total from the kept counts;
    // anything else is narrow enough (by address) to count, or (the instance's) counted.
    const orgId = !options.emails && !options.query && options.orgId;
    const order = options.order ?? { field: 'created_at', direction: 'desc' };
    const [rows, totalCount] = await Promise.all([
      q
        .selectAll()
        .orderBy(order.field === 'email_address' ? 'email_normalized' : 'created_at', order.direction)
        .orderBy('id', order.direction)
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      orgId
        ? this.invitationCounts([orgId], options.now).then((counts) => {
            const byStatus = counts.get(orgId)!;
            return statuses.reduce((sum, s) => sum + byStatus[s], 0);
          })
        : q
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
            .then((row) => Number(row.n)),
    ]);
    return { data: rows.map(invitationFromRow), totalCount };
  }

  async listInvitationsAfter(options: Parameters<Store['listInvitationsAfter']>[0]) {
    let q = this.db.selectFrom('invitations').selectAll();
    if (options.orgId) q = q.where('organization_id', '=', options.orgId);
    if (options.emailNormalized) q = q.where('email_normalized', '=', options.emailNormalized);
    if (options.statuses?.length) q = q.where(statusFilter(options.statuses, options.now));
    const after = options.after;
    if (after) {
      // A row value, which both databases turn into one index range (an OR of the two is a scan).
      q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(invitationFromRow);
  }

  async expireInvitations(options: Parameters<Store['expireInvitations']>[0]): Promise<number> {
    const sweeping = options.limit !== undefined;
    if (options.events && !this.inTransaction && !(sweeping && this.dialect === 'postgres')) {
      return this.atomically((tx) => tx.expireInvitations(options));
    }
    if (sweeping && this.dialect === 'postgres' && !this.inTransaction) {
      // One sweeper at a time: a sweep touches the counts of many organizations, and two sweeps
      // taking them in different orders could deadlock. Another instance sweeping = nothing to do.
      return this.atomically(async (tx) => {
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as locked`.execute(tx.db);
        return rows[0]?.locked ? tx.expireInvitations(options) : 0;
      });
    }
    const due = (eb: ExpressionBuilder<Database, 'invitations'>) => {
      let sub = eb
        .selectFrom('invitations')
        .select('id')
        .where('status', '=', PENDING)
        .where('expires_at', '<=', options.now);
      if (options.orgId) sub = sub.where('organization_id', '=', options.orgId);
      if (options.emailNormalized) sub = sub.where('email_normalized', '=', options.emailNormalized);
      if (sweeping) sub = sub.limit(options.limit!);
      if (sweeping && this.dialect === 'postgres') sub = sub.forUpdate().skipLocked();
      return eb('id', 'in', sub);
    };
    const update = this.db.updateTable('invitations').set({ status: 'expired', updated_at: options.now }).where(due);
    if (options.events) {
      const rows = await update.returningAll().execute();
      if (rows.length > 0) await this.appendEvents(await options.events(rows.map(invitationFromRow)));
      return rows.length;
    }
    const r = await update.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async transitionInvitation(options: Parameters<Store['transitionInvitation']>[0]): Promise<boolean> {
    const { events, ...change } = options;
    if (events?.length) {
      return this.atomically(async (tx) => {
        const changed = await tx.transitionInvitation(change);
        if (changed) await tx.appendEvents(events);
        return changed;
      });
    }
    const r = await this.db
      .updateTable('invitations')
      .set({
        status: options.to,
        updated_at: options.now,
        ...(options.acceptedUserId !== undefined && { accepted_user_id: options.acceptedUserId }),
        ...(options.endedBy !== undefined && { ended_by: options.endedBy }),
      })
      .where('id', '=', options.id)
      .where('status', '=', PENDING)
      .where('expires_at', '>', options.now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async reissueInvitation(options: Parameters<Store['reissueInvitation']>[0]) {
    return this.atomically(async (tx) => {
      const r = await guarded(
        tx.db
          .updateTable('invitations')
          .set({
            token_hash: options.tokenHash,
            url_token_hash: options.urlTokenHash,
            status: 'pending',
            expires_at: options.expiresAt,
            notify: 1,
            updated_at: options.now,
          })
          .where('id', '=', options.id)
          .where('status', 'in', [PENDING, sql.lit('expired')])
          .executeTakeFirst(),
      );
      if (Number(r.numUpdatedRows) !== 1) return false;
      // Withdraw first: the new message must not be withdrawn with the old.
      await tx.withdrawQueuedMail(options.id);
      await tx.enqueueMail(options.mail);
      return true;
    });
  }

  async replaceShownTicket(options: Parameters<Store['replaceShownTicket']>[0]) {
    const r = await this.db
      .updateTable('invitations')
      .set({ url_token_hash: options.urlTokenHash, updated_at: options.now })
      .where('id', '=', options.id)
      .where('status', '=', PENDING)
      .where('expires_at', '>', options.now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // outbox

  async enqueueMail(m: OutboxMessage) {
    await this.db.insertInto('outbox').values(outboxToRow(m)).execute();
  }

  async claimMail(options: { now: number; leaseMs: number; limit: number; owner: string }) {
    const due = (eb: ExpressionBuilder<Database, 'outbox'>) => {
      let sub = eb
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', options.now)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', options.now)]))
        .orderBy('next_attempt_at')
        .limit(options.limit);
      if (this.dialect === 'postgres') sub = sub.forUpdate().skipLocked();
      return eb('id', 'in', sub);
    };
    const rows = await this.db
      .updateTable('outbox')
      .set({ locked_until: options.now + options.leaseMs, locked_by: options.owner })
      .where(due)
      .returningAll()
      .execute();
    return rows.map(outboxFromRow);
  }

  async renewMailLease(options: { ids: string[]; now: number; leaseMs: number; owner: string }) {
    if (options.ids.length === 0) return 0;
    const r = await this.db
      .updateTable('outbox')
      .set({ locked_until: options.now + options.leaseMs })
      .where('id', 'in', options.ids)
      .where('locked_by', '=', options.owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async completeMails(owner: string, outcomes: Parameters<Store['completeMails']>[1]) {
    if (outcomes.length === 0) return 0;
    const rows = outcomes.map(
      ({ id, patch: p }) =>
        sql`(${id}, ${p.status}, cast(${p.attempts} as integer), ${p.lastError}, cast(${p.sentAt} as bigint), cast(${p.nextAttemptAt} as bigint), ${JSON.stringify(p.payload)})`,
    );
    const update = (db: Kysely<Database>) =>
      sql<{ id: string; organization_id: string | null }>`
      with done (id, status, attempts, last_error, sent_at, next_attempt_at, payload) as (values ${sql.join(rows)})
      update outbox set status = done.status, attempts = done.attempts, last_error = done.last_error,
        sent_at = done.sent_at, next_attempt_at = done.next_attempt_at, payload = done.payload,
        locked_until = null, locked_by = null
      from done where outbox.id = done.id and outbox.locked_by = ${owner}
      returning outbox.id, (select i.organization_id from invitations i where i.id = outbox.invitation_id) as organization_id`.execute(
        db,
      );
    if (!outcomes.some((o) => o.event)) return (await update(this.db)).rows.length;
    // The outcomes and their events commit together: an outcome another dispatcher's claim
    // overrode is not recorded, and leaves no event.
    return this.db.transaction().execute(async (trx) => {
      const recorded = (await update(trx)).rows;
      const orgOf = new Map(recorded.map((r) => [r.id, r.organization_id]));
      const events = outcomes.flatMap((o) =>
        o.event && orgOf.has(o.id) ? [{ ...o.event, organizationId: orgOf.get(o.id) ?? null }] : [],
      );
      if (events.length > 0) await trx.insertInto('events').values(events.map(eventToRow)).execute();
      return recorded.length;
    });
  }

  async deliveryOf(invitationIds: string[]) {
    const result = new Map<string, DeliveryState>();
    if (invitationIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('outbox')
      .select(['invitation_id', 'status', 'attempts', 'last_error', 'sent_at', 'created_at'])
      .where('invitation_id', 'in', invitationIds)
      // The newest message wins (a resend's, say); ids start with their creation time, so they
      // order messages written in the same millisecond of the clock.
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      result.set(r.invitation_id!, {
        status: r.status as DeliveryState['status'],
        attempts: Number(r.attempts),
        lastError: r.last_error,
        sentAt: r.sent_at === null ? null : Number(r.sent_at),
      });
    }
    return result;
  }

  async countRetryingMail() {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number | string>().as('count'), eb.fn.min('next_attempt_at').as('next')])
      .where('status', '=', 'queued')
      .where('attempts', '>', 0)
      .executeTakeFirst();
    const next = row?.next ?? null;
    return { count: Number(row?.count ?? 0), nextAttemptAt: next === null ? null : Number(next) };
  }

  async retryMailNow(options: { now: number; invitationId?: string }) {
    let update = this.db
      .updateTable('outbox')
      .set({ next_attempt_at: options.now })
      .where('status', '=', 'queued')
      .where('attempts', '>', 0)
      // A message being sent keeps its claim: its outcome decides the next attempt.
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', options.now)]));
    if (options.invitationId) update = update.where('invitation_id', '=', options.invitationId);
    const r = await update.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async withdrawQueuedMail(invitationId: string) {
    const r = await this.db
      .updateTable('outbox')
      .set({ status: 'not_sent', payload: '{}' }) // a send in flight keeps its claim, and records 'sent' if it went out
      .where('invitation_id', '=', invitationId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async findMail(id: string) {
    const row = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? outboxFromRow(row) : null;
  }
}
