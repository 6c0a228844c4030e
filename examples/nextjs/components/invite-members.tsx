'use client';
import { isRosterAPIError, type OrganizationInvitation, useOrganization } from '@roster/nextjs';
import { type FormEvent, useState } from 'react';

type Role = 'basic_member' | 'admin';

/** The seed component's calls, typed: `organization.inviteMember`, the Core-1 `invitationList`, `revoke()`. */
export function InviteMembers() {
  const { organization, invitationList } = useOrganization({ invitationList: {} });
  const [emailAddress, setEmailAddress] = useState('');
  const [role, setRole] = useState<Role>('basic_member');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!organization || !invitationList) return null;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await organization.inviteMember({ emailAddress: emailAddress.trim(), role });
      setEmailAddress('');
      setRole('basic_member');
    } catch (e) {
      setError(isRosterAPIError(e) ? (e.errors[0]?.longMessage ?? e.message) : 'Could not send the invitation.');
    } finally {
      setPending(false);
    }
  };

  const revoke = async (invitation: OrganizationInvitation) => {
    try {
      await invitation.revoke();
    } catch (e) {
      setError(isRosterAPIError(e) ? (e.errors[0]?.longMessage ?? e.message) : 'Could not revoke it.');
    }
  };

  return (
    <>
      <section className="panel">
        <h2>Invite a member to {organization.name}</h2>
        <form onSubmit={onSubmit} className="row" aria-label="Invite a member">
          <label htmlFor="invite-email" className="muted">
            Email address
          </label>
          <input
            id="invite-email"
            type="email"
            placeholder="Email address"
            required
            value={emailAddress}
            onChange={(e) => setEmailAddress(e.target.value)}
          />
          <fieldset>
            <legend className="muted" style={{ float: 'left', marginRight: 8 }}>
              Role
            </legend>
            <label>
              <input type="radio" name="role" checked={role === 'admin'} onChange={() => setRole('admin')} /> Admin
            </label>
            <label>
              <input
                type="radio"
                name="role"
                checked={role === 'basic_member'}
                onChange={() => setRole('basic_member')}
              />{' '}
              Member
            </label>
          </fieldset>
          <button type="submit" className="primary" disabled={pending}>
            {pending ? 'Inviting…' : 'Invite'}
          </button>
        </form>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </section>
      <section className="panel">
        <h2>Pending invitations</h2>
        {invitationList.length === 0 ? (
          <p className="muted">Nobody is waiting to join.</p>
        ) : (
          <ul className="plain" data-testid="pending-list">
            {invitationList.map((i) => (
              <li key={i.id} data-email={i.emailAddress}>
                <span className="grow">
                  <strong>{i.emailAddress}</strong> <span className="badge">{i.roleName}</span>
                </span>
                <span className="muted" data-delivery={i.emailDelivery.status}>
                  {i.emailDelivery.status === 'sent' ? 'email sent' : i.emailDelivery.status.replace('_', ' ')}
                </span>
                <button type="button" onClick={() => revoke(i)} aria-label={`Revoke ${i.emailAddress}`}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
