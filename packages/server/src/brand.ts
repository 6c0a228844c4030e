import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { MailBrand } from './email/templates/layout.js';

/**
 * The instance's brand (`ROSTER_BRAND_NAME`, `ROSTER_BRAND_COLOR`, `ROSTER_BRAND_LOGO`): the name
 * and logo above every hosted page and email, and the colour of their buttons and links
 * (decision 046). Read once at start; a logo that is not a PNG, JPEG, GIF or WebP image stops the
 * start with the variable named.
 */
export interface Brand {
  /** The product's name ("Acme"), or null: no name is shown. */
  name: string | null;
  /** Buttons' background and focus rings. */
  accent: string;
  /** Text on `accent`: white or black, whichever reads better (WCAG contrast). */
  accentText: string;
  /** Links on white: `accent` when it reads at 4.5:1 there, else a darker shade of it. */
  link: string;
  /** The logo as served at `/brand/logo.png`, or null. */
  logo: BrandLogo | null;
  /** Whether `ROSTER_BRAND_COLOR` was set (mail keeps its own colours otherwise). */
  colorSet: boolean;
}

export interface BrandLogo {
  png: Buffer;
  width: number;
  height: number;
  /** A strong ETag of the bytes, for conditional requests. */
  etag: string;
}

/** The path the logo is served at (relative to the public URL). */
export const BRAND_LOGO_PATH = '/brand/logo.png';

/** What the pages and mails use when no colour is configured. */
export const DEFAULT_ACCENT = '#0969da';

/** A logo fits in this box (2x of how it shows: 40 px high, at most 160 px wide). */
const LOGO_BOX = { width: 320, height: 80 };
const MAX_INPUT_PIXELS = 50_000_000;
const ACCEPTED = new Set(['jpeg', 'png', 'gif', 'webp']);

/** Thrown when the brand's logo cannot be used; its message names the variable. */
export class BrandError extends Error {}

/** `#abc` or `#aabbcc` (already validated) to [r, g, b] in 0–255. */
function rgbOf(hex: string): [number, number, number] {
  const h = hex.slice(1);
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

const hexOf = (rgb: [number, number, number]) =>
  `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2 relative luminance. */
function luminance(rgb: [number, number, number]): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((x, y) => y - x) as [number, number];
  return (la + 0.05) / (lb + 0.05);
}

/**
 * The colours a brand colour gives: white or near-black text on it (whichever contrasts more;
 * one of them always reaches 4.5:1), and for links on white the colour itself or, when too light
 * to read there, the same hue darkened until it does.
 */
export function brandColors(accent: string): { accent: string; accentText: string; link: string } {
  const hex = hexOf(rgbOf(accent));
  const accentText = contrast(hex, '#ffffff') >= contrast(hex, '#000000') ? '#ffffff' : '#000000';
  let link = hex;
  for (let k = 0.9; contrast(link, '#ffffff') < 4.5 && k > 0; k -= 0.1) {
    link = hexOf(rgbOf(hex).map((v) => v * k) as [number, number, number]);
  }
  return { accent: hex, accentText, link };
}

/** Decodes the operator's logo, fits it in 320 × 80 without enlarging, and writes it as PNG. */
export async function normalizeLogo(bytes: Buffer): Promise<BrandLogo> {
  const input = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });
  const meta = await input().metadata();
  if (!meta.format || !ACCEPTED.has(meta.format)) throw new Error(`a ${meta.format ?? 'unknown'} file`);
  const { data, info } = await input()
    .rotate()
    .resize(LOGO_BOX.width, LOGO_BOX.height, { fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 9 })
    .toBuffer({ resolveWithObject: true });
  const etag = `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`;
  return { png: data, width: info.width, height: info.height, etag };
}

/** The brand from the configuration, reading and checking the logo file when one is named. */
export async function loadBrand(config: {
  name: string | null;
  color: string | null;
  logoPath: string | null;
}): Promise<Brand> {
  let logo: BrandLogo | null = null;
  if (config.logoPath) {
    let bytes: Buffer;
    try {
      bytes = await readFile(config.logoPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new BrandError(`ROSTER_BRAND_LOGO: cannot read ${config.logoPath} (${code})`);
    }
    try {
      logo = await normalizeLogo(bytes);
    } catch (error) {
      const what = error instanceof Error && error.message.startsWith('a ') ? error.message : 'not an image';
      throw new BrandError(
        `ROSTER_BRAND_LOGO: ${config.logoPath} is ${what}; use a PNG, JPEG, GIF or WebP image (SVG is not accepted: mail clients do not show it)`,
      );
    }
  }
  return { name: config.name, ...brandColors(config.color ?? DEFAULT_ACCENT), logo, colorSet: config.color !== null };
}

/** The brand as mail carries it: the name, the logo's absolute URL on this instance, and the colour when one is set. */
export function mailBrand(brand: Brand, publicUrl: string): MailBrand {
  return {
    name: brand.name,
    logoUrl: brand.logo ? `${publicUrl}${BRAND_LOGO_PATH}?v=${brand.logo.etag.slice(1, 9)}` : null,
    accent: brand.colorSet ? brand.accent : null,
    accentText: brand.accentText,
    link: brand.colorSet ? brand.link : null,
  };
}

/** No name, no logo, Roster's own blue: the pages and mail as they are without configuration. */
export const DEFAULT_BRAND: Brand = {
  name: null,
  ...brandColors(DEFAULT_ACCENT),
  logo: null,
  colorSet: false,
};
