import type { Deps } from '../deps.js';
import type { Actor } from '../memberships/policy.js';
import { getUser, recordUserUpdated } from '../users/users.js';

/** A user's grant to use the operator console with their own account (decision 051). */
export interface InstanceAdminGrant {
  userId: string;
  grantedAt: number;
  /** `secret_key`, or the id of the admin who granted it. */
  grantedBy: string;
}

/** What the console's admin rule needs from storage (on a transaction's store: in the transaction). */
export interface InstanceAdminStore {
  findInstanceAdmin(userId: string): Promise<InstanceAdminGrant | null>;
  /** Adds the grant; a user who already holds one keeps the first. */
  grantInstanceAdmin(grant: InstanceAdminGrant): Promise<void>;
  /** False when the user held none. */
  revokeInstanceAdmin(userId: string): Promise<boolean>;
  /** Every grant, oldest first. */
  listInstanceAdmins(): Promise<InstanceAdminGrant[]>;
}

/** Whether the user may use the console. Read on every console request, so a revoke applies at once. */
export async function findInstanceAdmin(deps: Deps, userId: string): Promise<InstanceAdminGrant | null> {
  return deps.store.instanceAdmins.findInstanceAdmin(userId);
}

export async function listInstanceAdmins(deps: Deps): Promise<InstanceAdminGrant[]> {
  return deps.store.instanceAdmins.listInstanceAdmins();
}

/**
 * Grants or revokes console access for a user (who must exist: `resource_not_found`), with a
 * `user.updated` event in the same transaction, so the audit log says who changed it and when.
 * Nothing changes (and nothing is recorded) when the user already is (or is not) an admin.
 */
export async function setInstanceAdmin(
  deps: Deps,
  actor: Actor,
  options: { userId: string; admin: boolean },
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getUser(tx, options.userId);
    const held = await tx.instanceAdmins.findInstanceAdmin(options.userId);
    if (options.admin === (held !== null)) return;
    if (options.admin) {
      await tx.instanceAdmins.grantInstanceAdmin({
        userId: options.userId,
        grantedAt: deps.now(),
        grantedBy: actor.kind === 'user' ? actor.userId : 'secret_key',
      });
    } else {
      await tx.instanceAdmins.revokeInstanceAdmin(options.userId);
    }
    await recordUserUpdated(deps, tx, options.userId);
  });
}
