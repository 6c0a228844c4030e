import type { CSSProperties } from 'react';

/**
 * Theme variables for the prebuilt components; each becomes a CSS custom property on the
 * component's root (`colorPrimary` → `--roster-color-primary`), so a stylesheet can set them too.
 *
 * @example
 * ```ts
 * const variables: AppearanceVariables = { colorPrimary: '#6d28d9', borderRadius: '4px' };
 * ```
 */
export interface AppearanceVariables {
  colorPrimary?: string;
  colorPrimaryText?: string;
  colorText?: string;
  colorTextSecondary?: string;
  colorBackground?: string;
  colorInputBackground?: string;
  colorBorder?: string;
  colorDanger?: string;
  colorSuccess?: string;
  borderRadius?: string;
  fontFamily?: string;
  fontSize?: string;
  /** The base of every padding and gap (Clerk's `spacingUnit`); default `16px`. */
  spacingUnit?: string;
}

/** The parts of a component that take an extra class name through `appearance.elements`. */
export type AppearanceElement =
  | 'root'
  | 'card'
  | 'header'
  | 'form'
  | 'field'
  | 'label'
  | 'input'
  | 'button'
  | 'buttonSecondary'
  | 'alert'
  | 'notice'
  | 'list'
  | 'listItem'
  | 'badge'
  | 'tab'
  | 'avatar';

/**
 * How the prebuilt components look: `variables` for colours, radius and font; `elements` to add
 * your own class names (Tailwind, CSS modules) to their parts; `unstyled` drops the built-in
 * styles altogether.
 *
 * @example
 * ```tsx
 * <OrganizationProfile appearance={{ variables: { colorPrimary: '#0f766e' }, elements: { button: 'my-button' } }} />
 * ```
 */
export interface Appearance {
  /** A theme to start from, such as `dark`; `variables` override it. */
  baseTheme?: Theme;
  variables?: AppearanceVariables;
  elements?: Partial<Record<AppearanceElement, string>>;
  unstyled?: boolean;
}

const VARIABLE_NAMES: Record<keyof AppearanceVariables, string> = {
  colorPrimary: '--roster-color-primary',
  colorPrimaryText: '--roster-color-primary-text',
  colorText: '--roster-color-text',
  colorTextSecondary: '--roster-color-text-secondary',
  colorBackground: '--roster-color-background',
  colorInputBackground: '--roster-color-input-background',
  colorBorder: '--roster-color-border',
  colorDanger: '--roster-color-danger',
  colorSuccess: '--roster-color-success',
  borderRadius: '--roster-border-radius',
  fontFamily: '--roster-font-family',
  fontSize: '--roster-font-size',
  spacingUnit: '--roster-spacing-unit',
};

/**
 * A prebuilt look: variables for every colour, passed as `appearance.baseTheme` (as Clerk's
 * `@clerk/themes`).
 *
 * @example
 * ```ts
 * const mine: Theme = { variables: { ...dark.variables, colorPrimary: '#a78bfa' } };
 * ```
 */
export interface Theme {
  /** The browser's `color-scheme` for native controls (selects, checkboxes, scrollbars). */
  colorScheme?: 'light' | 'dark';
  variables: AppearanceVariables;
}

/** The root's inline style: the base theme's variables, then the ones the caller set. */
export function themeStyle(appearance: Appearance | undefined): CSSProperties {
  const style: Record<string, string> = {};
  const variables = { ...appearance?.baseTheme?.variables, ...appearance?.variables };
  if (appearance?.baseTheme?.colorScheme) style.colorScheme = appearance.baseTheme.colorScheme;
  for (const [key, value] of Object.entries(variables)) {
    const name = VARIABLE_NAMES[key as keyof AppearanceVariables];
    if (name && value) style[name] = value;
  }
  return style as CSSProperties;
}

