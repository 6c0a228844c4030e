// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationProfile, OrganizationSwitcher } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

const items = (list: HTMLElement) =>
  within(list)
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('strong')?.textContent);

describe('<OrganizationSwitcher/>', () => {
  it('lists organizations and pending invitations, joins one, switches, creates one; Escape closes', async () => {
    const other = await live.admin('Beta');
    const me = await live.signedIn();
    await other.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });

    renderWithRoster(me.client, <OrganizationSwitcher />);
    const trigger = await screen.findByRole('button', { name: /No organization/ });
    await waitFor(() => expect(trigger.textContent).toContain('1 pending invitation'));
    expect(trigger.textContent).not.toContain('1 pending invitations');
    expect(trigger.getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(trigger);
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('You are not in any organization yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Join Beta' }));
    await waitFor(() => expect(screen.getByRole('button', { expanded: true }).textContent).toMatch(/^Beta/));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Join Beta' })).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: '+ Create organization' }));
    fireEvent.change(screen.getByLabelText('Organization name'), { target: { value: 'Gamma Labs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    await waitFor(() => expect(screen.getByRole('button', { expanded: true }).textContent).toMatch(/^Gamma Labs/));
    const list = screen.getByRole('list', { name: 'Your organizations' });
    await waitFor(() => expect(items(list).sort()).toEqual(['Beta', 'Gamma Labs']));

    fireEvent.click(screen.getByRole('button', { name: 'Switch to Beta' }));
    await waitFor(() => expect(screen.getByRole('button', { expanded: true }).textContent).toMatch(/^Beta/));

    fireEvent.keyDown(document, { key: 'Escape' });
    const closed = screen.getByRole('button', { expanded: false });
    await waitFor(() => expect(document.activeElement).toBe(closed));
    expect(screen.queryByRole('list', { name: 'Your organizations' })).toBeNull();
  });

  it('says "2 pending invitations" for two', async () => {
    const [first, second] = [await live.admin('One'), await live.admin('Two')];
    const me = await live.signedIn();
    await first.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });
    await second.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });

    renderWithRoster(me.client, <OrganizationSwitcher />);
    const trigger = await screen.findByRole('button', { name: /No organization/ });
    await waitFor(() => expect(trigger.textContent).toContain('2 pending invitations'));
  });

  it('is a dialog button: the keyboard opens it on its first control, Escape closes it back to the button', async () => {
    const other = await live.admin('Delta');
    const me = await live.signedIn();
    await other.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });

    renderWithRoster(me.client, <OrganizationSwitcher />);
    const trigger = await screen.findByRole('button', { name: /No organization/ });
    await waitFor(() => expect((trigger as HTMLButtonElement).disabled).toBe(false));
    expect(trigger.getAttribute('aria-haspopup')).toBe('dialog');
    expect(trigger.getAttribute('aria-expanded')).toBe('false');

    for (const key of ['Enter', ' ']) {
      trigger.focus();
      fireEvent.keyDown(trigger, { key });
      const panel = screen.getByRole('dialog', { name: 'Organizations' });
      expect(trigger.getAttribute('aria-expanded')).toBe('true');
      expect(trigger.getAttribute('aria-controls')).toBe(panel.id);
      const first = panel.querySelector('button');
      expect(first).not.toBeNull();
      await waitFor(() => expect(document.activeElement).toBe(first));

      fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(trigger.getAttribute('aria-expanded')).toBe('false');
      await waitFor(() => expect(document.activeElement).toBe(trigger));
    }

    // Enter on the open button closes it; a mouse click opens it without moving focus.
    fireEvent.keyDown(trigger, { key: 'ArrowDown' });
    expect(screen.getByRole('dialog')).toBeTruthy();
    fireEvent.keyDown(trigger, { key: 'Enter' });
    expect(screen.queryByRole('dialog')).toBeNull();
    trigger.focus();
    fireEvent.click(trigger);
    expect(screen.getByRole('dialog')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(trigger));
  });

  it("sizes its panel on its own (360 px, inside the viewport), not capped by the card's max-width", async () => {
    const me = await live.signedIn();
    renderWithRoster(me.client, <OrganizationSwitcher defaultOpen />);
    const panel = await screen.findByRole('dialog', { name: 'Organizations' });
    expect(panel.classList.contains('roster-card')).toBe(true);

    // happy-dom does no layout, but it does cascade the injected stylesheet (it leaves min() widths out).
    expect(getComputedStyle(panel).maxWidth).toBe('none');

    // And the rule itself: one of its own, more specific than `.roster-card{max-width:100%}`.
    const css = document.querySelector('[data-roster-component="organization-switcher"] style')!.textContent!;
    const rule = /(^|\n)([^{}\n]*\.roster-popover)\{([^}]*)\}/.exec(css);
    expect(rule?.[2]).toBe('.roster-root .roster-popover');
    expect(rule?.[3]).toContain('width:min(360px,calc(100vw - 16px))');
    expect(rule?.[3]).toContain('max-width:none');
  });

  it('shifts its panel left to stay 8 px inside a 390 px viewport when the button sits at the right edge', async () => {
    const me = await live.signedIn();
    const rect = HTMLElement.prototype.getBoundingClientRect;
    // A button at x = 300 whose 360 px panel would end at 660 px; happy-dom does no layout, so say so.
    HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
      if (this.getAttribute('role') !== 'dialog') return rect.call(this);
      const left = 300 + (Number.parseFloat(this.style.left) || 0);
      return DOMRect.fromRect({ x: left, y: 40, width: 360, height: 400 });
    };
    Object.defineProperty(document.documentElement, 'clientWidth', { configurable: true, value: 390 });
    try {
      renderWithRoster(me.client, <OrganizationSwitcher defaultOpen />);
      const panel = await screen.findByRole('dialog', { name: 'Organizations' });
      expect(panel.style.left).toBe('-278px');
      const placed = panel.getBoundingClientRect();
      expect(placed.left).toBeGreaterThanOrEqual(8);
      expect(placed.right).toBeLessThanOrEqual(390 - 8);
    } finally {
      HTMLElement.prototype.getBoundingClientRect = rect;
      Reflect.deleteProperty(document.documentElement, 'clientWidth');
    }
  });
});

