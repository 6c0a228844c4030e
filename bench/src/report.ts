import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from './load.js';

/** The one table: printed, and written as Markdown and JSON under bench/results/. */

export interface Line {
  work: string;
  db: string;
  roster: string;
  peer: string;
  ratio: string;
  rosterLatency: string;
  peerLatency: string;
  cpu: string;
  rss: string;
}

export const HEADER: Line = {
  work: 'Work',
  db: 'DB',
  roster: 'Roster /s',
  peer: 'Peer /s',
  ratio: 'Roster ÷ Peer',
  rosterLatency: 'Roster p50 · p99 ms',
  peerLatency: 'Peer p50 · p99 ms',
  cpu: 'CPU ms/op R · P',
  rss: 'Peak RSS MiB R · P',
};

const COLUMNS: (keyof Line)[] = ['work', 'db', 'roster', 'peer', 'ratio', 'rosterLatency', 'peerLatency', 'cpu', 'rss'];

export const dash = '—';

/** A table line with a dash in every cell not given. */
export function makeLine(l: Partial<Line> & Pick<Line, 'work' | 'db'>): Line {
  return {
    roster: dash,
    peer: dash,
    ratio: dash,
    rosterLatency: dash,
    peerLatency: dash,
    cpu: dash,
    rss: dash,
    ...l,
  };
}

export function rate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash;
  if (value >= 100) return Math.round(value).toLocaleString('en');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return dash;
  return value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(value >= 10 ? 1 : 2);
}

export function latency(s: Pick<Summary, 'p50' | 'p99'> | null | undefined): string {
  return s ? `${ms(s.p50)} · ${ms(s.p99)}` : dash;
}

export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (!a || !b) return dash;
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

export function cpuMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return dash;
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function mib(value: number | null | undefined): string {
  return value ? String(Math.round(value)) : dash;
}

/** Failures are shown next to the rate so that a fast row full of errors cannot pass unnoticed. */
export function rateCell(s: Summary | null | undefined): string {
  if (!s) return dash;
  return `${rate(s.perSecond)}${s.failed > 0 ? ` (${s.failed} failed)` : ''}`;
}

export function markdownTable(lines: Line[]): string {
  const row = (l: Line) => `| ${COLUMNS.map((c) => l[c].replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    row(HEADER),
    `|${COLUMNS.map((c) => (c === 'work' || c === 'db' ? ' --- ' : ' ---: ')).join('|')}|`,
    ...lines.map(row),
  ].join('\n');
}

export function consoleTable(lines: Line[]): string {
  const all = [HEADER, ...lines];
  const widths = COLUMNS.map((c) => Math.max(...all.map((l) => [...l[c]].length)));
  const pad = (text: string, i: number) =>
    i < 2 ? text + ' '.repeat(widths[i]! - [...text].length) : ' '.repeat(widths[i]! - [...text].length) + text;
  const render = (l: Line) => COLUMNS.map((c, i) => pad(l[c], i)).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [render(HEADER), rule, ...lines.map(render)].join('\n');
}

/** Writes NAME.{json,md}, and latest.{json,md} too unless `latest` is false (named, experimental runs). */
export function writeResults(options: {
  dir: string;
  name: string;
  json: unknown;
  markdown: string;
  latest: boolean;
}): string[] {
  mkdirSync(options.dir, { recursive: true });
  const json = `${JSON.stringify(options.json, null, 2)}\n`;
  const names = [options.name, ...(options.latest ? ['latest'] : [])];
  const files: string[] = [];
  for (const name of names) {
    files.push(join(options.dir, `${name}.json`), join(options.dir, `${name}.md`));
    writeFileSync(join(options.dir, `${name}.json`), json);
    writeFileSync(join(options.dir, `${name}.md`), options.markdown);
  }
  return files;
}
