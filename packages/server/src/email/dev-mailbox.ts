import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { OutgoingMail } from './transports.js';

/** A mail kept by the development mailbox. */
export interface DevMail {
  id: number;
  messageId: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Unix milliseconds. */
  createdAt: number;
}

/** Development-only store for sent mail, so links can be followed without a mail server. */
export interface DevMailbox {
  save(mail: OutgoingMail): Promise<void>;
  /** The newest `limit` mails, newest first. */
  list(limit: number): Promise<DevMail[]>;
  get(id: number): Promise<DevMail | null>;
}

type Row = Selectable<Database['dev_mailbox']>;

const fromRow = (r: Row): DevMail => ({
  id: Number(r.id),
  messageId: r.message_id,
  to: r.to_address,
  from: r.from_address,
  subject: r.subject,
  text: r.text,
  html: r.html,
  createdAt: Number(r.created_at),
});

/**
 * The dev mailbox over the `dev_mailbox` table (SQLite or PostgreSQL). The email layer reaches
 * into storage types only here, for this one development adapter.
 *
 * @example
 * const mailbox = kyselyDevMailbox(handle.db);
 * const [latest] = await mailbox.list(1);
 */
export function kyselyDevMailbox(db: Kysely<Database>, now: () => number = Date.now): DevMailbox {
  return {
    async save(mail) {
      await db
        .insertInto('dev_mailbox')
        .values({
          message_id: mail.messageId,
          to_address: mail.to,
          from_address: mail.from,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          created_at: now(),
        })
        .execute();
    },

    async list(limit) {
      const rows = await db
        .selectFrom('dev_mailbox')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(fromRow);
    },

    async get(id) {
      if (!Number.isSafeInteger(id)) return null;
      const row = await db.selectFrom('dev_mailbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : null;
    },
  };
}
