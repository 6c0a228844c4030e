import type { Kysely } from 'kysely';
import type { InstanceAdminGrant, InstanceAdminStore } from '../domain/console/admins.js';
import type { Database } from './schema.js';

/** Console admins (migration 0044, decision 051). */
export class KyselyInstanceAdminStore implements InstanceAdminStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findInstanceAdmin(userId: string): Promise<InstanceAdminGrant | null> {
    const row = await this.db
      .selectFrom('instance_admins')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? grantOf(row) : null;
  }

  async grantInstanceAdmin(grant: InstanceAdminGrant): Promise<void> {
    await this.db
      .insertInto('instance_admins')
      .values({ user_id: grant.userId, granted_at: grant.grantedAt, granted_by: grant.grantedBy })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  }

  async revokeInstanceAdmin(userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('instance_admins').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listInstanceAdmins(): Promise<InstanceAdminGrant[]> {
    const rows = await this.db
      .selectFrom('instance_admins')
      .selectAll()
      .orderBy('granted_at')
      .orderBy('user_id')
      .execute();
    return rows.map(grantOf);
  }
}

function grantOf(row: { user_id: string; granted_at: number | string; granted_by: string }): InstanceAdminGrant {
  return { userId: row.user_id, grantedAt: Number(row.granted_at), grantedBy: row.granted_by };
}
