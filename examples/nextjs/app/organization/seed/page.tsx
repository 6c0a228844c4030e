'use client';
import InvitationList from './invite-members';

/** The component from Clerk's Core-1 docs, unchanged but for its import line. */
export default function SeedPage() {
  return (
    <section className="panel" data-testid="seed">
      <h1 className="page-title">Seed component</h1>
      <p className="muted">
        The code from Clerk&apos;s “Invite users to an organization” page, with only its import changed to{' '}
        <code>@roster/nextjs</code>.
      </p>
      <InvitationList />
    </section>
  );
}
