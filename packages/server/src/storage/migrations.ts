import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './database.js';
import { defaultRoleSetSeed } from './role-sets.js';
import { systemRoleSeed } from './roles.js';

/**
 * The schema, as ordered migrations. Written once for both dialects: Kysely's schema builder
 * emits portable DDL; the few differences (auto-increment) are switched on `dialect`.
 * Invariants that must hold under concurrency are constraints here, not only code:
 * one membership per (organization, user), one pending invitation per (organization, email),
 * one account per email address, one invitation per token hash.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('first_name', 'text')
          .addColumn('last_name', 'text')
          .addColumn('password_hash', 'text')
          .addColumn('public_metadata', 'text', (c) => c.notNull())
          .addColumn('private_metadata', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('last_sign_in_at', 'bigint')
          .execute();
        await db.schema
          .createTable('email_addresses')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull().unique())
          .addColumn('verified', 'integer', (c) => c.notNull())
          .addColumn('verification_strategy', 'varchar(32)')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('email_addresses_user').on('email_addresses').column('user_id').execute();
        await db.schema
          .createTable('sign_up_attempts')
          .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('first_name', 'text')
          .addColumn('last_name', 'text')
          .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('sign_up_attempts_email')
          .on('sign_up_attempts')
          .column('email_normalized')
          .execute();
        await db.schema
          .createTable('organizations')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('slug', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('max_allowed_memberships', 'integer', (c) => c.notNull())
          .addColumn('admin_delete_enabled', 'integer', (c) => c.notNull())
          .addColumn('created_by', 'varchar(64)')
          .addColumn('public_metadata', 'text', (c) => c.notNull())
          .addColumn('private_metadata', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('token_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('active_organization_id', 'varchar(64)')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('last_active_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
        await db.schema
          .createTable('memberships')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('organization_id', 'varchar(64)', (c) =>
            c.notNull().references('organizations.id').onDelete('cascade'),
          )
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('role', 'varchar(64)', (c) => c.notNull())
          .addColumn('public_metadata', 'text', (c) => c.notNull())
          .addColumn('private_metadata', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('memberships_org_user', ['organization_id', 'user_id'])
          .execute();
        await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();
        await db.schema
          .createTable('invitations')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('organization_id', 'varchar(64)', (c) =>
            c.notNull().references('organizations.id').onDelete('cascade'),
          )
          .addColumn('email_address', 'text', (c) => c.notNull())
          .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull())
          .addColumn('role', 'varchar(64)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('inviter_id', 'varchar(64)')
          .addColumn('token_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('public_metadata', 'text', (c) => c.notNull())
          .addColumn('private_metadata', 'text', (c) => c.notNull())
          .addColumn('redirect_url', 'text')
          .addColumn('notify', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('accepted_user_id', 'varchar(64)')
          .execute();
        await db.schema
          .createIndex('invitations_one_pending')
          .on('invitations')
          .columns(['organization_id', 'email_normalized'])
          .unique()
          .where(sql.ref('status'), '=', 'pending')
          .execute();
        await db.schema
          .createIndex('invitations_org_status_created')
          .on('invitations')
          .columns(['organization_id', 'status', 'created_at', 'id'])
          .execute();
        await db.schema
          .createIndex('invitations_email_status')
          .on('invitations')
          .columns(['email_normalized', 'status'])
          .execute();
        await db.schema
          .createTable('outbox')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('kind', 'varchar(64)', (c) => c.notNull())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('invitation_id', 'varchar(64)', (c) => c.references('invitations.id').onDelete('cascade'))
          .addColumn('message_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('locked_until', 'bigint')
          .addColumn('locked_by', 'varchar(128)')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('sent_at', 'bigint')
          .execute();
        await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
        await db.schema.createIndex('outbox_invitation').on('outbox').column('invitation_id').execute();
        await db.schema
          .createTable('dev_mailbox')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('message_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('from_address', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('html', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0002_rate_limits': {
      // Counters for rate limits shared by every instance (rate-limiter-flexible's table layout).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
          .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('expire', 'bigint')
          .execute();
      },
    },
    '0003_invitations_pending_count_index': {
      async up(db: Kysely<unknown>) {
        // expires_at at the end: lists still walk the index in created_at order, and counting an
        // organization's pending, unexpired invitations reads the index alone (no row look-ups).
        await db.schema
          .createIndex('invitations_org_status_created_expires')
          .on('invitations')
          .columns(['organization_id', 'status', 'created_at', 'id', 'expires_at'])
          .execute();
        await db.schema.dropIndex('invitations_org_status_created').execute();
      },
    },
    '0004_invitation_counts': {
      // Per-organization invitation counts by status, kept by triggers on `invitations`, so a list's
      // total_count and the seat check read a handful of rows instead of counting the organization's
      // invitations, and no writer (server, bench seed, hand-written SQL) can let them drift.
      // Invitations are only ever deleted with their organization, whose counts go with it.
      // PostgreSQL spreads each count over 8 shards by backend connection, so concurrent creates in
      // one organization do not queue on one row; SQLite serializes writes anyway and uses shard 0.
      // Pending rows past expires_at are flipped to `expired` by the sweeper; until then readers
      // subtract them, found through the partial index below.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('invitation_counts')
          .addColumn('organization_id', 'varchar(64)', (c) =>
            c.notNull().references('organizations.id').onDelete('cascade'),
          )
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('shard', 'integer', (c) => c.notNull())
          .addColumn('n', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('invitation_counts_pk', ['organization_id', 'status', 'shard'])
          .execute();
        await db.schema
          .createIndex('invitations_pending_expiry')
          .on('invitations')
          .columns(['expires_at', 'organization_id'])
          .where(sql.ref('status'), '=', 'pending')
          .execute();
        if (dialect === 'postgres') {
          // Statement-level, over the transition tables: one upsert per statement whatever the
          // number of rows (a bulk insert or a sweep), taking the count rows in a fixed order.
          await sql`
            create function roster_count_invitations() returns trigger language plpgsql
            set search_path from current as $$
            begin
              if tg_op = 'INSERT' then
                insert into invitation_counts as c (organization_id, status, shard, n)
                select organization_id, status, pg_backend_pid() % 8, count(*)
                from new_rows group by organization_id, status order by organization_id, status
                on conflict (organization_id, status, shard) do update set n = c.n + excluded.n;
              else
                insert into invitation_counts as c (organization_id, status, shard, n)
                select organization_id, status, pg_backend_pid() % 8, sum(delta) from (
                  select o.organization_id, o.status, -1 as delta
                  from old_rows o join new_rows r on r.id = o.id where r.status <> o.status
                  union all
                  select r.organization_id, r.status, 1
                  from old_rows o join new_rows r on r.id = o.id where r.status <> o.status
                ) changes group by organization_id, status order by organization_id, status
                on conflict (organization_id, status, shard) do update set n = c.n + excluded.n;
              end if;
              return null;
            end $$`.execute(db);
          await sql`create trigger invitations_count_insert after insert on invitations
            referencing new table as new_rows
            for each statement execute function roster_count_invitations()`.execute(db);
          await sql`create trigger invitations_count_status after update on invitations
            referencing old table as old_rows new table as new_rows
            for each statement execute function roster_count_invitations()`.execute(db);
        } else {
          await sql`create trigger invitations_count_insert after insert on invitations begin
            insert into invitation_counts (organization_id, status, shard, n)
            values (new.organization_id, new.status, 0, 1)
            on conflict (organization_id, status, shard) do update set n = n + 1;
          end`.execute(db);
          await sql`create trigger invitations_count_status after update of status on invitations
            when old.status <> new.status begin
            update invitation_counts set n = n - 1
            where organization_id = old.organization_id and status = old.status and shard = 0;
            insert into invitation_counts (organization_id, status, shard, n)
            values (new.organization_id, new.status, 0, 1)
            on conflict (organization_id, status, shard) do update set n = n + 1;
          end`.execute(db);
        }
        await sql`insert into invitation_counts (organization_id, status, shard, n)
          select organization_id, status, 0, count(*) from invitations group by organization_id, status`.execute(db);
      },
    },
    '0005_invitation_ended_by': {
      // Who ended an invitation (`invitee` when declined, `organization` when revoked), since both
      // keep Clerk's `revoked` status. Null for rows ended before this migration. A new column
      // leaves the 0004 count triggers alone: they fire on status changes only.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('invitations').addColumn('ended_by', 'varchar(16)').execute();
      },
    },
    '0006_password_resets': {
      // Password resets (sign-in attempts that go through an emailed code), addresses a user has
      // added but not yet proved (kept apart, so `email_addresses` stays verified-only and unique:
      // an unproved address never blocks its owner), and which verified address is primary.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sign_in_attempts')
          .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.references('users.id').onDelete('cascade'))
          .addColumn('status', 'varchar(32)', (c) => c.notNull())
          .addColumn('code_hash', 'varchar(128)')
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sign_in_attempts_user').on('sign_in_attempts').column('user_id').execute();
        await db.schema
          .createTable('pending_email_addresses')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull())
          .addColumn('code_hash', 'varchar(128)')
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('pending_email_addresses_user_email', ['user_id', 'email_normalized'])
          .execute();
        await db.schema
          .alterTable('email_addresses')
          .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    '0007_links_that_prove_nothing': {
      // A link proves that someone owns an address only if nothing but that address's mailbox ever
      // saw it (decision 021). An invitation now has two tickets: the mailed one (token_hash, never
      // shown to anyone) and, when the Backend API asks, one it can show (url_token_hash); a sign-up
      // from the second must prove the address with an emailed code, so a sign-up attempt can carry
      // the invitation it will join. Every ticket before this migration was shown in its create
      // response, so the addresses accounts got from one were never proven: they become unverified
      // (their owners sign in as before and prove them by code; anyone who proves one takes it).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('invitations').addColumn('url_token_hash', 'varchar(128)').execute();
        await db.schema
          .createIndex('invitations_url_token_hash')
          .on('invitations')
          .column('url_token_hash')
          .unique()
          .execute();
        await db.schema.alterTable('sign_up_attempts').addColumn('invitation_id', 'varchar(64)').execute();
        await sql`update email_addresses set verified = 0, verification_strategy = 'ticket_unproven'
          where verification_strategy = 'ticket'`.execute(db);
      },
    },
    '0008_events': {
      // One row per change, written in the change's own transaction or statement (decision 022):
      // the event stream webhooks are sent from and the audit log reads. `payload` is the Backend
      // API's JSON of the object as the change left it; nothing secret is ever in it.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('events')
          // The order events were written in (within a transaction, the order of its changes).
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('id', 'varchar(64)', (c) => c.notNull().unique())
          .addColumn('type', 'varchar(64)', (c) => c.notNull())
          .addColumn('organization_id', 'varchar(64)')
          .addColumn('actor', 'varchar(64)', (c) => c.notNull())
          .addColumn('ip', 'varchar(64)')
          .addColumn('user_agent', 'text')
          .addColumn('request_id', 'varchar(64)')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('events_org').on('events').columns(['organization_id', 'seq']).execute();
        await db.schema.createIndex('events_created').on('events').column('created_at').execute();
      },
    },
    '0009_webhooks': {
      // Webhook endpoints and one delivery row per (event, endpoint), fanned out in the event's own
      // statement; deliveries are claimed under leases as the outbox is (decisions 018, 022).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webhook_endpoints')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('enabled_events', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull())
          .addColumn('failing_since', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('endpoint_id', 'varchar(64)', (c) =>
            c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
          )
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('locked_until', 'bigint')
          .addColumn('locked_by', 'varchar(128)')
          .addColumn('response_status', 'integer')
          .addColumn('response_body', 'text')
          .addColumn('last_error', 'text')
          .addColumn('duration_ms', 'integer')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_due')
          .on('webhook_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_endpoint')
          .on('webhook_deliveries')
          .columns(['endpoint_id', 'created_at'])
          .execute();
        // The fan-out: each event becomes one delivery per enabled endpoint subscribed to its type,
        // by the database, in the statement that writes the event (nothing to do when no endpoint
        // exists). The delivery id, which receivers see as `webhook-id`, is derived from the event
        // and endpoint ids: stable over retries and restarts, one per (event, endpoint).
        const select = (rows: string) => `
          select 'msg_' || substr(e.id, 5) || substr(w.id, 5), e.id, w.id, 'pending', 0, e.created_at, e.created_at, e.created_at
          from ${rows} e join webhook_endpoints w on w.disabled = 0
            and (w.enabled_events = '[]' or ${dialect === 'postgres' ? "strpos(w.enabled_events, '\"' || e.type || '\"')" : "instr(w.enabled_events, '\"' || e.type || '\"')"} > 0)`;
        const insert = `insert into webhook_deliveries
          (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)`;
        if (dialect === 'postgres') {
          await sql
            .raw(`create function roster_fan_out_events() returns trigger language plpgsql
            set search_path from current as $$
            begin
              ${insert} ${select('new_rows')};
              return null;
            end $$`)
            .execute(db);
          await sql`create trigger events_fan_out after insert on events referencing new table as new_rows
            for each statement execute function roster_fan_out_events()`.execute(db);
        } else {
          await sql
            .raw(`create trigger events_fan_out after insert on events begin
              ${insert} ${select('(select new.id as id, new.type as type, new.created_at as created_at)')};
            end`)
            .execute(db);
        }
      },
    },
    '0010_idempotency_keys': {
      // Stored answers to requests sent with an Idempotency-Key (decision 023). `id` hashes the
      // caller with the key, so the raw key is not stored and one caller cannot reach another's row.
      // `response` is null while the first request runs (`claim` names that run) and is sealed once
      // written: it can hold an invitation link.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('idempotency_keys')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('claim', 'varchar(64)', (c) => c.notNull())
          .addColumn('response', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('idempotency_keys_expires').on('idempotency_keys').column('expires_at').execute();
      },
    },
    '0011_attempts_expiry': {
      // The expiry sweeper deletes sign-in and sign-up attempts a day past their expiry (one of
      // each per reset or sign-up start, unknown addresses too), in batches by expires_at.
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('sign_in_attempts_expires').on('sign_in_attempts').column('expires_at').execute();
        await db.schema.createIndex('sign_up_attempts_expires').on('sign_up_attempts').column('expires_at').execute();
      },
    },
    '0012_session_signing_keys': {
      // The RSA key pairs that sign session tokens (decision 025): one per secret key and
      // algorithm, created by whichever instance gets there first (insert-if-absent, then read),
      // so every instance behind a load balancer signs with the same key. `secret_ref` names the
      // secret key without giving it away (HKDF of it); the private key is sealed under that key.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('session_signing_keys')
          .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('secret_ref', 'varchar(64)', (c) => c.notNull())
          .addColumn('alg', 'varchar(16)', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('session_signing_keys_secret_alg', ['secret_ref', 'alg'])
          .execute();
      },
    },
    '0013_banned_and_locked_users': {
      // Backend API ban/unban and lock/unlock (Clerk's): a banned user never signs in again until
      // unbanned; a locked one not until `locked_until` passes or an unlock.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('users')
          .addColumn('banned', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable('users').addColumn('locked_until', 'bigint').execute();
      },
    },
    '0014_audit_log_retention': {
      // The audit log's retention sweep deletes old events with their webhook deliveries (by event).
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
      },
    },
    '0023_images': {
      // Organization logos and user images (Clerk's logo and profile_image endpoints): the
      // normalized bytes in the database, so every instance serves them; one image per owner.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('images')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('owner_id', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
          .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .addColumn('width', 'integer', (c) => c.notNull())
          .addColumn('height', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.alterTable('organizations').addColumn('image_url', 'text').execute();
        await db.schema.alterTable('users').addColumn('image_url', 'text').execute();
      },
    },
    '0024_session_origin': {
      // Where a session was started (IP, user agent), for the user's list of their devices.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('sessions').addColumn('client_ip', 'varchar(64)').execute();
        await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
      },
    },
    '0026_app_invitations': {
      // Invitations to the application (Clerk's /v1/invitations): the same two tickets as an
      // organization invitation (decision 021), stored as hashes; one pending per address.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('app_invitations')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('email_address', 'text', (c) => c.notNull())
          .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('token_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('url_token_hash', 'varchar(128)', (c) => c.unique())
          .addColumn('public_metadata', 'text', (c) => c.notNull())
          .addColumn('redirect_url', 'text')
          .addColumn('notify', 'integer', (c) => c.notNull())
          .addColumn('mail_id', 'varchar(64)')
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('accepted_user_id', 'varchar(64)')
          .execute();
        await db.schema
          .createIndex('app_invitations_one_pending')
          .on('app_invitations')
          .column('email_normalized')
          .unique()
          .where(sql.ref('status'), '=', 'pending')
          .execute();
        await db.schema
          .createIndex('app_invitations_created')
          .on('app_invitations')
          .columns(['created_at', 'id'])
          .execute();
      },
    },
    '0029_console': {
      // The operator console lists invitations across the instance newest first, by keyset
      // (created_at, id): this index serves that order, alone or after an organization's filter.
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('invitations_created_id').on('invitations').columns(['created_at', 'id']).execute();
        await db.schema
          .createIndex('invitations_email_created_id')
          .on('invitations')
          .columns(['email_normalized', 'created_at', 'id'])
          .execute();
      },
    },
    '0030_bapi_users': {
      // Clerk's User fields an import carries: the id in the old system, a username (both unique;
      // many NULLs allowed), the locale, and when the password last changed.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').addColumn('external_id', 'varchar(255)').execute();
        await db.schema.alterTable('users').addColumn('username', 'varchar(64)').execute();
        await db.schema.alterTable('users').addColumn('locale', 'varchar(35)').execute();
        await db.schema.alterTable('users').addColumn('password_last_updated_at', 'bigint').execute();
        await db.schema.createIndex('users_external_id').unique().on('users').column('external_id').execute();
        await db.schema.createIndex('users_username').unique().on('users').column('username').execute();
      },
    },
    '0031_roles': {
      // Custom roles and permissions (Clerk's organization_roles / organization_permissions): the
      // built-in roles and system permissions seeded with what they granted when they were fixed in
      // code, so nothing changes for an existing install; instance settings as key/value rows
      // (an absent key: the environment's default). Decision 034.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('permissions')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('key', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('type', 'varchar(16)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('roles')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('key', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('role_permissions')
          .addColumn('role_id', 'varchar(64)', (c) => c.notNull().references('roles.id').onDelete('cascade'))
          .addColumn('permission_id', 'varchar(64)', (c) =>
            c.notNull().references('permissions.id').onDelete('cascade'),
          )
          .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'permission_id'])
          .execute();
        await db.schema
          .createTable('instance_settings')
          .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('memberships_role').on('memberships').column('role').execute();
        const seed = systemRoleSeed();
        await db
          .insertInto('permissions' as never)
          .values(seed.permissions as never)
          .execute();
        await db
          .insertInto('roles' as never)
          .values(seed.roles as never)
          .execute();
        await db
          .insertInto('role_permissions' as never)
          .values(seed.grants as never)
          .execute();
      },
    },
    '0032_domains': {
      // Organization domains (issue 14). One of a name per organization; one verified of a name
      // per instance (a partial unique index, so an unverified claim never blocks the real owner).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('organization_domains')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('organization_id', 'varchar(64)', (c) =>
            c.notNull().references('organizations.id').onDelete('cascade'),
          )
          .addColumn('name', 'varchar(253)', (c) => c.notNull())
          .addColumn('enrollment_mode', 'varchar(32)', (c) => c.notNull())
          .addColumn('verified', 'integer', (c) => c.notNull())
          .addColumn('affiliation_email_address', 'text')
          .addColumn('verification_attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('verification_expires_at', 'bigint')
          .addColumn('verification_code_hash', 'varchar(128)')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('organization_domains_org_name', ['organization_id', 'name'])
          .execute();
        await db.schema
          .createIndex('organization_domains_verified_name')
          .on('organization_domains')
          .column('name')
          .unique()
          .where(sql.ref('verified'), '=', 1)
          .execute();
      },
    },
    '0035_console_lists': {
      // The console's other keyset lists (decision 038): users and organizations newest first by
      // (created_at, id); the audit log by seq, for one actor or about one user (`user_id`: the
      // user an event concerns, its own user for user, session and membership events).
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('users_created_id').on('users').columns(['created_at', 'id']).execute();
        await db.schema
          .createIndex('organizations_created_id')
          .on('organizations')
          .columns(['created_at', 'id'])
          .execute();
        await db.schema.alterTable('events').addColumn('user_id', 'varchar(64)').execute();
        await db.schema.createIndex('events_user').on('events').columns(['user_id', 'seq']).execute();
        await db.schema.createIndex('events_actor').on('events').columns(['actor', 'seq']).execute();
      },
    },
    '0036_bapi_lists': {
      // The Backend API's member lists in their default order read an index in order instead of
      // sorting everything they match (decision 037): an organization's members and the instance's,
      // newest first; organizations by name (newest first is 0035's organizations_created_id).
      async up(db: Kysely<unknown>) {
        const index = (name: string, table: string, columns: string[]) =>
          db.schema.createIndex(name).on(table).columns(columns).execute();
        await index('memberships_org_created_id', 'memberships', ['organization_id', 'created_at', 'id']);
        await index('memberships_created_id', 'memberships', ['created_at', 'id']);
        await index('organizations_name_id', 'organizations', ['name', 'id']);
      },
    },
    '0039_mail_settings': {
      // The SMTP server an operator set in the console (decision 043): one row, the URL sealed
      // under the instance secret (it carries the password), read by every instance.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('mail_settings')
          .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
          .addColumn('smtp_url', 'text', (c) => c.notNull())
          .addColumn('from_address', 'varchar(400)')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_by', 'varchar(64)', (c) => c.notNull())
          .execute();
      },
    },
    '0040_sign_up_locale': {
      // The language a sign-up asked for (Clerk's sign-up `locale`): its code mail is written in
      // it, and the account keeps it (decision 039).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('sign_up_attempts').addColumn('locale', 'varchar(35)').execute();
      },
    },
    '0041_role_sets': {
      // Role sets (Clerk's `/v1/role_sets`, decision 040): which roles an organization may give,
      // its new members' and its creator's role. One `initial` set (a partial unique index) is what
      // new organizations get. The seeded `role_set:default` holds every role that exists, so an
      // existing install gives what it gave before; it takes over a creator role the settings
      // stored. Organizations name their set by key, carried along when the key changes.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('role_sets')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('key', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('type', 'varchar(16)', (c) => c.notNull())
          .addColumn('default_role_id', 'varchar(64)', (c) => c.notNull().references('roles.id'))
          .addColumn('creator_role_id', 'varchar(64)', (c) => c.notNull().references('roles.id'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('role_sets_one_initial')
          .on('role_sets')
          .column('type')
          .unique()
          .where(sql.ref('type'), '=', sql.lit('initial'))
          .execute();
        await db.schema
          .createTable('role_set_roles')
          .addColumn('role_set_id', 'varchar(64)', (c) => c.notNull().references('role_sets.id').onDelete('cascade'))
          .addColumn('role_id', 'varchar(64)', (c) => c.notNull().references('roles.id').onDelete('cascade'))
          .addColumn('added_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('role_set_roles_pk', ['role_set_id', 'role_id'])
          .execute();
        await db.schema.createIndex('role_set_roles_role').on('role_set_roles').column('role_id').execute();
        await db.schema
          .alterTable('organizations')
          .addColumn('role_set_key', 'varchar(128)', (c) => c.references('role_sets.key').onUpdate('cascade'))
          .execute();
        await db.schema.createIndex('organizations_role_set').on('organizations').column('role_set_key').execute();
        const stored = await db
          .selectFrom('instance_settings' as never)
          .select('value' as never)
          .where('key' as never, '=', 'organizations.creator_role_id' as never)
          .executeTakeFirst();
        const creator = stored ? (JSON.parse((stored as { value: string }).value) as string) : 'role_admin';
        const roles = (await db
          .selectFrom('roles' as never)
          .select(['id' as never, 'created_at' as never])
          .execute()) as {
          id: string;
          created_at: number;
        }[];
        const seed = defaultRoleSetSeed(Date.now());
        await db
          .insertInto('role_sets' as never)
          .values({ ...seed, creator_role_id: creator } as never)
          .execute();
        await db
          .insertInto('role_set_roles' as never)
          .values(roles.map((r) => ({ role_set_id: seed.id, role_id: r.id, added_at: Number(r.created_at) })) as never)
          .execute();
        await db
          .updateTable('organizations' as never)
          .set({ role_set_key: seed.key } as never)
          .execute();
        await db
          .deleteFrom('instance_settings' as never)
          .where('key' as never, '=', 'organizations.creator_role_id' as never)
          .execute();
      },
    },
    '0042_domain_invitations': {
      // Which verified domain made an invitation (decision 047): its `automatic_invitation` mode,
      // so `total_pending_invitations` counts them and `delete_pending` or removing the domain
      // revokes exactly those. No foreign key: the record of who made it outlives the domain.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('invitations').addColumn('organization_domain_id', 'varchar(64)').execute();
        await db.schema
          .createIndex('invitations_domain_status')
          .on('invitations')
          .columns(['organization_domain_id', 'status'])
          .execute();
      },
    },
    '0043_membership_requests': {
      // Suggestions and membership requests (issue 14, decision 048). A suggestion is what a verified
      // domain in `automatic_suggestion` mode offers a user with a verified address on it; accepting
      // it makes a membership request that a manager of the members accepts or rejects. At most one
      // pending of each per (organization, user), kept by partial unique indexes so concurrent
      // writers cannot make two. The domain reference is cleared when the domain goes (its pending
      // suggestions are deleted first; accepted ones and the requests stay).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('organization_suggestions')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('organization_id', 'varchar(64)', (c) =>
            c.notNull().references('organizations.id').onDelete('cascade'),
          )
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('domain_id', 'varchar(64)', (c) => c.references('organization_domains.id').onDelete('set null'))
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('organization_suggestions_one_pending')
          .on('organization_suggestions')
          .columns(['organization_id', 'user_id'])
          .unique()
          .where(sql.ref('status'), '=', sql.lit('pending'))
          .execute();
        await db.schema
          .createIndex('organization_suggestions_user')
          .on('organization_suggestions')
          .columns(['user_id', 'created_at'])
          .execute();
        await db.schema
          .createIndex('organization_suggestions_domain')
          .on('organization_suggestions')
          .column('domain_id')
          .execute();
        await db.schema
          .createTable('organization_membership_requests')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('organization_id', 'varchar(64)', (c) =>
            c.notNull().references('organizations.id').onDelete('cascade'),
          )
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('suggestion_id', 'varchar(64)', (c) =>
            c.references('organization_suggestions.id').onDelete('set null'),
          )
          .addColumn('domain_id', 'varchar(64)', (c) => c.references('organization_domains.id').onDelete('set null'))
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('organization_membership_requests_one_pending')
          .on('organization_membership_requests')
          .columns(['organization_id', 'user_id'])
          .unique()
          .where(sql.ref('status'), '=', sql.lit('pending'))
          .execute();
        await db.schema
          .createIndex('organization_membership_requests_org')
          .on('organization_membership_requests')
          .columns(['organization_id', 'status', 'created_at'])
          .execute();
        await db.schema
          .createIndex('organization_membership_requests_user')
          .on('organization_membership_requests')
          .column('user_id')
          .execute();
      },
    },
    '0044_instance_admins': {
      // Users who may use the operator console with their own account (decision 051), beside
      // whoever holds the secret key. Gone with the user.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('instance_admins')
          .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('granted_at', 'bigint', (c) => c.notNull())
          .addColumn('granted_by', 'varchar(64)', (c) => c.notNull())
          .execute();
      },
    },
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations() {
    return migrations(this.dialect);
  }
}

/** Roster's migrator, its tables named in the schema in use. */
async function migratorFor(db: Kysely<unknown>, dialect: Dialect): Promise<Migrator> {
  // On PostgreSQL, name the schema in use: Kysely otherwise takes a migration table in *any*
  // schema of the database as ours, and a second Roster (or test) in another schema never migrates.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db,
    provider: new StaticProvider(dialect),
    migrationTableName: 'roster_migrations',
    migrationLockTableName: 'roster_migrations_lock',
    ...(schema && { migrationTableSchema: schema }),
  });
}

/**
 * Brings the schema up to date (or, for tests of a migration, up to the one named `to`). Safe to
 * run on every start and from several instances at once. Returns the names of the migrations it ran.
 */
export async function migrate(db: Kysely<unknown>, dialect: Dialect, options: { to?: string } = {}): Promise<string[]> {
  const migrator = await migratorFor(db, dialect);
  const { error, results } = await (options.to ? migrator.migrateTo(options.to) : migrator.migrateToLatest());
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Every migration in order, with when it ran (null: pending). */
export async function migrationStatus(
  db: Kysely<unknown>,
  dialect: Dialect,
): Promise<{ name: string; executedAt: Date | null }[]> {
  const all = await (await migratorFor(db, dialect)).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
