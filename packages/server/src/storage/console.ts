import { type Kysely, sql } from 'kysely';
import type { ConsoleStore } from '../domain/console/store.js';
import { normalizeEmail } from '../domain/crypto.js';
import { eventFromRow, organizationFromRow } from './rows.js';
import type { Database } from './schema.js';

const likeOf = (query: string) => `%${query.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;

/** The console's keyset lists over users, organizations and events (domain/console/store.ts). */
export class KyselyConsoleStore implements ConsoleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listUsersAfter(options: Parameters<ConsoleStore['listUsersAfter']>[0]) {
    let q = this.db.selectFrom('users').select('users.id');
    const query = options.query?.trim();
    if (query?.includes('@')) {
      const email = normalizeEmail(query);
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('email_addresses')
            .select('email_addresses.id')
            .whereRef('email_addresses.user_id', '=', 'users.id')
            .where('email_addresses.email_normalized', '=', email),
        ),
      );
    } else if (query) {
      const like = likeOf(query);
      q = q.where((eb) =>
        eb.or([
          eb(
            eb.fn('lower', [sql<string>`coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, '')`]),
            'like',
            sql<string>`${like} escape '\\'`,
          ),
          eb.exists(
            eb
              .selectFrom('email_addresses')
              .select('email_addresses.id')
              .whereRef('email_addresses.user_id', '=', 'users.id')
              .where('email_addresses.email_normalized', 'like', sql<string>`${like} escape '\\'`),
          ),
          eb('users.id', '=', query),
        ]),
      );
    }
    const cursor = options.after;
    // A row value, which both databases turn into one index range (users_created_id).
    if (cursor)
      q = q.where((eb) => eb(eb.refTuple('users.created_at', 'users.id'), '<', eb.tuple(cursor.createdAt, cursor.id)));
    const rows = await q.orderBy('users.created_at', 'desc').orderBy('users.id', 'desc').limit(options.limit).execute();
    return rows.map((r) => r.id);
  }

  async listOrganizationsAfter(options: Parameters<ConsoleStore['listOrganizationsAfter']>[0]) {
    let q = this.db.selectFrom('organizations').selectAll('organizations');
    const query = options.query?.trim();
    if (query) {
      const like = likeOf(query);
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['organizations.name']), 'like', sql<string>`${like} escape '\\'`),
          eb('organizations.slug', 'like', sql<string>`${like} escape '\\'`),
          eb('organizations.id', '=', query),
        ]),
      );
    }
    const cursor = options.after;
    if (cursor) {
      q = q.where((eb) =>
        eb(eb.refTuple('organizations.created_at', 'organizations.id'), '<', eb.tuple(cursor.createdAt, cursor.id)),
      );
    }
    const rows = await q
      .orderBy('organizations.created_at', 'desc')
      .orderBy('organizations.id', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map(organizationFromRow);
  }

  async listEventsBefore(options: Parameters<ConsoleStore['listEventsBefore']>[0]) {
    let q = this.db.selectFrom('events').selectAll();
    if (options.organizationId) q = q.where('organization_id', '=', options.organizationId);
    if (options.actor) q = q.where('actor', '=', options.actor);
    if (options.types?.length) q = q.where('type', 'in', options.types);
    if (options.from !== undefined) q = q.where('created_at', '>=', options.from);
    if (options.to !== undefined) q = q.where('created_at', '<', options.to);
    if (options.beforeSeq !== null) q = q.where('seq', '<', options.beforeSeq);
    const page = (query: typeof q) => query.orderBy('seq', 'desc').limit(options.limit).execute();
    let rows: Awaited<ReturnType<typeof page>>;
    if (options.user) {
      // What they did and what concerns them: two index ranges (events_actor, events_user), merged.
      const [did, about] = await Promise.all([
        page(q.where('actor', '=', options.user)),
        page(q.where('user_id', '=', options.user)),
      ]);
      const bySeq = new Map([...did, ...about].map((r) => [Number(r.seq), r]));
      rows = [...bySeq.values()].sort((a, b) => Number(b.seq) - Number(a.seq)).slice(0, options.limit);
    } else {
      rows = await page(q);
    }
    return rows.map((r) => ({ seq: Number(r.seq), event: eventFromRow(r) }));
  }
}