/** `roster-<element>` plus the caller's class for it. */
export function classOf(appearance: Appearance | undefined, element: AppearanceElement, extra?: string): string {
  return [`roster-${kebab(element)}`, extra, appearance?.elements?.[element]].filter(Boolean).join(' ');
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const v = (name: string, fallback: string) => `var(--roster-${name}, ${fallback})`;
const primary = v('color-primary', '#2563eb');
const text = v('color-text', '#111827');
const secondary = v('color-text-secondary', '#4b5563');
const border = v('color-border', '#d1d5db');
const radius = v('border-radius', '8px');
const danger = v('color-danger', '#b91c1c');
const success = v('color-success', '#15803d');
const background = v('color-background', '#fff');
/** `n` spacing units (16 px by default, Clerk's `spacingUnit`). */
const u = (n: number) => `calc(${v('spacing-unit', '16px')} * ${n})`;
/** A faint wash of `color` over the background, for badges and read-only inputs. */
const tint = (color: string, percent = 7) => `color-mix(in srgb,${color} ${percent}%,${background})`;

/** The built-in styles, scoped under `.roster-root`. Rendered once per component root. */
export const CSS = `
.roster-root{font-family:${v('font-family', 'system-ui,-apple-system,"Segoe UI",Roboto,sans-serif')};font-size:${v('font-size', '15px')};line-height:1.5;color:${text};box-sizing:border-box}
.roster-root *,.roster-root *::before,.roster-root *::after{box-sizing:inherit}
.roster-card{background:${background};border:1px solid ${border};border-radius:calc(${radius} * 1.5);padding:${u(1.5)};max-width:100%;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.roster-root h2,.roster-root h3{margin:0 0 6px;line-height:1.3}.roster-root h2{font-size:1.25em}.roster-root h3{font-size:1.05em}
.roster-header{margin-bottom:${u(1)}}.roster-header p{margin:0;color:${secondary}}
.roster-field{display:flex;flex-direction:column;gap:${u(0.25)};margin-bottom:${u(0.75)}}
.roster-label{font-weight:600;font-size:.9em}
.roster-input{width:100%;padding:${u(0.5625)} ${u(0.6875)};font:inherit;color:${text};background:${v('color-input-background', '#fff')};border:1px solid ${border};border-radius:${radius}}
.roster-input[readonly]{background:${tint(text, 6)};color:${secondary}}
.roster-input[aria-invalid=true]{border-color:${danger}}
.roster-button,.roster-button-secondary{display:inline-flex;align-items:center;justify-content:center;gap:6px;padding:${u(0.5625)} ${u(0.875)};font:inherit;font-weight:600;border-radius:${radius};cursor:pointer;border:1px solid transparent}
.roster-button{background:${primary};color:${v('color-primary-text', '#fff')}}
.roster-button-secondary{background:transparent;color:${text};border-color:${border}}
.roster-button:disabled,.roster-button-secondary:disabled{opacity:.55;cursor:not-allowed}
.roster-root :focus-visible{outline:2px solid ${primary};outline-offset:2px}
.roster-form .roster-button{width:100%;margin-top:6px}
.roster-alert{padding:9px 12px;margin-bottom:12px;border-radius:${radius};color:${danger};background:color-mix(in srgb,${danger} 8%,transparent);border:1px solid color-mix(in srgb,${danger} 35%,transparent)}
.roster-notice{padding:9px 12px;margin-bottom:12px;border-radius:${radius};color:${success};background:color-mix(in srgb,${success} 8%,transparent);border:1px solid color-mix(in srgb,${success} 35%,transparent)}
.roster-muted{color:${secondary};font-size:.9em}
.roster-list{list-style:none;margin:0;padding:0}
.roster-list-item{display:flex;align-items:center;gap:${u(0.625)};padding:${u(0.625)} 0;border-top:1px solid ${border}}
.roster-list-item:first-child{border-top:0}
.roster-grow{flex:1;min-width:0;overflow-wrap:anywhere}
.roster-badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.8em;font-weight:600;background:${tint(primary)};color:${primary}}
.roster-badge[data-tone=danger]{background:${tint(danger)};color:${danger}}.roster-badge[data-tone=success]{background:${tint(success)};color:${success}}.roster-badge[data-tone=muted]{background:${tint(secondary)};color:${secondary}}
.roster-tabs{display:flex;gap:4px;border-bottom:1px solid ${border};margin:0 0 16px}
.roster-tab{padding:8px 12px;font:inherit;font-weight:600;color:${secondary};background:none;border:0;border-bottom:2px solid transparent;cursor:pointer;margin-bottom:-1px}
.roster-tab[aria-selected=true]{color:${primary};border-bottom-color:${primary}}
.roster-row{display:flex;gap:10px;flex-wrap:wrap}.roster-row>*{flex:1;min-width:140px}
.roster-link{background:none;border:0;padding:0;font:inherit;color:${primary};text-decoration:underline;cursor:pointer}
.roster-root .roster-popover{position:absolute;z-index:50;top:calc(100% + 6px);left:0;width:min(360px,calc(100vw - 16px));max-width:none;padding:12px}
.roster-root .roster-section-title{margin:8px 0 4px;font-size:.78em;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:${secondary}}
.roster-root select.roster-input{width:auto;max-width:100%}
.roster-avatar{display:inline-flex;flex:none;align-items:center;justify-content:center;border-radius:999px;object-fit:cover;color:#fff;font-weight:700;line-height:1;user-select:none}
.roster-avatar-square{border-radius:${radius}}
.roster-actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
.roster-button-danger{background:${danger}}
.roster-button-danger-outline{color:${danger};border-color:color-mix(in srgb,${danger} 45%,transparent)}
.roster-confirm{margin:8px 0;padding:12px;border:1px solid ${border};border-radius:${radius};background:color-mix(in srgb,${primary} 4%,transparent)}
.roster-confirm[data-tone=danger]{border-color:color-mix(in srgb,${danger} 45%,transparent);background:color-mix(in srgb,${danger} 5%,transparent)}
.roster-confirm-title{margin:0 0 6px;font-weight:600}
.roster-section{padding:${u(1)} 0;border-top:1px solid ${border}}.roster-section:first-child{border-top:0;padding-top:0}
.roster-tabs{flex-wrap:wrap}
.roster-member-row{flex-wrap:wrap}.roster-member-row>.roster-grow{flex:1 1 12rem}
.roster-member-row>select.roster-input{max-width:min(100%,16rem)}
.roster-menu-item{display:flex;align-items:center;gap:10px;width:100%;padding:8px;font:inherit;text-align:left;color:${text};background:none;border:0;border-radius:${radius};cursor:pointer}
.roster-menu-item:hover,.roster-menu-item:focus-visible{background:color-mix(in srgb,${primary} 8%,transparent)}
.roster-menu-item[aria-current=true]{font-weight:600}
.roster-trigger{max-width:100%;min-width:0}.roster-trigger>.roster-grow{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;overflow-wrap:normal}
.roster-modal-backdrop{position:fixed;inset:0;z-index:60;display:flex;align-items:flex-start;justify-content:center;padding:16px 8px;overflow:auto;background:rgba(17,24,39,.45)}
.roster-modal{width:min(720px,100%);background:${background};border-radius:calc(${radius} * 1.5);padding:12px;box-shadow:0 10px 30px rgba(0,0,0,.2)}
.roster-modal .roster-card{border:0;box-shadow:none;padding:8px}
.roster-avatar-button{display:inline-flex;align-items:center;gap:8px;padding:2px;font:inherit;color:inherit;background:none;border:0;border-radius:999px;cursor:pointer}
.roster-root .roster-popover-end{left:auto;right:0;width:min(300px,calc(100vw - 16px))}
a.roster-menu-item{text-decoration:none}
.roster-sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.roster-check{display:flex;align-items:center;gap:8px;margin:4px 0 12px;cursor:pointer}
.roster-image-actions{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.roster-file-input{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}
.roster-file-input+label{cursor:pointer}
.roster-file-input:focus-visible+label{outline:2px solid ${primary};outline-offset:2px}
.roster-file-input:disabled+label{opacity:.6;cursor:default}
`;
