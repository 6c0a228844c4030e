import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { screenshot } from './browser.js';
import { ROOT } from './example-build.js';

/**
 * What every screen is held to (issue 11): no horizontal overflow, no serious or critical axe-core
 * violation (and a level-one heading), at desktop and phone widths, with a screenshot of each.
 */

/** axe-core from node_modules, injected into the page (the context must bypass CSP for the hosted pages). */
export const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const NARROWEST = { width: 360, height: 740 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Rules that must pass besides every serious or critical one. */
const REQUIRED = new Set(['page-has-heading-one']);

/** Runs axe-core in the page; returns the violations that count, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || REQUIRED.has(v.id))
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').slice(1).join(' ') ?? ''}`)
          .join('; ')}`,
    );
}

export interface ScreenReport {
  name: string;
  width: number;
  scrollWidth: number;
  violations: string[];
}

/**
 * Checks the screen the page shows now at each width (resizing, not reloading): overflow, axe, a
 * screenshot `screens-<name>-<width>.png`; then overflow alone at 360 px. Returns what it found; the caller asserts on all at once.
 */
export async function checkScreen(page: Page, name: string): Promise<ScreenReport[]> {
  const reports: ScreenReport[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    // Layout after the resize, before measuring.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    const violations = await axeViolations(page);
    await screenshot(page, `screens-${name}-${size.width}`);
    reports.push({ name, width: size.width, scrollWidth, violations });
  }
  // The narrowest phone the example supports: overflow only (axe and the picture are as at 390).
  await page.setViewportSize(NARROWEST);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  reports.push({ name, width: NARROWEST.width, scrollWidth, violations: [] });
  await page.setViewportSize(WIDTHS[0]);
  return reports;
}

/** Problems in `reports`, one line each: empty when every screen passed. */
export function problems(reports: ScreenReport[]): string[] {
  return reports.flatMap((r) => [
    ...(r.scrollWidth > r.width ? [`${r.name} @${r.width}: ${r.scrollWidth} px wide (overflows ${r.width})`] : []),
    ...r.violations.map((v) => `${r.name} @${r.width}: ${v}`),
  ]);
}

/** Records every 4xx/5xx response a page gets, as "STATUS METHOD path". */
export function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('response', (res: Response) => {
    if (res.status() >= 400) {
      const url = new URL(res.url());
      errors.push(`${res.status()} ${res.request().method()} ${url.pathname}`);
    }
  });
  return errors;
}
