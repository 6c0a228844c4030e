import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

/**
 * The published packages, built and packed once per change of their sources and shared by
 * everything that needs them (the pack-listing test, `npm run check:packages`, the e2e builds):
 * `dist/` is rebuilt and the tarballs are remade only when an input changed, under a lock so
 * concurrent test files wait for one build instead of racing two.
 */

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..');
/** In dependency order: each builds against the `dist/` of the ones before it. */
export const PUBLISHED = ['protocol', 'client', 'react', 'nextjs'] as const;
export type PublishedName = (typeof PUBLISHED)[number];
const CACHE = join(ROOT, 'node_modules/.cache/roster-packages');
const LOCK = join(CACHE, '.lock');
const STALE_LOCK_MS = 10 * 60_000;

export interface PackedPackage {
  name: `@roster/${PublishedName}`;
  dir: PublishedName;
  /** Absolute path of the .tgz */
  tarball: string;
  /** Paths inside the tarball, sorted, as `npm pack` lists them. */
  files: string[];
}

const SKIP = new Set(['node_modules', 'dist', 'test']);

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((name) => !SKIP.has(name))
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** Everything a build or a tarball depends on. */
export function packagesHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    join(ROOT, 'tsconfig.base.json'),
    join(ROOT, 'LICENSE'),
    ...PUBLISHED.flatMap((dir) => filesUnder(join(ROOT, 'packages', dir))),
  ];
  for (const file of inputs) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = existsSync(LOCK) ? Date.now() - statSync(LOCK).mtimeMs : 0;
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function builtStampFor(hash: string): boolean {
  const stamp = join(CACHE, 'built');
  return (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === hash &&
    PUBLISHED.every((dir) => existsSync(join(ROOT, 'packages', dir, 'dist/index.js')))
  );
}

async function buildUnlocked(hash: string): Promise<'cached' | 'built'> {
  if (builtStampFor(hash)) return 'cached';
  await run('npm', ['run', 'build:packages'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(join(CACHE, 'built'), hash);
  return 'built';
}

/** `npm run build:packages` unless dist/ already holds a build of the current sources. */
export function buildPackages(): Promise<'cached' | 'built'> {
  return withLock(() => buildUnlocked(packagesHash()));
}

/** Builds (if needed) and packs the four packages; the tarballs live in node_modules/.cache. */
export function packPackages(): Promise<PackedPackage[]> {
  return withLock(async () => {
    const hash = packagesHash();
    const dir = join(CACHE, `packs-${hash}`);
    const listing = join(dir, 'listing.json');
    if (existsSync(listing) && builtStampFor(hash)) return JSON.parse(readFileSync(listing, 'utf8')) as PackedPackage[];
    await buildUnlocked(hash);
    for (const old of readdirSync(CACHE).filter((name) => name.startsWith('packs-')))
      rmSync(join(CACHE, old), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // dist/ is fresh, so skip `prepack` (which would build each package again).
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', dir, ...PUBLISHED.map((p) => `-w=@roster/${p}`)],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    const packed = (JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[]).map(
      (entry): PackedPackage => {
        const name = entry.name as PackedPackage['name'];
        return {
          name,
          dir: name.slice('@roster/'.length) as PublishedName,
          tarball: join(dir, entry.filename),
          files: entry.files.map((f) => f.path).sort(),
        };
      },
    );
    writeFileSync(listing, JSON.stringify(packed, null, 2));
    return packed;
  });
}
