import { PERMISSIONS, ROLES } from '@roster/protocol';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Page } from '../domain/records.js';
import type { PermissionRecord, RoleListOptions, RoleRecord, RoleStore } from '../domain/roles/store.js';
import { guarded } from './guarded.js';
import type { Database } from './schema.js';

type PermissionRow = Selectable<Database['permissions']>;
type RoleRow = Selectable<Database['roles']>;

const SEEDED_AT = 0;
const permissionId = (key: string) => `perm_${key.replace(/^org:/, '').replace(/:/g, '_')}`;
const roleId = (key: string) => `role_${key.replace(/^org:/, '')}`;
const words = (key: string) => key.replace(/^org:(sys_)?/, '').replace(/[_:]/g, ' ');

/** The rows migration 0031 seeds: the system permissions and the built-in roles as they were in code. */
export function systemRoleSeed() {
  return {
    permissions: PERMISSIONS.map((key) => ({
      id: permissionId(key),
      key,
      name: words(key).replace(/^\w/, (c) => c.toUpperCase()),
      description: `Permission to ${words(key).split(' ').reverse().join(' ')}`,
      type: 'system',
      created_at: SEEDED_AT,
      updated_at: SEEDED_AT,
    })),
    roles: Object.entries(ROLES).map(([key, role]) => ({
      id: roleId(key),
      key,
      name: role.name,
      description: null,
      created_at: SEEDED_AT,
      updated_at: SEEDED_AT,
    })),
    grants: Object.entries(ROLES).flatMap(([key, role]) =>
      role.permissions.map((p) => ({ role_id: roleId(key), permission_id: permissionId(p) })),
    ),
  };
}

const permissionFromRow = (r: PermissionRow): PermissionRecord => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  type: r.type === 'system' ? 'system' : 'user',
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** `RoleStore` over Kysely, for SQLite and PostgreSQL. */
export class KyselyRoleStore implements RoleStore {
  constructor(private readonly db: Kysely<Database>) {}

