import { type Kysely, type Selectable, sql } from 'kysely';
import type { Page } from '../domain/records.js';
import type { NewRoleSet, RoleSetRecord, RoleSetStore } from '../domain/roles/role-set-store.js';
import type { RoleListOptions } from '../domain/roles/store.js';
import { guarded } from './guarded.js';
import type { Database } from './schema.js';

type RoleSetRow = Selectable<Database['role_sets']>;

/** The set migration 0041 seeds (with every role there is, and the creator role the settings stored). */
export function defaultRoleSetSeed(now: number) {
  return {
    id: 'rs_default',
    key: 'role_set:default',
    name: 'Default role set',
    description: 'The roles every organization may give, until role sets say otherwise',
    type: 'initial',
    default_role_id: 'role_member',
    creator_role_id: 'role_admin',
    created_at: now,
    updated_at: now,
  };
}

const PENDING = sql.lit('pending');

/** `RoleSetStore` over Kysely, for SQLite and PostgreSQL. */
export class KyselyRoleSetStore implements RoleSetStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `fn` in a transaction: this store's own, or the one it is already part of. */
  private atomically<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn);
  }

  /** The sets of `rows` with their roles and member counts, in two more queries. */
  private async hydrate(rows: RoleSetRow[]): Promise<RoleSetRecord[]> {
    if (rows.length === 0) return [];
    const [roles, counts] = await Promise.all([
      this.db
        .selectFrom('role_set_roles')
        .innerJoin('roles', 'roles.id', 'role_set_roles.role_id')
        .selectAll('roles')
        .select('role_set_roles.role_set_id')
        .where(
          'role_set_roles.role_set_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('role_set_roles.added_at')
        .orderBy('roles.key')
        .execute(),
      this.db
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
        .select(['organizations.role_set_key', 'memberships.role', (eb) => eb.fn.countAll<number>().as('n')])
        .where(
          'organizations.role_set_key',
          'in',
          rows.map((r) => r.key),
        )
        .groupBy(['organizations.role_set_key', 'memberships.role'])
        .execute(),
    ]);
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description,
      type: r.type === 'initial' ? 'initial' : 'custom',
      roles: roles
        .filter((role) => role.role_set_id === r.id)
        .map((role) => ({
          id: role.id,
          key: role.key,
          name: role.name,
          description: role.description,
          membersCount: Number(counts.find((c) => c.role_set_key === r.key && c.role === role.key)?.n ?? 0),
          createdAt: Number(role.created_at),
          updatedAt: Number(role.updated_at),
        })),
      defaultRoleId: r.default_role_id,
      creatorRoleId: r.creator_role_id,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  async listRoleSets(options: RoleListOptions): Promise<Page<RoleSetRecord>> {
    const q = options.query?.trim();
    let base = this.db.selectFrom('role_sets');
    if (q) {
      const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base = base.where((eb) =>
        eb.or([
          eb('id', '=', q),
          eb(eb.fn('lower', ['name']), 'like', sql<string>`${like} escape '\\'`),
          eb(eb.fn('lower', ['key']), 'like', sql<string>`${like} escape '\\'`),
        ]),
      );
    }
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy(options.order.column, options.order.descending ? 'desc' : 'asc')
        .orderBy('id')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: await this.hydrate(rows), totalCount: Number(count.n) };
  }

  async findRoleSet(idOrKey: string) {
    const row = await this.db
      .selectFrom('role_sets')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey)]))
      .executeTakeFirst();
    return row ? ((await this.hydrate([row]))[0] ?? null) : null;
  }

  async findInitialRoleSet() {
    const row = await this.db.selectFrom('role_sets').selectAll().where('type', '=', 'initial').executeTakeFirst();
    return row ? ((await this.hydrate([row]))[0] ?? null) : null;
  }

  createRoleSet(set: NewRoleSet, roleIds: string[]) {
    return this.atomically(async (db) => {
      if (set.type === 'initial')
        await db.updateTable('role_sets').set({ type: 'custom' }).where('type', '=', 'initial').execute();
      await guarded(
        db
          .insertInto('role_sets')
          .values({
            id: set.id,
            key: set.key,
            name: set.name,
            description: set.description,
            type: set.type,
            default_role_id: set.defaultRoleId,
            creator_role_id: set.creatorRoleId,
            created_at: set.createdAt,
            updated_at: set.updatedAt,
          })
          .execute(),
      );
      await db
        .insertInto('role_set_roles')
        .values(roleIds.map((roleId, i) => ({ role_set_id: set.id, role_id: roleId, added_at: set.createdAt + i })))
        .execute();
    });
  }

  updateRoleSet(id: string, patch: Parameters<RoleSetStore['updateRoleSet']>[1]) {
    return this.atomically(async (db) => {
      if (patch.initial) {
        await db
          .updateTable('role_sets')
          .set({ type: 'custom' })
          .where('type', '=', 'initial')
          .where('id', '!=', id)
          .execute();
      }
      await guarded(
        db
          .updateTable('role_sets')
          .set({
            ...(patch.key !== undefined && { key: patch.key }),
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.description !== undefined && { description: patch.description }),
            ...(patch.defaultRoleId !== undefined && { default_role_id: patch.defaultRoleId }),
            ...(patch.creatorRoleId !== undefined && { creator_role_id: patch.creatorRoleId }),
            ...(patch.initial && { type: 'initial' }),
            updated_at: patch.updatedAt,
          })
          .where('id', '=', id)
          .execute(),
      );
    });
  }

  async addRoles(id: string, roleIds: string[], now: number) {
    if (roleIds.length === 0) return;
    await this.db
      .insertInto('role_set_roles')
      .values(roleIds.map((roleId, i) => ({ role_set_id: id, role_id: roleId, added_at: now + i })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Applies `mappings` (role key → role key, all at once) to the members and pending invitations of `setKey`'s organizations. */
  private async reassign(db: Kysely<Database>, setKey: string, mappings: Record<string, string>, now: number) {
    const from = Object.keys(mappings).filter((k) => mappings[k] !== k);
    if (from.length === 0) return 0;
    const mapped = (ref: 'memberships.role' | 'invitations.role') =>
      sql<string>`case ${sql.join(
        from.map((key) => sql`when ${sql.ref(ref)} = ${key} then ${mappings[key]}`),
        sql` `,
      )} else ${sql.ref(ref)} end`;
    const orgs = db
      .selectFrom('organizations')
      .select('organizations.id')
      .where('organizations.role_set_key', '=', setKey);
    const members = await db
      .updateTable('memberships')
      .set({ role: mapped('memberships.role'), updated_at: now })
      .where('memberships.role', 'in', from)
      .where('memberships.organization_id', 'in', orgs)
      .executeTakeFirst();
    await db
      .updateTable('invitations')
      .set({ role: mapped('invitations.role'), updated_at: now })
      .where('invitations.role', 'in', from)
      .where('invitations.status', '=', PENDING)
      .where('invitations.organization_id', 'in', orgs)
      .execute();
    return Number(members.numUpdatedRows);
  }

  replaceRole(id: string, change: Parameters<RoleSetStore['replaceRole']>[1]) {
    return this.atomically(async (db) => {
      const set = await db.selectFrom('role_sets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const moved = await this.reassign(db, set.key, { [change.fromKey]: change.toKey }, change.now);
      await db
        .updateTable('role_sets')
        .set({
          ...(set.default_role_id === change.fromRoleId && { default_role_id: change.toRoleId }),
          ...(set.creator_role_id === change.fromRoleId && { creator_role_id: change.toRoleId }),
          updated_at: change.now,
        })
        .where('id', '=', id)
        .execute();
      await db
        .deleteFrom('role_set_roles')
        .where('role_set_id', '=', id)
        .where('role_id', '=', change.fromRoleId)
        .execute();
      return moved;
    });
  }

  replaceRoleSet(sourceId: string, dest: { id: string; key: string }, mappings: Record<string, string>, now: number) {
    return this.atomically(async (db) => {
      const source = await db.selectFrom('role_sets').selectAll().where('id', '=', sourceId).executeTakeFirstOrThrow();
      const moved = await this.reassign(db, source.key, mappings, now);
      await db
        .updateTable('organizations')
        .set({ role_set_key: dest.key, updated_at: now })
        .where('role_set_key', '=', source.key)
        .execute();
      await db.deleteFrom('role_sets').where('id', '=', sourceId).execute();
      if (source.type === 'initial') {
        await db.updateTable('role_sets').set({ type: 'initial', updated_at: now }).where('id', '=', dest.id).execute();
      }
      return moved;
    });
  }

  async heldRoleKeys(roleSetKey: string) {
    const orgs = this.db.selectFrom('organizations').select('id').where('role_set_key', '=', roleSetKey);
    const rows = await this.db
      .selectFrom('memberships')
      .select('role')
      .where('organization_id', 'in', orgs)
      .union(
        this.db
          .selectFrom('invitations')
          .select('role')
          .where('status', '=', PENDING)
          .where('organization_id', 'in', orgs),
      )
      .execute();
    return [...new Set(rows.map((r) => r.role))];
  }

  async countOrganizationsLosingManagers(roleSetKey: string, managers: string[], stillManaging: string[]) {
    if (managers.length === 0) return 0;
    const row = await this.db
      .selectFrom('organizations as o')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.role_set_key', '=', roleSetKey)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('memberships as m')
            .select('m.id')
            .whereRef('m.organization_id', '=', 'o.id')
            .where('m.role', 'in', managers),
        ),
      )
      .$if(stillManaging.length > 0, (q) =>
        q.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('memberships as k')
                .select('k.id')
                .whereRef('k.organization_id', '=', 'o.id')
                .where('k.role', 'in', stillManaging),
            ),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async organizationSetHasRole(orgId: string, roleKey: string) {
    const initial = this.db.selectFrom('role_sets').select('key').where('type', '=', 'initial');
    const row = await this.db
      .selectFrom('organizations')
      .innerJoin('role_sets', (join) =>
        join.on((eb) => eb('role_sets.key', '=', eb.fn.coalesce('organizations.role_set_key', initial))),
      )
      .innerJoin('role_set_roles', 'role_set_roles.role_set_id', 'role_sets.id')
      .innerJoin('roles', 'roles.id', 'role_set_roles.role_id')
      .select('roles.id')
      .where('organizations.id', '=', orgId)
      .where('roles.key', '=', roleKey)
      .executeTakeFirst();
    return row !== undefined;
  }
}
