import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn } from '../../server/test/support/smtp.js';
import {
  isRosterAPIError,
  OrganizationDomain,
  OrganizationMembershipRequest,
  OrganizationSuggestion,
} from '../src/index.js';
import { type LiveRoster, startLiveRoster } from './support.js';

let live: LiveRoster;
beforeAll(async () => {
  live = await startLiveRoster();
});
afterAll(async () => {
  await live?.close();
});

const domainName = () => `acme-${Math.random().toString(36).slice(2, 8)}.test`;

describe('domains, suggestions and membership requests through @roster/client', () => {
  it('an admin claims a domain, proves it by the mailed code, changes its mode, lists and removes it; a member may not', async () => {
    const admin = await live.admin('Domain Co');
    const name = domainName();
    const domain = await admin.organization.createDomain(name);
    expect(domain).toBeInstanceOf(OrganizationDomain);
    expect(domain).toMatchObject({
      name,
      organizationId: admin.organization.id,
      enrollmentMode: 'manual_invitation',
      verified: false,
      totalPendingInvitations: 0,
      totalPendingSuggestions: 0,
    });
    expect(domain.id).toMatch(/^orgdmn_/);

    // An address on another domain cannot prove this one.
    const refused = await domain
      .prepareAffiliationVerification({ affiliationEmailAddress: 'ada@example.com' })
      .catch((e: unknown) => e);
    expect(isRosterAPIError(refused)).toBe(true);

    const affiliation = `it@${name}`;
    expect(await domain.prepareAffiliationVerification({ affiliationEmailAddress: affiliation })).toBe(domain);
    expect(domain.affiliationEmailAddress).toBe(affiliation);
    expect(domain.verification).toMatchObject({ status: 'unverified', strategy: 'email_code' });
    expect(domain.verification?.expiresAt).toBeInstanceOf(Date);
    const wrong = await domain.attemptAffiliationVerification({ code: '000000' }).catch((e: unknown) => e);
    expect(isRosterAPIError(wrong)).toBe(true);
    const code = codeIn(await live.t.smtp.waitFor(affiliation));
    await domain.attemptAffiliationVerification({ code });
    expect(domain.verified).toBe(true);

    await domain.updateEnrollmentMode({ enrollmentMode: 'automatic_suggestion' });
    expect(domain.enrollmentMode).toBe('automatic_suggestion');

    const listed = await admin.organization.getDomains();
    expect(listed.totalCount).toBe(1);
    expect(listed.data.map((d) => [d.id, d.verified, d.enrollmentMode])).toEqual([
      [domain.id, true, 'automatic_suggestion'],
    ]);
    expect((await admin.organization.getDomains({ enrollmentMode: 'automatic_invitation' })).totalCount).toBe(0);
    expect((await admin.organization.getDomain({ domainId: domain.id })).name).toBe(name);

    // A member cannot manage domains.
    const member = await live.signedIn();
    expect(
      (
        await live.t.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
          user_id: member.userId,
          role: 'org:member',
        })
      ).status,
    ).toBe(200);
    const theirs = await member.client.getOrganization(admin.organization.id);
    const denied = await theirs.createDomain(domainName()).catch((e: unknown) => e);
    expect(isRosterAPIError(denied)).toBe(true);

    await domain.delete();
    expect((await admin.organization.getDomains()).totalCount).toBe(0);
    const again = await domain.delete().catch((e: unknown) => e);
    expect(isRosterAPIError(again)).toBe(true);
  });

  it('a new user with an address on a suggesting domain asks to join; the admin accepts', async () => {
    const admin = await live.admin('Domain Co');
    const name = domainName();
    const domain = await admin.organization.createDomain(name);
    await domain.prepareAffiliationVerification({ affiliationEmailAddress: `it@${name}` });
    await domain.attemptAffiliationVerification({ code: codeIn(await live.t.smtp.waitFor(`it@${name}`)) });
    await domain.updateEnrollmentMode({ enrollmentMode: 'automatic_suggestion' });

    // Someone signs up with an address on the domain: a suggestion, not a membership.
    const email = `someone@${name}`;
    const user = await live.signUp(email);
    const me = await user.getMe();
    const { data: suggestions, totalCount } = await me.user.getOrganizationSuggestions();
    expect(totalCount).toBe(1);
    const suggestion = suggestions[0]!;
    expect(suggestion).toBeInstanceOf(OrganizationSuggestion);
    expect(suggestion.status).toBe('pending');
    expect(suggestion.publicOrganizationData).toMatchObject({ id: admin.organization.id, name: 'Domain Co' });
    expect(me.memberships).toEqual([]);

    const events: string[] = [];
    user.onChange((e) => events.push(e.kind));
    expect(await suggestion.accept()).toBe(suggestion);
    expect(suggestion.status).toBe('accepted');
    expect(events).toContain('suggestion_accepted');
    expect((await me.user.getOrganizationSuggestions()).totalCount).toBe(0);
    const both = await me.user.getOrganizationSuggestions({ status: ['pending', 'accepted'] });
    expect(both.data.map((s) => s.status)).toEqual(['accepted']);
    expect((await user.getMe()).memberships).toEqual([]);

    const requests = await admin.organization.getMembershipRequests();
    expect(requests.totalCount).toBe(1);
    const request = requests.data[0]!;
    expect(request).toBeInstanceOf(OrganizationMembershipRequest);
    expect(request).toMatchObject({ organizationId: admin.organization.id, status: 'pending' });
    expect(request.publicUserData.identifier).toBe(email);
    expect(request.createdAt).toBeInstanceOf(Date);

    await request.accept();
    expect(request.status).toBe('accepted');
    expect((await admin.organization.getMembershipRequests()).totalCount).toBe(0);
    expect((await admin.organization.getMembershipRequests({ status: 'accepted' })).totalCount).toBe(1);
    const after = await user.getMe();
    expect(after.memberships.map((m) => [m.organization.id, m.role])).toEqual([[admin.organization.id, 'org:member']]);
  });

  it('a rejected request leaves the user out', async () => {
    const admin = await live.admin('Reject Co');
    const name = domainName();
    const domain = await admin.organization.createDomain(name);
    await domain.prepareAffiliationVerification({ affiliationEmailAddress: `it@${name}` });
    await domain.attemptAffiliationVerification({ code: codeIn(await live.t.smtp.waitFor(`it@${name}`)) });
    await domain.updateEnrollmentMode({ enrollmentMode: 'automatic_suggestion' });

    const user = await live.signUp(`bob@${name}`);
    const { user: bob } = await user.getMe();
    const [suggestion] = (await bob.getOrganizationSuggestions()).data;
    await suggestion!.accept();
    const [request] = (await admin.organization.getMembershipRequests({ pageSize: 5 })).data;
    await request!.reject();
    expect(request!.status).toBe('rejected');
    expect((await admin.organization.getMembershipRequests({ status: 'rejected' })).totalCount).toBe(1);
    expect((await user.getMe()).memberships).toEqual([]);
  });

  it('a domain claimed by an admin who already holds a verified address on it is verified at once; deletePending is sent', async () => {
    const name = domainName();
    const who = await live.signedIn(`boss@${name}`);
    const organization = await who.client.createOrganization({ name: 'Instant Co' });
    const domain = await organization.createDomain(name);
    expect(domain.verified).toBe(true);
    expect(domain.affiliationEmailAddress).toBe(`boss@${name}`);
    await domain.updateEnrollmentMode({ enrollmentMode: 'automatic_invitation' });
    expect(domain.enrollmentMode).toBe('automatic_invitation');
    await domain.updateEnrollmentMode({ enrollmentMode: 'manual_invitation', deletePending: true });
    expect(domain.enrollmentMode).toBe('manual_invitation');
    expect(domain.totalPendingInvitations).toBe(0);
  });
});
