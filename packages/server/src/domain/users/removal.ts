import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordEvents } from '../events/events.js';
import { membershipEvent } from '../memberships/memberships.js';
import type { Membership } from '../records.js';
import { roleCatalog } from '../roles/catalog.js';
import type { Store } from '../store.js';

/**
 * Taking users out of organizations: deleting an account (`deleteUser`) and taking an unproven
 * address away from the accounts that held it (`releaseUnprovenEmails`, decision 021) go through
 * one path, so both take the same locks in the same order and keep the same last-admin rule.
 */

/**
 * Takes the locks for `leaving` (each user, and the organizations they leave: `null` for all of
 * them, as when the account goes) and returns the memberships that go. Every organization the users
 * belong to is locked first, in id order: the locks role changes, removals and accepts take, so the
 * admins counted cannot change before the caller's writes commit. An organization left with members
 * but no admin is refused (`organization_minimum_permissions_needed`); one whose members all leave
 * goes admin-less, as in Clerk.
 */
export async function lockLeavers(
  deps: Deps,
  tx: Store,
  leaving: Map<string, ReadonlySet<string> | null>,
): Promise<Membership[]> {
  if (leaving.size === 0) return [];
  const locked = new Set(await tx.lockOrganizationsOfUsers([...leaving.keys()]));
  const going: Membership[] = [];
  for (const [userId, orgIds] of leaving) {
    const memberships = await tx.listMemberships({ userId, limit: locked.size + 100, offset: 0 });
    going.push(...memberships.data.filter((m) => orgIds === null || orgIds.has(m.organizationId)));
  }
  const orgIds = [...new Set(going.map((m) => m.organizationId))];
  // A membership made after the locks were taken (an accept in between) is locked now.
  for (const orgId of orgIds) if (!locked.has(orgId)) await tx.lockOrganization(orgId);
  const counts = await tx.countsOf(orgIds, deps.now());
  // Whoever holds `org:sys_memberships:manage` counts as an admin, whatever the role is called.
  const managers = (await roleCatalog(tx)).keysGranting('org:sys_memberships:manage');
  for (const orgId of orgIds) {
    const leavers = going.filter((m) => m.organizationId === orgId);
    const adminsLeaving = leavers.filter((m) => managers.includes(m.role)).length;
    const count = counts.get(orgId);
    const admins = (adminsLeaving > 0 ? await tx.roles.countMembersWithRoles(orgId, managers) : 0) - adminsLeaving;
    const members = (count?.membersCount ?? 0) - leavers.length;
    if (adminsLeaving > 0 && admins <= 0 && members > 0) {
      throw new AppError('organization_minimum_permissions_needed', { meta: { organization_id: orgId } });
    }
  }
  return going;
}

/**
 * Takes each address away from every account that holds it unverified (decision 021), in the
 * transaction that gives it to whoever proved it: the memberships those accounts joined through
 * invitations to it go, and an account left with no address is deleted with its sessions. Locks and
 * the last-admin rule as `deleteUser` (`lockLeavers`): if taking the address would leave an
 * organization with members but no admin, the proof is refused (`organization_minimum_permissions_needed`)
 * and nothing changes. Returns how many accounts lost an address.
 */
export async function releaseUnprovenEmails(deps: Deps, tx: Store, emailsNormalized: string[]): Promise<number> {
  const holds = (await Promise.all([...new Set(emailsNormalized)].map((e) => tx.findUnprovenHolds(e)))).flat();
  if (holds.length === 0) return 0;
  const leaving = new Map<string, Set<string> | null>();
  for (const hold of holds) {
    const before = leaving.get(hold.userId);
    if (hold.lastAddress || before === null) leaving.set(hold.userId, null);
    else leaving.set(hold.userId, new Set([...(before ?? []), ...hold.joinedThrough]));
  }
  // An account whose every address goes here goes too.
  for (const userId of leaving.keys()) {
    const held = holds.filter((h) => h.userId === userId);
    if (held.length > 1 && !held.some((h) => h.lastAddress)) {
      const user = await tx.findUser(userId);
      if (user?.emailAddresses.every((e) => held.some((h) => h.emailAddressId === e.id))) {
        leaving.set(userId, null);
      }
    }
  }
  const going = await lockLeavers(deps, tx, leaving).catch((error: unknown) => {
    // Whoever proves the address is no member of that organization: its id is not theirs to see.
    if (error instanceof AppError) throw new AppError(error.code);
    throw error;
  });
  for (const [userId, orgIds] of leaving) {
    if (orgIds === null) {
      await tx.deleteUser(userId); // its addresses, memberships, sessions and attempts with it
      await recordEvents(deps.events, tx, [
        { type: 'user.deleted', organizationId: null, subject: { kind: 'deleted', object: 'user', id: userId } },
      ]);
      continue;
    }
    const ended = going.filter((m) => m.userId === userId);
    for (const m of ended) await tx.deleteMembership(m.id);
    await recordEvents(
      deps.events,
      tx,
      ended.map((m) => membershipEvent('organizationMembership.deleted', m)),
    );
    for (const hold of holds) if (hold.userId === userId) await tx.deleteUnverifiedEmailAddress(hold.emailAddressId);
  }
  return leaving.size;
}
