import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildPackages } from '../../scripts/packages.js';

export const ROOT = join(import.meta.dirname, '../..');
export const EXAMPLE = join(ROOT, 'examples/nextjs');
export const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');
const STAMP = join(EXAMPLE, '.next/roster-e2e-build-hash');

/** Everything the built example depends on: its own files and the packages' sources. */
const INPUTS = [
  'examples/nextjs',
  'packages/nextjs/src',
  'packages/react/src',
  'packages/client/src',
  'packages/protocol/src',
  'packages/nextjs/package.json',
  'packages/react/package.json',
  'packages/client/package.json',
  'package-lock.json',
];
const SKIP = new Set(['node_modules', '.next', 'next-env.d.ts', 'tsconfig.tsbuildinfo']);

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full)
    .filter((name) => !SKIP.has(name))
    .sort()
    .flatMap((name) => files(relative(ROOT, join(full, name))));
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * Builds the packages' dist/ (the example imports them as a user does, built), then examples/nextjs
 * with the default `next build` (Turbopack) unless the last build was of the same sources
 * (a hash kept in .next), so repeated runs skip the minute it takes.
 */
export async function ensureExampleBuilt(): Promise<'cached' | 'built'> {
  await buildPackages();
  const hash = sourceHash();
  if (existsSync(join(EXAMPLE, '.next/BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) {
    return 'cached';
  }
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: EXAMPLE,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => output.push(String(d)));
    child.stderr.on('data', (d) => output.push(String(d)));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output.join('')}`);
  writeFileSync(STAMP, hash);
  return 'built';
}