describe('<OrganizationProfile/>', () => {
  it('invites several addresses with a role, shows them pending with their email status, and revokes', async () => {
    const admin = await live.admin('Acme');
    renderWithRoster(admin.client, <OrganizationProfile />);
    const membersTab = await screen.findByRole('tab', { name: /Members/ });
    expect(membersTab.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(membersTab, { key: 'ArrowRight' });
    const invitationsTab = screen.getByRole('tab', { name: /Invitations/ });
    expect(invitationsTab.getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(invitationsTab));

    fireEvent.change(screen.getByLabelText('Email addresses'), {
      target: { value: 'ada@example.com, grace@example.com\nada@example.com' },
    });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'org:admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    await screen.findByText('Invited 2 people.');
    const pending = await screen.findByTestId('pending-invitations');
    await waitFor(() => expect(items(pending).sort()).toEqual(['ada@example.com', 'grace@example.com']));
    expect(pending.textContent).toContain('Admin');
    // The mail goes out through the real SMTP server; the list shows it without a reload.
    await waitFor(() => expect(within(pending).getAllByText('Email sent')).toHaveLength(2), { timeout: 10_000 });

    // A second invitation to the same address is refused, and says why.
    fireEvent.change(screen.getByLabelText('Email addresses'), { target: { value: 'ada@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/ada@example\.com/);

    fireEvent.click(screen.getByRole('button', { name: 'Revoke invitation for ada@example.com' }));
    await waitFor(() => expect(items(screen.getByTestId('pending-invitations'))).toEqual(['grace@example.com']));
    const revoked = await admin.organization.getInvitations({ status: 'revoked' });
    expect(revoked.data.map((i) => i.emailAddress)).toEqual(['ada@example.com']);
  });

  it('lists members; an admin changes a role and removes a member; a member only reads', async () => {
    const admin = await live.admin('Members Inc');
    const member = await live.signedIn();
    const added = await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'org:member',
    });
    expect(added.status).toBe(200);

    renderWithRoster(admin.client, <OrganizationProfile />);
    const list = await screen.findByTestId('members');
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    const name = `Test ${member.email.split('@')[0]}`;
    const role = screen.getByLabelText(`Role of ${name}`) as HTMLSelectElement;
    expect(role.value).toBe('org:member');
    fireEvent.change(role, { target: { value: 'org:admin' } });
    await waitFor(async () => {
      const { data } = await admin.organization.getMemberships({ role: 'org:admin' });
      expect(data.map((m) => m.publicUserData.userId).sort()).toEqual([admin.userId, member.userId].sort());
    });
    await waitFor(() =>
      expect((screen.getByLabelText(`Role of ${name}`) as HTMLSelectElement).value).toBe('org:admin'),
    );

    fireEvent.click(screen.getByRole('button', { name: `Remove ${name}` }));
    await waitFor(() => expect(within(screen.getByTestId('members')).getAllByRole('listitem')).toHaveLength(1));
    cleanup();

    // Back as a plain member: the list is read-only and there is no Invitations tab.
    await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'basic_member',
    });
    renderWithRoster(member.client, <OrganizationProfile />);
    await waitFor(() => expect(within(screen.getByTestId('members')).getAllByRole('listitem')).toHaveLength(2));
    expect(screen.queryByRole('tab', { name: /Invitations/ })).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
  });
});
