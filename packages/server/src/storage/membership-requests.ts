import { type Kysely, type Selectable, sql } from 'kysely';
import type {
  MembershipRequest,
  MembershipRequestStatus,
  MembershipRequestStore,
  OrganizationSuggestion,
  SuggestionStatus,
} from '../domain/membership-requests/store.js';
import { guarded } from './guarded.js';
import type { Database } from './schema.js';

type SuggestionRow = Selectable<Database['organization_suggestions']>;
type RequestRow = Selectable<Database['organization_membership_requests']>;

/** As for invitations: statuses go into the SQL as literals, so the partial indexes serve `= 'pending'`. */
const PENDING = sql.lit('pending');

const suggestionFromRow = (r: SuggestionRow): OrganizationSuggestion => ({
  id: r.id,
  organizationId: r.organization_id,
  userId: r.user_id,
  domainId: r.domain_id,
  status: r.status as SuggestionStatus,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const requestFromRow = (r: RequestRow): MembershipRequest => ({
  id: r.id,
  organizationId: r.organization_id,
  userId: r.user_id,
  suggestionId: r.suggestion_id,
  domainId: r.domain_id,
  status: r.status as MembershipRequestStatus,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** `MembershipRequestStore` over Kysely, for SQLite and PostgreSQL (on a transaction's connection inside one). */
export class KyselyMembershipRequestStore implements MembershipRequestStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createSuggestion(s: OrganizationSuggestion) {
    // Checked, then inserted: a concurrent writer can only lose to the partial unique index (one
    // pending per organization and user), which the insert yields to.
    const [suggested, member] = await Promise.all([
      this.db
        .selectFrom('organization_suggestions')
        .select('id')
        .where('organization_id', '=', s.organizationId)
        .where('user_id', '=', s.userId)
        .executeTakeFirst(),
      this.db
        .selectFrom('memberships')
        .select('id')
        .where('organization_id', '=', s.organizationId)
        .where('user_id', '=', s.userId)
        .executeTakeFirst(),
    ]);
    if (suggested || member) return false;
    const result = await guarded(
      this.db
        .insertInto('organization_suggestions')
        .values({
          id: s.id,
          organization_id: s.organizationId,
          user_id: s.userId,
          domain_id: s.domainId,
          status: s.status,
          created_at: s.createdAt,
          updated_at: s.updatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findSuggestion(userId: string, id: string) {
    const row = await this.db
      .selectFrom('organization_suggestions')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? suggestionFromRow(row) : null;
  }

  async listSuggestions(options: Parameters<MembershipRequestStore['listSuggestions']>[0]) {
    if (options.statuses.length === 0) return { data: [], totalCount: 0 };
    const query = this.db
      .selectFrom('organization_suggestions as s')
      .where('s.user_id', '=', options.userId)
      .where((eb) =>
        eb.or(
          options.statuses.map((status) =>
            status === 'pending'
              ? eb.and([
                  eb('s.status', '=', PENDING),
                  eb.not(
                    eb.exists(
                      eb
                        .selectFrom('memberships as m')
                        .select(sql.lit(1).as('x'))
                        .whereRef('m.organization_id', '=', 's.organization_id')
                        .whereRef('m.user_id', '=', 's.user_id'),
                    ),
                  ),
                ])
              : eb('s.status', '=', sql.lit(status)),
          ),
        ),
      );
    const [rows, count] = await Promise.all([
      query
        .selectAll('s')
        .orderBy('s.created_at', 'desc')
        .orderBy('s.id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(suggestionFromRow), totalCount: Number(count.n) };
  }

  async acceptSuggestion(id: string, now: number) {
    const result = await this.db
      .updateTable('organization_suggestions')
      .set({ status: 'accepted', updated_at: now })
      .where('id', '=', id)
      .where('status', '=', PENDING)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deletePendingSuggestionsForDomain(domainId: string) {
    const result = await this.db
      .deleteFrom('organization_suggestions')
      .where('domain_id', '=', domainId)
      .where('status', '=', PENDING)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async countPendingSuggestions(domainIds: string[]) {
    const counts = new Map<string, number>(domainIds.map((id) => [id, 0]));
    if (domainIds.length === 0) return counts;
    // As the user's list shows them: a pending suggestion of an organization they joined meanwhile is moot.
    const rows = await this.db
      .selectFrom('organization_suggestions as s')
      .select(['s.domain_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('s.domain_id', 'in', domainIds)
      .where('s.status', '=', PENDING)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('memberships as m')
              .select(sql.lit(1).as('x'))
              .whereRef('m.organization_id', '=', 's.organization_id')
              .whereRef('m.user_id', '=', 's.user_id'),
          ),
        ),
      )
      .groupBy('s.domain_id')
      .execute();
    for (const r of rows) if (r.domain_id) counts.set(r.domain_id, Number(r.n));
    return counts;
  }

  async createMembershipRequest(r: MembershipRequest) {
    await guarded(
      this.db
        .insertInto('organization_membership_requests')
        .values({
          id: r.id,
          organization_id: r.organizationId,
          user_id: r.userId,
          suggestion_id: r.suggestionId,
          domain_id: r.domainId,
          status: r.status,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })
        .execute(),
    );
  }

  async findMembershipRequest(orgId: string, id: string) {
    const row = await this.db
      .selectFrom('organization_membership_requests')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? requestFromRow(row) : null;
  }

  async listMembershipRequests(options: Parameters<MembershipRequestStore['listMembershipRequests']>[0]) {
    if (options.statuses.length === 0) return { data: [], totalCount: 0 };
    const query = this.db
      .selectFrom('organization_membership_requests')
      .where('organization_id', '=', options.orgId)
      .where(
        'status',
        'in',
        options.statuses.map((s) => sql.lit(s)),
      );
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(requestFromRow), totalCount: Number(count.n) };
  }

  async transitionMembershipRequest(id: string, to: 'accepted' | 'rejected', now: number) {
    const result = await this.db
      .updateTable('organization_membership_requests')
      .set({ status: to, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', PENDING)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
