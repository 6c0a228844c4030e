import { auth } from '@roster/nextjs/server';
import Link from 'next/link';

/** A server component: `auth()` verified the session token cookie here, on the server, without calling Roster. */
export default async function Home() {
  const { userId, sessionId, orgId, orgSlug, orgRole, orgPermissions, has } = await auth();
  const shown = { userId, sessionId, orgId, orgSlug, orgRole, orgPermissions, isAdmin: has({ role: 'org:admin' }) };
  return (
    <>
      <section className="panel">
        <h1 className="page-title">Roster in a Next.js app</h1>
        <p>
          Sign in, create an organization, invite people by email with a role, and watch them join. Everything here uses{' '}
          <code>@roster/nextjs</code> only.
        </p>
        {userId ? (
          <p className="row">
            <Link href="/organization">Invite members</Link>
            <Link href="/organization/profile">Organization profile</Link>
            <Link href="/organizations/new">Create an organization</Link>
          </p>
        ) : (
          <p className="row">
            <Link href="/sign-in">Sign in</Link>
            <Link href="/sign-up">Create an account</Link>
          </p>
        )}
      </section>
      <section className="panel">
        <h2>
          <code>auth()</code> on the server
        </h2>
        <p className="muted">Rendered by a server component from the verified session token (60 s, RS256).</p>
        <pre className="auth" data-testid="server-auth">
          {JSON.stringify(shown, null, 2)}
        </pre>
      </section>
    </>
  );
}
