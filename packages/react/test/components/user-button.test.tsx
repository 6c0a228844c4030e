// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { UserButton } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile();
afterEach(() => {
  cleanup();
});

describe('<UserButton/>', () => {
  it('shows the avatar (initials), opens a menu with name, address, Manage account and Sign out, and signs out', async () => {
    const me = await live.signedIn();
    const name = `Test ${me.email.split('@')[0]}`;
    const { navigations } = renderWithRoster(me.client, <UserButton afterSignOutUrl="/bye" />);
    const button = await screen.findByRole('button', { name: `Account: ${name}` });
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.querySelector('[data-initials]')?.textContent).toBe(`T${me.email[0]!.toUpperCase()}`);

    fireEvent.click(button);
    const menu = screen.getByRole('menu', { name: `Account: ${name}` });
    expect(within(menu).getByTestId('user-button-identity').textContent).toBe(`${name}${me.email}`);
    const manage = within(menu).getByRole('menuitem', { name: 'Manage account' });
    expect(manage.getAttribute('href')).toBe(`${live.baseUrl}/account`);

    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Sign out' }));
    await waitFor(() => expect(navigations).toEqual(['/bye']));
    await waitFor(() => expect(screen.queryByRole('button', { name: /^Account:/ })).toBeNull());
    await expect(me.client.getMe()).rejects.toMatchObject({ status: 401 });
  });

  it('works from the keyboard: ArrowDown opens on the first item, ArrowUp on the last, arrows wrap, Escape returns to the button', async () => {
    const me = await live.signedIn();
    renderWithRoster(me.client, <UserButton userProfileUrl="/account" />);
    const button = await screen.findByRole('button', { name: /^Account:/ });
    button.focus();
    fireEvent.keyDown(button, { key: 'ArrowDown' });
    const item = (label: string) => screen.getByRole('menuitem', { name: label });
    await waitFor(() => expect(document.activeElement).toBe(item('Manage account')));
    expect(item('Manage account').getAttribute('href')).toBe('/account');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(item('Sign out'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(item('Manage account'));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(item('Sign out'));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);

    fireEvent.keyDown(button, { key: 'ArrowUp' });
    await waitFor(() => expect(document.activeElement).toBe(item('Sign out')));
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement).toBe(item('Manage account'));
  });

  it('moves its menu right to stay 8 px inside a 390 px viewport when the button sits at the left edge', async () => {
    const me = await live.signedIn();
    const rect = HTMLElement.prototype.getBoundingClientRect;
    // The menu hangs from the button's right edge (right:0): 300 px wide under a 40 px button at x = 0.
    HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
      if (this.getAttribute('role') !== 'menu') return rect.call(this);
      const left = -260 + (Number.parseFloat(this.style.left) || 0);
      return DOMRect.fromRect({ x: left, y: 40, width: 300, height: 200 });
    };
    Object.defineProperty(document.documentElement, 'clientWidth', { configurable: true, value: 390 });
    try {
      renderWithRoster(me.client, <UserButton defaultOpen />);
      const menu = await screen.findByRole('menu');
      const placed = menu.getBoundingClientRect();
      expect(placed.left).toBe(8);
      expect(placed.right).toBeLessThanOrEqual(390 - 8);
    } finally {
      HTMLElement.prototype.getBoundingClientRect = rect;
      Reflect.deleteProperty(document.documentElement, 'clientWidth');
    }
  });

  it('renders nothing when signed out', async () => {
    const { container } = renderWithRoster(live.client(), <UserButton />);
    await waitFor(() => expect(container.querySelector('[data-roster-component]')).toBeNull());
  });
});
