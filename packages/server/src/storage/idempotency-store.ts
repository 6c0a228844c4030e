import type { Kysely } from 'kysely';
import type { IdempotencyRecord, IdempotencyStore } from '../domain/idempotency/store.js';
import type { Database } from './schema.js';

type Row = Database['idempotency_keys'];

const fromRow = (r: Row): IdempotencyRecord => ({
  id: r.id,
  requestHash: r.request_hash,
  claim: r.claim,
  response: r.response,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
});

/** `IdempotencyStore` over Kysely, the same SQL for SQLite and PostgreSQL. */
export class KyselyIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claimIdempotencyKey({
    record,
    now,
    staleBefore,
  }: Parameters<IdempotencyStore['claimIdempotencyKey']>[0]): ReturnType<IdempotencyStore['claimIdempotencyKey']> {
    const row = {
      id: record.id,
      request_hash: record.requestHash,
      claim: record.claim,
      response: null,
      created_at: record.createdAt,
      expires_at: record.expiresAt,
    };
    const { id: _id, ...update } = row;
    // Two rounds at most: a row that goes away (expired and swept, or released by a failed run)
    // between the insert and the read is inserted again.
    for (let round = 0; ; round++) {
      const inserted = await this.db
        .insertInto('idempotency_keys')
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { claimed: true };
      const found = await this.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (!found) {
        if (round < 1) continue;
        throw new Error('idempotency key row vanished twice while claiming it');
      }
      const existing = fromRow(found);
      const expired = existing.expiresAt <= now;
      const stale =
        existing.response === null && existing.createdAt < staleBefore && existing.requestHash === record.requestHash;
      if (!expired && !stale) return { claimed: false, record: existing };
      // Take it over only from the run that holds it now: of concurrent takeovers, one wins.
      const taken = await this.db
        .updateTable('idempotency_keys')
        .set(update)
        .where('id', '=', record.id)
        .where('claim', '=', existing.claim)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) return { claimed: true };
      const now2 = await this.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (now2) return { claimed: false, record: fromRow(now2) };
      if (round >= 1) throw new Error('idempotency key row vanished twice while claiming it');
    }
  }

  async completeIdempotencyKey({ id, claim, response }: { id: string; claim: string; response: string }) {
    const r = await this.db
      .updateTable('idempotency_keys')
      .set({ response })
      .where('id', '=', id)
      .where('claim', '=', claim)
      .where('response', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async releaseIdempotencyKey({ id, claim }: { id: string; claim: string }) {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('id', '=', id)
      .where('claim', '=', claim)
      .where('response', 'is', null)
      .execute();
  }

  async deleteExpiredIdempotencyKeys({ now, limit }: { now: number; limit: number }) {
    // SQLite has no DELETE … LIMIT by default: delete the ids a bounded select names.
    const r = await this.db
      .deleteFrom('idempotency_keys')
      .where('id', 'in', (eb) =>
        eb.selectFrom('idempotency_keys').select('id').where('expires_at', '<=', now).limit(limit),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
