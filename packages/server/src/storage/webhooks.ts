import type { WebhookEventType } from '@roster/protocol';
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type {
  ClaimedDelivery,
  DeliveryOutcome,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookStore,
} from '../domain/webhooks/webhooks.js';
import type { Dialect } from './database.js';
import { eventFromRow } from './rows.js';
import type { Database } from './schema.js';

type Row<T extends keyof Database> = Selectable<Database[T]>;

const endpointFromRow = (r: Row<'webhook_endpoints'>): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  enabledEvents: JSON.parse(r.enabled_events) as WebhookEventType[],
  sealedSecret: r.secret,
  disabled: Number(r.disabled) === 1,
  failingSince: r.failing_since === null ? null : Number(r.failing_since),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const endpointToRow = (e: WebhookEndpoint): Row<'webhook_endpoints'> => ({
  id: e.id,
  url: e.url,
  description: e.description,
  // Sorted, so the fan-out trigger's match on `"type"` is all it needs.
  enabled_events: JSON.stringify([...e.enabledEvents].sort()),
  secret: e.sealedSecret,
  disabled: e.disabled ? 1 : 0,
  failing_since: e.failingSince,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

const deliveryFromRow = (r: Row<'webhook_deliveries'> & { event_type: string }): WebhookDelivery => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.event_type,
  endpointId: r.endpoint_id,
  status: r.status as WebhookDelivery['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  responseStatus: r.response_status === null ? null : Number(r.response_status),
  responseBody: r.response_body,
  lastError: r.last_error,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
});

/** `WebhookStore` over Kysely, for SQLite and PostgreSQL. */
export class KyselyWebhookStore implements WebhookStore {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  async createWebhookEndpoint(endpoint: WebhookEndpoint) {
    await this.db.insertInto('webhook_endpoints').values(endpointToRow(endpoint)).execute();
  }

  async upsertWebhookEndpoint(endpoint: WebhookEndpoint) {
    const row = endpointToRow(endpoint);
    const { id: _id, created_at: _created, ...changed } = row;
    await this.db
      .insertInto('webhook_endpoints')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(changed))
      .execute();
  }

  async findWebhookEndpoint(id: string) {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? endpointFromRow(row) : null;
  }

  async listWebhookEndpoints(options: { limit: number; offset: number }) {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      this.db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(endpointFromRow), totalCount: Number(count.n) };
  }

  async updateWebhookEndpoint(id: string, patch: Parameters<WebhookStore['updateWebhookEndpoint']>[1]) {
    const r = await this.db
      .updateTable('webhook_endpoints')
      .set({
        ...(patch.url !== undefined && { url: patch.url }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.enabledEvents !== undefined && { enabled_events: JSON.stringify([...patch.enabledEvents].sort()) }),
        ...(patch.sealedSecret !== undefined && { secret: patch.sealedSecret }),
        ...(patch.disabled !== undefined && { disabled: patch.disabled ? 1 : 0 }),
        ...(patch.failingSince !== undefined && { failing_since: patch.failingSince }),
        updated_at: patch.updatedAt,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteWebhookEndpoint(id: string) {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      const r = await trx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  private deliveries() {
    return this.db
      .selectFrom('webhook_deliveries')
      .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
      .selectAll('webhook_deliveries')
      .select('events.type as event_type');
  }

  async listWebhookDeliveries(options: Parameters<WebhookStore['listWebhookDeliveries']>[0]) {
    let q = this.db.selectFrom('webhook_deliveries').where('endpoint_id', '=', options.endpointId);
    if (options.status) q = q.where('status', '=', options.status);
    let rows = this.deliveries().where('webhook_deliveries.endpoint_id', '=', options.endpointId);
    if (options.status) rows = rows.where('webhook_deliveries.status', '=', options.status);
    const [data, count] = await Promise.all([
      rows
        .orderBy('webhook_deliveries.created_at', 'desc')
        .orderBy('webhook_deliveries.id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: data.map(deliveryFromRow), totalCount: Number(count.n) };
  }

  async findWebhookDelivery(endpointId: string, id: string) {
    const row = await this.deliveries()
      .where('webhook_deliveries.endpoint_id', '=', endpointId)
      .where('webhook_deliveries.id', '=', id)
      .executeTakeFirst();
    return row ? deliveryFromRow(row) : null;
  }

  async requeueWebhookDelivery(endpointId: string, id: string, now: number) {
    // A delivery being sent keeps its claim; its late outcome is dropped (the claim is cleared here).
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        locked_by: null,
        updated_at: now,
      })
      .where('endpoint_id', '=', endpointId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async claimWebhookDeliveries(options: { now: number; leaseMs: number; limit: number; owner: string }) {
    const due = (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => {
      let sub = eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', options.now)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', options.now)]))
        .where('endpoint_id', 'in', (s) => s.selectFrom('webhook_endpoints').select('id').where('disabled', '=', 0))
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(options.limit);
      if (this.dialect === 'postgres') sub = sub.forUpdate().skipLocked();
      return eb('id', 'in', sub);
    };
    const claimed = await this.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: options.now + options.leaseMs, locked_by: options.owner })
      .where(due)
      .returning(['id', 'event_id', 'endpoint_id'])
      .execute();
    if (claimed.length === 0) return [];
    const ids = claimed.map((c) => c.id);
    const [rows, events, endpoints] = await Promise.all([
      this.deliveries().where('webhook_deliveries.id', 'in', ids).execute(),
      this.db
        .selectFrom('events')
        .selectAll()
        .where('id', 'in', [...new Set(claimed.map((c) => c.event_id))])
        .execute(),
      this.db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', 'in', [...new Set(claimed.map((c) => c.endpoint_id))])
        .execute(),
    ]);
    const result: (ClaimedDelivery & { seq: number })[] = [];
    for (const row of rows) {
      const event = events.find((e) => e.id === row.event_id);
      const endpoint = endpoints.find((e) => e.id === row.endpoint_id);
      if (!event || !endpoint) continue;
      result.push({
        delivery: deliveryFromRow(row),
        event: eventFromRow(event),
        endpoint: endpointFromRow(endpoint),
        seq: Number(event.seq),
      });
    }
    // In the order the events were written, so one endpoint's first attempts go out in that order.
    return result.sort((a, b) => a.seq - b.seq).map(({ seq: _seq, ...c }) => c);
  }

  async renewWebhookLease(options: { ids: string[]; now: number; leaseMs: number; owner: string }) {
    if (options.ids.length === 0) return 0;
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: options.now + options.leaseMs })
      .where('id', 'in', options.ids)
      .where('locked_by', '=', options.owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async completeWebhookDeliveries(
    owner: string,
    outcomes: DeliveryOutcome[],
    options: { now: number; disableAfterMs: number },
  ): Promise<string[]> {
    if (outcomes.length === 0) return [];
    const rows = outcomes.map(
      (o) =>
        sql`(${o.id}, ${o.status}, cast(${o.attempts} as integer), cast(${o.nextAttemptAt} as bigint), cast(${o.responseStatus} as integer), ${o.responseBody}, ${o.lastError}, cast(${o.durationMs} as integer), cast(${o.deliveredAt} as bigint))`,
    );
    const recorded = await sql<{ id: string }>`
      with done (id, status, attempts, next_attempt_at, response_status, response_body, last_error, duration_ms, delivered_at)
        as (values ${sql.join(rows)})
      update webhook_deliveries set status = done.status, attempts = done.attempts,
        next_attempt_at = done.next_attempt_at, response_status = done.response_status,
        response_body = done.response_body, last_error = done.last_error, duration_ms = done.duration_ms,
        delivered_at = done.delivered_at, updated_at = ${options.now}, locked_until = null, locked_by = null
      from done where webhook_deliveries.id = done.id and webhook_deliveries.locked_by = ${owner}
      returning webhook_deliveries.id`.execute(this.db);
    const kept = new Set(recorded.rows.map((r) => r.id));
    // Each endpoint's failure run, from its latest recorded outcome in this batch.
    const latest = new Map<string, DeliveryOutcome>();
    for (const o of outcomes) if (kept.has(o.id)) latest.set(o.endpointId, o);
    const disabled: string[] = [];
    for (const [endpointId, o] of latest) {
      if (o.status === 'delivered') {
        await this.db
          .updateTable('webhook_endpoints')
          .set({ failing_since: null })
          .where('id', '=', endpointId)
          .where('failing_since', 'is not', null)
          .execute();
        continue;
      }
      await this.db
        .updateTable('webhook_endpoints')
        .set({ failing_since: options.now })
        .where('id', '=', endpointId)
        .where('failing_since', 'is', null)
        .execute();
      const r = await this.db
        .updateTable('webhook_endpoints')
        .set({ disabled: 1, updated_at: options.now })
        .where('id', '=', endpointId)
        .where('disabled', '=', 0)
        .where('failing_since', '<=', options.now - options.disableAfterMs)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) disabled.push(endpointId);
    }
    return disabled;
  }
}
