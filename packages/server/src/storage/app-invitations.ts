import type { InvitationStatus } from '@roster/protocol';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { AppInvitation, AppInvitationStore } from '../domain/app-invitations/store.js';
import { guarded } from './guarded.js';
import type { Database } from './schema.js';

type Row = Database['app_invitations'];

const fromRow = (r: Row): AppInvitation => ({
  id: r.id,
  emailAddress: r.email_address,
  emailNormalized: r.email_normalized,
  status: r.status as AppInvitation['status'],
  tokenHash: r.token_hash,
  urlTokenHash: r.url_token_hash,
  publicMetadata: JSON.parse(r.public_metadata) as AppInvitation['publicMetadata'],
  redirectUrl: r.redirect_url,
  notify: Boolean(r.notify),
  mailId: r.mail_id,
  expiresAt: Number(r.expires_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  acceptedUserId: r.accepted_user_id,
});

const toRow = (i: AppInvitation): Row => ({
  id: i.id,
  email_address: i.emailAddress,
  email_normalized: i.emailNormalized,
  status: i.status,
  token_hash: i.tokenHash,
  url_token_hash: i.urlTokenHash,
  public_metadata: JSON.stringify(i.publicMetadata),
  redirect_url: i.redirectUrl,
  notify: i.notify ? 1 : 0,
  mail_id: i.mailId,
  expires_at: i.expiresAt,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  accepted_user_id: i.acceptedUserId,
});

/** Rows whose effective status (a pending row past its expiry is expired) is one of `statuses`. */
function effectiveStatusIn(statuses: InvitationStatus[], now: number) {
  return (eb: ExpressionBuilder<Database, 'app_invitations'>) =>
    eb.or(
      statuses.map((s) => {
        if (s === 'pending') return eb.and([eb('status', '=', 'pending'), eb('expires_at', '>', now)]);
        if (s === 'expired') {
          return eb.or([
            eb('status', '=', 'expired'),
            eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', now)]),
          ]);
        }
        return eb('status', '=', s);
      }),
    );
}

/** `AppInvitationStore` over Kysely, the same SQL for SQLite and PostgreSQL; `KyselyStore` delegates here. */
export class KyselyAppInvitations implements AppInvitationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createAppInvitation(invitation: AppInvitation) {
    await guarded(this.db.insertInto('app_invitations').values(toRow(invitation)).execute());
  }

  async findAppInvitation(id: string) {
    const row = await this.db.selectFrom('app_invitations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async findAppInvitationByTokenHash(tokenHash: string) {
    const row = await this.db
      .selectFrom('app_invitations')
      .selectAll()
      .where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb('url_token_hash', '=', tokenHash)]))
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async findPendingAppInvitation(emailNormalized: string) {
    const row = await this.db
      .selectFrom('app_invitations')
      .selectAll()
      .where('email_normalized', '=', emailNormalized)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async listAppInvitations(options: Parameters<AppInvitationStore['listAppInvitations']>[0]) {
    let q = this.db.selectFrom('app_invitations').where(effectiveStatusIn(options.statuses, options.now));
    if (options.query) {
      const needle = `%${options.query.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      q = q.where((eb) =>
        eb.or([eb('id', '=', options.query!), sql<boolean>`email_normalized like ${needle} escape '\\'`]),
      );
    }
    const direction = options.descending ? 'desc' : 'asc';
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy(options.orderBy === 'email_address' ? 'email_normalized' : options.orderBy, direction)
        .orderBy('id', direction)
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(fromRow), totalCount: Number(count.n) };
  }

  async transitionAppInvitation(options: Parameters<AppInvitationStore['transitionAppInvitation']>[0]) {
    let q = this.db
      .updateTable('app_invitations')
      .set({
        status: options.to,
        updated_at: options.now,
        ...(options.acceptedUserId && { accepted_user_id: options.acceptedUserId }),
      })
      .where('id', '=', options.id)
      .where('status', '=', 'pending');
    if (options.to === 'accepted') q = q.where('expires_at', '>', options.now);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async withdrawQueuedMailById(id: string) {
    const r = await this.db
      .updateTable('outbox')
      .set({ status: 'not_sent', payload: '{}' })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
