// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeAppearance } from '../../src/appearance-context.js';
import { CSS } from '../../src/components/appearance.js';
import { CreateOrganization, dark, RosterProvider, UserProfile } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

const rootOf = (name: string) => document.querySelector<HTMLElement>(`[data-roster-component="${name}"]`)!;
const cssVar = (el: HTMLElement, name: string) => el.style.getPropertyValue(name);

describe('appearance (Clerk-style variables, elements, base theme)', () => {
  it("the provider's appearance reaches every component; a component's own wins; element classes from both are kept", async () => {
    const me = await live.signedIn();
    render(
      <RosterProvider
        client={me.client}
        appearance={{
          variables: { colorPrimary: '#7c3aed', borderRadius: '2px', spacingUnit: '12px', fontFamily: 'Georgia' },
          elements: { button: 'app-button', card: 'app-card' },
        }}
      >
        <CreateOrganization />
        <div data-testid="second">
          <CreateOrganization appearance={{ variables: { colorPrimary: '#0f766e' }, elements: { button: 'mine' } }} />
        </div>
      </RosterProvider>,
    );
    const [first, second] = [
      ...document.querySelectorAll<HTMLElement>('[data-roster-component="create-organization"]'),
    ];
    expect(cssVar(first!, '--roster-color-primary')).toBe('#7c3aed');
    expect(cssVar(first!, '--roster-border-radius')).toBe('2px');
    expect(cssVar(first!, '--roster-spacing-unit')).toBe('12px');
    expect(cssVar(first!, '--roster-font-family')).toBe('Georgia');
    expect(first!.classList.contains('app-card')).toBe(true);
    expect(cssVar(second!, '--roster-color-primary')).toBe('#0f766e');
    expect(cssVar(second!, '--roster-border-radius')).toBe('2px');
    const button = screen.getAllByRole('button', { name: 'Create organization' })[1]!;
    expect([...button.classList]).toEqual(['roster-button', 'app-button', 'mine']);
  });

  it('baseTheme: dark sets every colour variable and the dark color-scheme; variables given beside it override it', async () => {
    const me = await live.signedIn();
    renderWithRoster(
      me.client,
      <UserProfile appearance={{ baseTheme: dark, variables: { colorPrimary: '#c4b5fd' } }} />,
    );
    await screen.findByRole('heading', { name: 'Account' });
    const root = rootOf('user-profile');
    expect(root.style.colorScheme).toBe('dark');
    expect(cssVar(root, '--roster-color-background')).toBe(dark.variables.colorBackground);
    expect(cssVar(root, '--roster-color-text')).toBe(dark.variables.colorText);
    expect(cssVar(root, '--roster-color-input-background')).toBe(dark.variables.colorInputBackground);
    expect(cssVar(root, '--roster-color-primary')).toBe('#c4b5fd');
  });

  it('the built-in styles take every colour and spacing from the variables (no light-only colour left)', () => {
    // The only literal colours left: white initials on their avatar, the modal's backdrop and shadows.
    const literals = CSS.replace(/var\(--roster-[a-z-]+, ?#[0-9a-f]{3,6}\)/gi, '').match(/#[0-9a-f]{3,6}\b/gi);
    expect(literals).toEqual(['#fff']);
    for (const rule of ['.roster-card{', '.roster-field{', '.roster-list-item{', '.roster-section{']) {
      const body = CSS.slice(CSS.indexOf(rule), CSS.indexOf('}', CSS.indexOf(rule)));
      expect(body).toContain('--roster-spacing-unit');
    }
  });

  it('mergeAppearance: nothing from either side is lost, duplicate class names are not repeated', () => {
    expect(mergeAppearance(undefined, { unstyled: true })).toEqual({ unstyled: true });
    expect(
      mergeAppearance(
        { baseTheme: dark, variables: { colorText: '#000' }, elements: { input: 'a b' } },
        { variables: { colorDanger: '#f00' }, elements: { input: 'b c', label: 'l' } },
      ),
    ).toEqual({
      baseTheme: dark,
      variables: { colorText: '#000', colorDanger: '#f00' },
      elements: { input: 'a b c', label: 'l' },
    });
  });
});
