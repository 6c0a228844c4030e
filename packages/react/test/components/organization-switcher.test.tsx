// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationSwitcher } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

describe('<OrganizationSwitcher/>', () => {
  const active = () => screen.getByTestId('switcher-active').textContent;

  it('starts on the personal account; joins an invitation, creates, switches and goes back to personal, closing onto the button', async () => {
    const other = await live.admin('Beta');
    const me = await live.signedIn();
    await other.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });

    renderWithRoster(me.client, <OrganizationSwitcher />);
    await waitFor(() => expect(active()).toBe('Personal account'));
    const button = screen.getByRole('button', { name: /Personal account/ });
    await waitFor(() => expect(button.textContent).toContain('1 pending invitation'));
    expect(button.textContent).not.toContain('1 pending invitations');
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    // The user's initials stand in for a picture.
    expect(button.querySelector('[data-initials]')?.textContent).toBe(`T${me.email[0]!.toUpperCase()}`);

    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const panel = screen.getByRole('dialog', { name: 'Organizations' });
    expect(within(panel).getByTestId('switcher-current').textContent).toContain('Personal account');
    expect(within(panel).getByText('You are not in any organization yet.')).toBeTruthy();
    expect(within(panel).getByText(/^Invitations/).textContent).toContain('1');
    fireEvent.click(within(panel).getByRole('button', { name: 'Join Beta' }));
    await waitFor(() => expect(active()).toBe('Beta'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('button', { expanded: false }));
    // The badge goes once the invitations list has been read again (after the join).
    await waitFor(() => expect(screen.getByRole('button', { expanded: false }).textContent).not.toContain('pending'));

    fireEvent.click(screen.getByRole('button', { expanded: false }));
    expect(within(screen.getByRole('dialog')).getByTestId('switcher-current').textContent).toBe('BetaMember');
    expect(screen.getByRole('button', { name: 'Manage organization' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    fireEvent.change(screen.getByLabelText('Organization name'), { target: { value: 'Gamma Labs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    await waitFor(() => expect(active()).toBe('Gamma Labs'));
    // The panel stays open on the invite step; Skip closes it.
    fireEvent.click(await screen.findByRole('button', { name: 'Skip' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(screen.getByRole('button', { expanded: false }));
    const list = screen.getByRole('list', { name: 'Switch to' });
    expect(within(list).getAllByRole('button')).toEqual([
      within(list).getByRole('button', { name: 'Switch to Personal account' }),
      within(list).getByRole('button', { name: 'Switch to Beta' }),
    ]);
    // The role is the description, not part of the name.
    expect(within(list).getByRole('button', { description: 'Member' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Switch to Beta' }));
    await waitFor(() => expect(active()).toBe('Beta'));

    fireEvent.click(screen.getByRole('button', { expanded: false }));
    fireEvent.click(screen.getByRole('button', { name: 'Switch to Personal account' }));
    await waitFor(() => expect(active()).toBe('Personal account'));
    expect((await me.client.getMe()).session.lastActiveOrganizationId).toBeNull();
  });

  it('says "2 pending invitations" for two; with hidePersonal there is no personal account', async () => {
    const [first, second] = [await live.admin('One'), await live.admin('Two')];
    const me = await live.signedIn();
    await first.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });
    await second.organization.inviteMember({ emailAddress: me.email, role: 'org:member' });

    renderWithRoster(me.client, <OrganizationSwitcher hidePersonal />);
    const button = await screen.findByRole('button', { name: /No organization/ });
    await waitFor(() => expect(button.textContent).toContain('2 pending invitations'));
    fireEvent.click(button);
    expect(screen.queryByText('Personal account')).toBeNull();
    expect(screen.queryByRole('button', { name: /personal account/ })).toBeNull();
    expect(screen.getByText('You are not in any organization yet.')).toBeTruthy();
  });

  it('is a dialog button: the keyboard opens it on its first entry, arrows move, Escape closes back to the button', async () => {
    const admin = await live.admin('Delta');
    await admin.client.createOrganization({ name: 'Epsilon' });
    const other = await live.admin('Zeta');
    await other.organization.inviteMember({ emailAddress: admin.email, role: 'org:member' });

    renderWithRoster(admin.client, <OrganizationSwitcher />);
    await waitFor(() => expect(active()).toBe('Epsilon'));
    const button = screen.getByRole('button', { expanded: false });
    await waitFor(() => expect(button.textContent).toContain('1 pending invitation'));

    for (const key of ['Enter', ' ']) {
      button.focus();
      fireEvent.keyDown(button, { key });
      const panel = screen.getByRole('dialog', { name: 'Organizations' });
      expect(button.getAttribute('aria-expanded')).toBe('true');
      expect(button.getAttribute('aria-controls')).toBe(panel.id);
      const manage = within(panel).getByRole('button', { name: 'Manage organization' });
      await waitFor(() => expect(document.activeElement).toBe(manage));

      fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(button.getAttribute('aria-expanded')).toBe('false');
      await waitFor(() => expect(document.activeElement).toBe(button));
    }

    fireEvent.keyDown(button, { key: 'ArrowDown' });
    const order = [
      'Manage organization',
      'Switch to Personal account',
      'Switch to Delta',
      'Join Zeta',
      'Create organization',
    ];
    await waitFor(() => expect(document.activeElement?.textContent).toContain('Manage organization'));
    const name = () => order.find((n) => screen.queryByRole('button', { name: n }) === document.activeElement);
    for (const expected of order.slice(1)) {
      fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
      expect(name()).toBe(expected);
    }
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(name()).toBe('Manage organization'); // wraps
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(name()).toBe('Create organization');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(name()).toBe('Manage organization');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(name()).toBe('Create organization');

    // Enter on the open button closes it; a mouse click opens it without moving focus.
    fireEvent.keyDown(button, { key: 'Enter' });
    expect(screen.queryByRole('dialog')).toBeNull();
    button.focus();
    fireEvent.click(button);
    expect(screen.getByRole('dialog')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(button));
  });

  it('"Manage organization" opens the profile in a modal (Escape closes it onto the button), or goes to organizationProfileUrl', async () => {
    const admin = await live.admin('Managed Co');
    renderWithRoster(admin.client, <OrganizationSwitcher />);
    await waitFor(() => expect(active()).toBe('Managed Co'));
    const button = screen.getByRole('button', { expanded: false });
    expect(button.querySelector('[data-initials]')?.textContent).toBe('MC');
    fireEvent.click(button);
    fireEvent.click(screen.getByRole('button', { name: 'Manage organization' }));
    const modal = screen.getByRole('dialog', { name: 'Manage organization' });
    expect(modal.getAttribute('aria-modal')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(within(modal).getByRole('button', { name: 'Close' })));
    await within(modal).findByRole('tab', { name: 'Members' });
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Manage organization' })).toBeNull();
    expect(document.activeElement).toBe(button);
    cleanup();

    const { navigations } = renderWithRoster(
      admin.client,
      <OrganizationSwitcher organizationProfileUrl="/organization/profile" />,
    );
    await waitFor(() => expect(active()).toBe('Managed Co'));
    fireEvent.click(screen.getByRole('button', { expanded: false }));
    fireEvent.click(screen.getByRole('button', { name: 'Manage organization' }));
    expect(navigations).toEqual(['/organization/profile']);
    expect(screen.queryByRole('dialog')).toBeNull();
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