  private filtered<T extends 'permissions' | 'roles'>(table: T, options: RoleListOptions) {
    const q = options.query?.trim();
    let query = this.db.selectFrom(table as 'roles');
    if (q) {
      const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('id', '=', q),
          eb(eb.fn('lower', ['name']), 'like', sql<string>`${like} escape '\\'`),
          eb(eb.fn('lower', ['key']), 'like', sql<string>`${like} escape '\\'`),
        ]),
      );
    }
    if (options.organizationId) {
      const orgId = options.organizationId;
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('role_set_roles')
          .innerJoin('role_sets', 'role_sets.id', 'role_set_roles.role_set_id')
          .innerJoin('organizations', 'organizations.role_set_key', 'role_sets.key')
          .select('role_set_roles.role_id')
          .where('organizations.id', '=', orgId),
      );
    }
    return query;
  }

  private async page<R>(
    table: 'permissions' | 'roles',
    options: RoleListOptions,
    read: (rows: never[]) => Promise<R[]>,
  ) {
    const base = this.filtered(table, options);
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
    return { data: await read(rows as never[]), totalCount: Number(count.n) };
  }

  listPermissions(options: RoleListOptions): Promise<Page<PermissionRecord>> {
    return this.page('permissions', options, async (rows: PermissionRow[]) => rows.map(permissionFromRow));
  }

  async findPermission(idOrKey: string) {
    const row = await this.db
      .selectFrom('permissions')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey)]))
      .executeTakeFirst();
    return row ? permissionFromRow(row) : null;
  }

  async createPermission(p: PermissionRecord) {
    await guarded(
      this.db
        .insertInto('permissions')
        .values({
          id: p.id,
          key: p.key,
          name: p.name,
          description: p.description,
          type: p.type,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        })
        .execute(),
    );
  }

  async updatePermission(id: string, patch: Parameters<RoleStore['updatePermission']>[1]) {
    await guarded(
      this.db
        .updateTable('permissions')
        .set({
          ...(patch.key !== undefined && { key: patch.key }),
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.updatedAt !== undefined && { updated_at: patch.updatedAt }),
        })
        .where('id', '=', id)
        .execute(),
    );
  }

  async deletePermission(id: string) {
    const result = await this.db.deleteFrom('permissions').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The roles of `rows` with their permissions, in one more query. */
  private async withPermissions(rows: RoleRow[]): Promise<RoleRecord[]> {
    if (rows.length === 0) return [];
    const grants = await this.db
      .selectFrom('role_permissions')
      .innerJoin('permissions', 'permissions.id', 'role_permissions.permission_id')
      .selectAll('permissions')
      .select('role_permissions.role_id')
      .where(
        'role_permissions.role_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('permissions.key')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description,
      permissions: grants.filter((g) => g.role_id === r.id).map(permissionFromRow),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  listRoles(options: RoleListOptions): Promise<Page<RoleRecord>> {
    return this.page('roles', options, (rows: RoleRow[]) => this.withPermissions(rows));
  }

  async allRoles() {
    return this.withPermissions(await this.db.selectFrom('roles').selectAll().orderBy('key').execute());
  }

  async findRole(idOrKey: string) {
    const row = await this.db
      .selectFrom('roles')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey)]))
      .executeTakeFirst();
    return row ? ((await this.withPermissions([row]))[0] ?? null) : null;
  }

  /** Runs `fn` in a transaction: this store's own, or the one it is already part of. */
  private atomically<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn);
  }

  async createRole(role: Omit<RoleRecord, 'permissions'>, permissionIds: string[]) {
    await this.atomically(async (trx) => {
      await guarded(
        trx
          .insertInto('roles')
          .values({
            id: role.id,
            key: role.key,
            name: role.name,
            description: role.description,
            created_at: role.createdAt,
            updated_at: role.updatedAt,
          })
          .execute(),
      );
      if (permissionIds.length) {
        await trx
          .insertInto('role_permissions')
          .values(permissionIds.map((p) => ({ role_id: role.id, permission_id: p })))
          .execute();
      }
    });
  }

  async updateRole(id: string, patch: Parameters<RoleStore['updateRole']>[1], permissionIds?: string[]) {
    await this.atomically(async (trx) => {
      const before = await trx.selectFrom('roles').select('key').where('id', '=', id).executeTakeFirst();
      await guarded(
        trx
          .updateTable('roles')
          .set({
            ...(patch.key !== undefined && { key: patch.key }),
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.description !== undefined && { description: patch.description }),
            updated_at: patch.updatedAt,
          })
          .where('id', '=', id)
          .execute(),
      );
      if (before && patch.key !== undefined && patch.key !== before.key) {
        await trx.updateTable('memberships').set({ role: patch.key }).where('role', '=', before.key).execute();
        await trx.updateTable('invitations').set({ role: patch.key }).where('role', '=', before.key).execute();
      }
      if (permissionIds) {
        await trx.deleteFrom('role_permissions').where('role_id', '=', id).execute();
        if (permissionIds.length) {
          await trx
            .insertInto('role_permissions')
            .values(permissionIds.map((p) => ({ role_id: id, permission_id: p })))
            .execute();
        }
      }
    });
  }

  async addRolePermission(roleId: string, permissionId: string, now: number) {
    const inserted = await this.db
      .insertInto('role_permissions')
      .values({ role_id: roleId, permission_id: permissionId })
      .onConflict((oc) => oc.doNothing())
      .returning('role_id')
      .execute();
    await this.db.updateTable('roles').set({ updated_at: now }).where('id', '=', roleId).execute();
    return inserted.length > 0;
  }

  async removeRolePermission(roleId: string, permissionId: string, now: number) {
    const result = await this.db
      .deleteFrom('role_permissions')
      .where('role_id', '=', roleId)
      .where('permission_id', '=', permissionId)
      .executeTakeFirst();
    await this.db.updateTable('roles').set({ updated_at: now }).where('id', '=', roleId).execute();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteRoleIfUnused(id: string) {
    const result = await this.db
      .deleteFrom('roles')
      .where('id', '=', id)
      .where(({ not, exists, selectFrom, ref }) =>
        not(
          exists(
            selectFrom('memberships')
              .select('memberships.id')
              .whereRef('memberships.role', '=', ref('roles.key'))
              .union(
                selectFrom('invitations')
                  .select('invitations.id')
                  .whereRef('invitations.role', '=', ref('roles.key'))
                  .where('invitations.status', '=', sql.lit('pending')),
              )
              .union(
                selectFrom('role_sets')
                  .select('role_sets.id')
                  .where((eb) =>
                    eb.or([
                      eb('role_sets.default_role_id', '=', ref('roles.id')),
                      eb('role_sets.creator_role_id', '=', ref('roles.id')),
                    ]),
                  ),
              ),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async countMembersWithRoles(orgId: string, roleKeys: string[]) {
    if (roleKeys.length === 0) return 0;
    const row = await this.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', orgId)
      .where('role', 'in', roleKeys)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async getSettings() {
    const rows = await this.db.selectFrom('instance_settings').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async putSettings(values: Record<string, unknown>) {
    for (const [key, value] of Object.entries(values)) {
      const json = JSON.stringify(value);
      await this.db
        .insertInto('instance_settings')
        .values({ key, value: json })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
        .execute();
    }
  }
}
