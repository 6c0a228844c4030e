import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn } from '../../server/test/support/smtp.js';
import { isRosterAPIError, OrganizationDomain } from '../src/index.js';
import { type LiveRoster, startLiveRoster } from './support.js';

let live: LiveRoster;
beforeAll(async () => {
  live = await startLiveRoster();
});
afterAll(async () => {
  await live?.close();
});

const domainName = () => `acme-${Math.random().toString(36).slice(2, 8)}.test`;

describe('domains through @roster/client', () => {
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
