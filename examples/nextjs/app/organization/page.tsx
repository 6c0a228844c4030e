import { auth } from '@roster/nextjs/server';
import Link from 'next/link';
import { InviteMembers } from '@/components/invite-members';
import { Members } from '@/components/members';

/** Invite members, the pending list with revoke, and the members list. The header is rendered on the server. */
export default async function OrganizationPage() {
  const { orgId, orgSlug, orgRole } = await auth();
  if (!orgId) {
    return (
      <section className="panel">
        <h1 className="page-title">No organization yet</h1>
        <p>
          <Link href="/organizations/new">Create an organization</Link>, or join one from the switcher above.
        </p>
      </section>
    );
  }
  return (
    <>
      <h1 className="page-title">{orgRole === 'org:admin' ? 'Invite members' : 'Members'}</h1>
      <p className="muted" data-testid="server-org">
        Server says: organization <strong>{orgSlug}</strong>, your role <strong>{orgRole}</strong>.
      </p>
      {orgRole === 'org:admin' && <InviteMembers />}
      <Members />
    </>
  );
}
