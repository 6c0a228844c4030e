import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invited, mailedUrl, signedInUser, ticketOf } from './support/flows.js';
import { json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/** The audit log: the event stream read back by the Backend API, and by an organization's admins. */

let t: TestRoster;
beforeAll(async () => {
  t = await startTestRoster({ env: { ROSTER_AUDIT_RETENTION_DAYS: '30' } });
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;

describe('audit log', () => {
  it("lists an organization's changes newest first, with who made them and from where", async () => {
    const { org, user, browser } = await seedOrganization(t, { name: 'Audited' });
    const res = await browser.fetch('POST', `/fapi/v1/organizations/${org.id}/invitations`, {
      json: { email_address: 'ada-audit@example.com', role: 'org:member' },
      headers: { 'user-agent': 'AuditTest/1.0' },
    });
    expect(res.status).toBe(200);
    const invitation = await json(res);
    const joiner = t.browser();
    const url = await mailedUrl(t, invitation);
    const signUp = await joiner.post('/fapi/v1/tickets/sign_up', {
      ticket: ticketOf(url),
      password: 'a long enough password',
    });
    expect(signUp.status).toBe(200);

    const log = await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?limit=50`));
    const types = log.data.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'organization.created',
        'organizationInvitation.created',
        'organizationInvitation.accepted',
        'organizationMembership.created',
      ]),
    );
    expect(log.total_count).toBe(log.data.length);
    // Newest first.
    const times = log.data.map((e: any) => e.created_at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const created = log.data.find((e: any) => e.type === 'organizationInvitation.created');
    expect(created).toMatchObject({
      object: 'audit_log_entry',
      organization_id: org.id,
      actor: { type: 'user', id: user.id },
      user_agent: 'AuditTest/1.0',
      data: { object: 'organization_invitation', email_address: 'ada-audit@example.com', url: null },
    });
    expect(created.request_id).toBeTruthy();
    const orgCreated = log.data.find((e: any) => e.type === 'organization.created');
    expect(orgCreated.actor).toEqual({ type: 'secret_key', id: null });
    // No ticket, code or secret anywhere in it.
    expect(JSON.stringify(log)).not.toContain(ticketOf(url));
    expect(JSON.stringify(log)).not.toMatch(/ticket=|sk_test_|whsec_|password/);
  });

  it('filters by type and actor, pages with total_count, and the instance log filters by organization', async () => {
    const { org, user } = await seedOrganization(t, { name: 'Filtered' });
    for (const n of [1, 2, 3]) await invited(t, org.id, `f${n}-audit@example.com`);
    const byType = await json(
      await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?type=organizationInvitation.created&limit=2`),
    );
    expect(byType.total_count).toBe(3);
    expect(byType.data).toHaveLength(2);
    const rest = await json(
      await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?type=organizationInvitation.created&limit=2&offset=2`),
    );
    expect(rest.data).toHaveLength(1);
    const two = await json(
      await t.bapi(
        'GET',
        `/v1/organizations/${org.id}/audit_log?type=organization.created&type=organizationMembership.created`,
      ),
    );
    expect(two.data.map((e: any) => e.type).sort()).toEqual(['organization.created', 'organizationMembership.created']);
    const bySecretKey = await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?actor=secret_key`));
    expect(bySecretKey.total_count).toBeGreaterThanOrEqual(4);
    expect(
      (await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?actor=${user.id}`))).total_count,
    ).toBe(0);

    const instance = await json(await t.bapi('GET', `/v1/audit_log?organization_id=${org.id}&limit=100`));
    expect(instance.data.every((e: any) => e.organization_id === org.id)).toBe(true);
    // The changes, beside each invitation mail's email.delivered (recorded when it goes out).
    const changes = instance.data.filter((e: any) => !e.type.startsWith('email.'));
    expect(changes).toHaveLength(byType.total_count + 2);
    const users = await json(await t.bapi('GET', '/v1/audit_log?type=user.created'));
    expect(users.total_count).toBeGreaterThanOrEqual(2);
  });

  it('through the Frontend API only admins read it; bad filters are clear errors', async () => {
    const { org, browser } = await seedOrganization(t, { name: 'Private' });
    await t.bapi('PATCH', `/v1/organizations/${org.id}/metadata`, { private_metadata: { plan_secret: 'p-42' } });
    const own = await browser.get(`/fapi/v1/organizations/${org.id}/audit_log?limit=50`);
    expect(own.status).toBe(200);
    // The Backend API's log holds the private metadata; an admin's browser never sees it.
    expect(JSON.stringify(await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log`)))).toContain('p-42');
    const shown = await json(own);
    expect(shown.data.some((e: any) => e.type === 'organization.updated')).toBe(true);
    expect(JSON.stringify(shown)).not.toContain('private_metadata');
    const { user: member, browser: memberBrowser } = await signedInUser(t, 'member-audit@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' });
    const refused = await memberBrowser.get(`/fapi/v1/organizations/${org.id}/audit_log`);
    expect(refused.status).toBe(403);
    expect((await json(refused)).errors[0].code).toBe('authorization_invalid');
    const { browser: stranger } = await signedInUser(t, 'stranger-audit@example.com');
    expect((await json(await stranger.get(`/fapi/v1/organizations/${org.id}/audit_log`))).errors[0].code).toBe(
      'not_a_member_in_organization',
    );
    expect((await t.browser().get(`/fapi/v1/organizations/${org.id}/audit_log`)).status).toBe(401);

    const badType = await t.bapi('GET', `/v1/organizations/${org.id}/audit_log?type=user.exploded`);
    expect(badType.status).toBe(422);
    const unknown = await t.bapi('GET', '/v1/audit_log?colour=red');
    expect((await json(unknown)).errors[0].code).toBe('form_param_unknown');
    expect((await t.bapi('GET', '/v1/organizations/org_nope/audit_log')).status).toBe(404);
  });

  it('keeps events for the retention period, then the sweeper removes them', async () => {
    const { org } = await seedOrganization(t, { name: 'Old' });
    const before = (await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log`))).total_count;
    expect(before).toBeGreaterThan(0);
    t.clock.advance(29 * DAY);
    await t.roster.sweeper.sweep();
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log`))).total_count).toBe(before);
    t.clock.advance(2 * DAY);
    const recent = await seedOrganization(t, { name: 'New' });
    await t.roster.sweeper.sweep();
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}/audit_log`))).total_count).toBe(0);
    expect(
      (await json(await t.bapi('GET', `/v1/organizations/${recent.org.id}/audit_log`))).total_count,
    ).toBeGreaterThan(0);
  });
});
