import { auth } from '@roster/nextjs/server';

/** A route handler: who is asking, verified from the cookie or an `Authorization: Bearer` token. */
export async function GET() {
  const { userId, orgId, orgRole, has } = await auth();
  if (!userId) return Response.json({ error: 'signed out' }, { status: 401 });
  return Response.json({ userId, orgId, orgRole, canManageMembers: has({ permission: 'org:sys_memberships:manage' }) });
}
