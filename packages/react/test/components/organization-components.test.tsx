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
