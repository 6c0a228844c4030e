import type { Kysely } from 'kysely';
import type { AuditLogStore } from '../domain/audit/audit-log.js';
import { eventFromRow } from './rows.js';
import type { Database } from './schema.js';

/** The audit log's reads and its retention sweep, over the `events` table (migration 0008). */
export class KyselyAuditLogStore implements AuditLogStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listEvents(options: Parameters<AuditLogStore['listEvents']>[0]) {
    let q = this.db.selectFrom('events');
    if (options.organizationId) q = q.where('organization_id', '=', options.organizationId);
    if (options.types?.length) q = q.where('type', 'in', options.types);
    if (options.actor) q = q.where('actor', '=', options.actor);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('seq', 'desc').limit(options.limit).offset(options.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(eventFromRow), totalCount: Number(count.n) };
  }

  async deleteEventsBefore(before: number, limit: number) {
    return this.db.transaction().execute(async (trx) => {
      const old = await trx
        .selectFrom('events')
        .select('id')
        .where('created_at', '<', before)
        .orderBy('created_at')
        .limit(limit)
        .execute();
      if (old.length === 0) return 0;
      const ids = old.map((r) => r.id);
      // A delivery still owed for a year-old event is past every retry: it goes with its event.
      await trx.deleteFrom('webhook_deliveries').where('event_id', 'in', ids).execute();
      const deleted = await trx.deleteFrom('events').where('id', 'in', ids).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
  }
}
