import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { MailSettingsRow, MailSettingsStore } from './mail-settings.js';

const ROW_ID = 'smtp';

/** `MailSettingsStore` over Kysely (SQLite and PostgreSQL alike): one row, replaced whole. Beside the email layer it serves, as the dev mailbox is. */
export function kyselyMailSettingsStore(db: Kysely<Database>): MailSettingsStore {
  return {
    async find() {
      const row = await db.selectFrom('mail_settings').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
      return row
        ? {
            sealedSmtpUrl: row.smtp_url,
            from: row.from_address,
            updatedAt: Number(row.updated_at),
            updatedBy: row.updated_by,
          }
        : null;
    },
    async put(row: MailSettingsRow) {
      const values = {
        smtp_url: row.sealedSmtpUrl,
        from_address: row.from,
        updated_at: row.updatedAt,
        updated_by: row.updatedBy,
      };
      await db
        .insertInto('mail_settings')
        .values({ id: ROW_ID, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    },
    async remove() {
      await db.deleteFrom('mail_settings').where('id', '=', ROW_ID).execute();
    },
  };
}
