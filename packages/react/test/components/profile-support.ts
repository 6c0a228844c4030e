import type { LiveServer } from '../support.js';
import { uniqueEmail } from '../support.js';

/** Adds a new user (named `first last`) to the organization with `role`; returns its id and name. */
export async function addMember(
  live: LiveServer,
  orgId: string,
  options: { first?: string; last?: string; email?: string; role?: string } = {},
): Promise<{ userId: string; email: string; name: string }> {
  const email = options.email ?? uniqueEmail('member');
  const first = options.first ?? 'Test';
  const last = options.last ?? email.split('@')[0]!;
  const user = await live.bapi('POST', '/v1/users', { email_address: [email], first_name: first, last_name: last });
  if (user.status !== 200) throw new Error(`create user: ${JSON.stringify(user.body)}`);
  const userId = user.body.id as string;
  const added = await live.bapi('POST', `/v1/organizations/${orgId}/memberships`, {
    user_id: userId,
    role: options.role ?? 'org:member',
  });
  if (added.status !== 200) throw new Error(`add member: ${JSON.stringify(added.body)}`);
  return { userId, email, name: `${first} ${last}` };
}

/** Sets a member's role with the secret key (behind the signed-in client's back). */
export async function setRole(live: LiveServer, orgId: string, userId: string, role: string): Promise<void> {
  const res = await live.bapi('PATCH', `/v1/organizations/${orgId}/memberships/${userId}`, { role });
  if (res.status !== 200) throw new Error(`set role: ${JSON.stringify(res.body)}`);
}
