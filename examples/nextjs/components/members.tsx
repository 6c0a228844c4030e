'use client';
import { useOrganization } from '@roster/nextjs';

/** The active organization's members, refreshed after every change made in this tab. */
export function Members() {
  const { memberships } = useOrganization({ memberships: { pageSize: 50 } });
  if (!memberships) return null;
  return (
    <section className="panel">
      <h2>Members{memberships.isLoading ? '' : ` (${memberships.count})`}</h2>
      {memberships.isLoading && (
        <p className="muted" role="status">
          Loading members…
        </p>
      )}
      <ul className="plain" data-testid="member-list">
        {memberships.data.map((m) => (
          <li key={m.id} data-email={m.publicUserData.identifier}>
            <span className="grow">
              <strong>
                {[m.publicUserData.firstName, m.publicUserData.lastName].filter(Boolean).join(' ') ||
                  m.publicUserData.identifier}
              </strong>{' '}
              <span className="muted">{m.publicUserData.identifier}</span>
            </span>
            <span className="badge">{m.roleName}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
