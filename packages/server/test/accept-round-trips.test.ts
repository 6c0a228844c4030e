import { describe, expect, it } from 'vitest';
import { acceptTicket, acceptUserInvitation, completeTicketSignUp } from '../src/domain/invitations/accept.js';
import { startSignUp } from '../src/domain/users/users.js';
import { createUser, freshRosterForEachTest, invited, mailedUrl, ticketOf } from './support/flows.js';
import { seedOrganization } from './support/harness.js';
import { recordingStore } from './support/recording-store.js';
import { codeIn } from './support/smtp.js';

/**
 * What an accept asks the database, counted on the store calls it makes: the organization is read
 * and locked in one statement before the user's lock (deleteUser's order), and a shown link's
 * sign-up reads its attempt once.
 */

const t = freshRosterForEachTest();
const bare = (c: string) => c.replace(/^tx:/, '');
const ORG_LOCKS = ['lockOrganization', 'findOrganizationForUpdate', 'lockOrganizationsOfUsers'];

function recorded() {
  const calls: string[] = [];
  return {
    calls: {
      filter: (f: (c: string) => boolean) => calls.map(bare).filter(f),
      indexOf: (c: string) => calls.map(bare).indexOf(c),
    },
    deps: { ...t.roster.deps, store: recordingStore(t.roster.deps.store, calls) },
  };
}

describe('accepting', () => {
  it('from inside the app locks the organization once, before the user', async () => {
    const { org } = await seedOrganization(t);
    const user = await createUser(t, 'joiner@example.com');
    const inv = await invited(t, org.id, 'joiner@example.com');
    const { calls, deps } = recorded();
    const { membership } = await acceptUserInvitation(deps, user.id, inv.id);
    expect(membership.userId).toBe(user.id);
    expect(calls.filter((c) => ORG_LOCKS.includes(c))).toEqual(['findOrganizationForUpdate']);
    expect(calls.indexOf('findOrganizationForUpdate')).toBeLessThan(calls.indexOf('lockUser'));
  });

  it('by link, signed in, locks the organization once, before the user', async () => {
    const { org } = await seedOrganization(t);
    const user = await createUser(t, 'linked@example.com');
    const inv = await invited(t, org.id, 'linked@example.com');
    const ticket = ticketOf(await mailedUrl(t, inv));
    const { calls, deps } = recorded();
    const { membership } = await acceptTicket(deps, ticket, user.id);
    expect(membership.userId).toBe(user.id);
    expect(calls.filter((c) => ORG_LOCKS.includes(c))).toEqual(['findOrganizationForUpdate']);
    expect(calls.indexOf('findOrganizationForUpdate')).toBeLessThan(calls.indexOf('lockUser'));
  });

  it('a shown link’s sign-up reads its attempt once (the try), and joins', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'coded@example.com');
    const started = await startSignUp(t.roster.deps, {
      emailAddress: 'coded@example.com',
      password: 'a long enough password',
      invitationId: inv.id,
    });
    const code = codeIn(
      await t.smtp.waitFor('coded@example.com', { match: (m) => m.subject === 'Your verification code' }),
    );
    const { calls, deps } = recorded();
    const done = await completeTicketSignUp(deps, { signUpId: started.signUpId, code });
    expect(done.joined?.organization.id).toBe(org.id);
    expect(calls.filter((c) => c === 'findSignUpAttempt' || c === 'takeSignUpAttempt')).toEqual(['takeSignUpAttempt']);
  });
});
