/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and writes what a person needs to see where
 * the time goes: self and inclusive time per function, time per area (a package, a folder of
 * Roster's source, node internals, GC), folded stacks, and a flame graph as a standalone SVG.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FlameReport {
  totalMs: number;
  busyMs: number;
  selfByFunction: { frame: string; ms: number }[];
  inclusiveByFunction: { frame: string; ms: number }[];
  byArea: { area: string; ms: number }[];
  folded: string;
  svg: string;
}

function shortUrl(url: string): string {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) return clean.slice(nm + '/node_modules/'.length);
  const pk = clean.indexOf('/packages/');
  if (pk >= 0) return clean.slice(pk + 1);
  const bench = clean.indexOf('/bench/');
  if (bench >= 0) return clean.slice(bench + 1);
  return clean;
}

export function frameName(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  const url = shortUrl(f.url);
  return url ? `${name} ${url}:${f.lineNumber + 1}` : name;
}

/** Which part of the stack a frame belongs to, for the per-area table. */
export function areaOf(f: CallFrame): string {
  if (f.functionName === '(garbage collector)') return 'GC';
  if (f.functionName === '(idle)') return 'idle';
  if (f.functionName === '(program)') return 'V8/native (program)';
  const url = f.url.replace(/^file:\/\//, '');
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return `npm: ${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const pk = url.indexOf('/packages/');
  if (pk >= 0) {
    const parts = url.slice(pk + 1).split('/');
    return parts[1] === 'server' ? `roster: ${parts.slice(2, 4).join('/')}` : `roster: ${parts[1]}`;
  }
  if (url.startsWith('node:') || url === '') return 'node internals / native';
  return url;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Tree {
  name: string;
  ms: number;
  children: Map<string, Tree>;
}

function flameSvg(root: Tree, title: string): string {
  const width = 1600;
  const rowHeight = 17;
  let maxDepth = 0;
  const rects: string[] = [];
  const walk = (node: Tree, x: number, depth: number) => {
    const w = (node.ms / root.ms) * width;
    if (w < 0.3) return;
    maxDepth = Math.max(maxDepth, depth);
    const hue = /roster|packages\//.test(node.name) ? 200 : /node_modules|npm/.test(node.name) ? 30 : 0;
    const light = 55 + ((node.name.length * 7) % 20);
    const label = w > 40 ? escapeXml(node.name.slice(0, Math.floor(w / 6.5))) : '';
    rects.push(
      `<g><title>${escapeXml(node.name)} — ${node.ms.toFixed(0)} ms (${((100 * node.ms) / root.ms).toFixed(1)}%)</title>` +
        `<rect x="${x.toFixed(1)}" y="{Y${depth}}" width="${w.toFixed(1)}" height="${rowHeight - 1}" fill="hsl(${hue},70%,${light}%)"/>` +
        (label
          ? `<text x="${(x + 3).toFixed(1)}" y="{T${depth}}" font-size="11" font-family="monospace">${label}</text>`
          : '') +
        '</g>',
    );
    let cx = x;
    for (const child of [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      walk(child, cx, depth + 1);
      cx += (child.ms / root.ms) * width;
    }
  };
  walk(root, 0, 0);
  const height = (maxDepth + 1) * rowHeight + 30;
  const body = rects
    .join('\n')
    .replace(/\{Y(\d+)\}/g, (_, d) => String(height - (Number(d) + 1) * rowHeight))
    .replace(/\{T(\d+)\}/g, (_, d) => String(height - (Number(d) + 1) * rowHeight + 12));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="100%" height="100%" fill="#fff"/><text x="4" y="16" font-size="13" font-family="sans-serif">${escapeXml(title)} (hover for names and times; blue = Roster source, orange = npm packages)</text>
${body}
</svg>
`;
}

export function analyzeProfile(profile: CpuProfile, title: string): FlameReport {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  const folded = new Map<string, number>();
  const root: Tree = { name: 'all', ms: 0, children: new Map() };
  let totalMs = 0;
  let idleMs = 0;
  // Start-up (module loading, migrations) is not the work under study: the window opens at the
  // first sample taken inside an HTTP request.
  const inRequest = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)!.callFrame.url.includes('@hono/node-server')) return true;
    }
    return false;
  };
  let first = profile.samples.findIndex(inRequest);
  if (first < 0) first = 0;
  for (let i = first; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i]!)!;
    totalMs += ms;
    if (leaf.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const stack: CallFrame[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (f.functionName !== '(root)') stack.push(f);
    }
    stack.reverse();
    const leafName = frameName(leaf.callFrame);
    self.set(leafName, (self.get(leafName) ?? 0) + ms);
    const area = areaOf(leaf.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    let node = root;
    root.ms += ms;
    const names: string[] = [];
    for (const f of stack) {
      const name = frameName(f);
      names.push(name);
      if (!seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
      let child = node.children.get(name);
      if (!child) {
        child = { name, ms: 0, children: new Map() };
        node.children.set(name, child);
      }
      child.ms += ms;
      node = child;
    }
    const key = names.join(';');
    folded.set(key, (folded.get(key) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    totalMs,
    busyMs: totalMs - idleMs,
    selfByFunction: top(self, 40).map(([frame, ms]) => ({ frame, ms })),
    inclusiveByFunction: top(inclusive, 60).map(([frame, ms]) => ({ frame, ms })),
    byArea: top(areas, 40).map(([area, ms]) => ({ area, ms })),
    folded: [...folded.entries()].map(([k, v]) => `${k} ${Math.round(v * 1000)}`).join('\n'),
    svg: flameSvg(root, title),
  };
}
