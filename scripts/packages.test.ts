import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPackages } from './check-packages.js';
import { type PackedPackage, PUBLISHED, packPackages, ROOT } from './packages.js';

/**
 * What `npm pack` ships for each published package: its built dist/ (JavaScript, declarations,
 * source maps) for every source module, the package's README, LICENSE and CHANGELOG, and nothing
 * else: no TypeScript sources, no tsconfig, no tests. Then publint and attw on the same tarballs.
 */

let packed: PackedPackage[];

function sourceModules(dir: string): string[] {
  const src = join(ROOT, 'packages', dir, 'src');
  const walk = (path: string): string[] =>
    statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => walk(join(path, name))) : [path];
  return walk(src)
    .map((file) => relative(src, file))
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => file.replace(/\.tsx?$/, ''));
}

beforeAll(async () => {
  packed = await packPackages();
}, 300_000);

describe('npm pack', () => {
  it.each(PUBLISHED)('@roster/%s ships dist/ and its docs, nothing else', (dir) => {
    const pkg = packed.find((p) => p.dir === dir)!;
    const expected = [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
      ...sourceModules(dir).flatMap((m) => [`dist/${m}.d.ts`, `dist/${m}.js`, `dist/${m}.js.map`]),
    ].sort();
    expect(pkg.files).toEqual(expected);
    expect(pkg.files.filter((f) => /(?<!\.d)\.tsx?$/.test(f) || /tsconfig|\.test\./.test(f))).toEqual([]);
  });
});

describe('publint and @arethetypeswrong/cli', () => {
  it('pass on every tarball', async () => {
    const failed = (await checkPackages()).filter((r) => !r.ok);
    expect(failed.map((r) => `${r.name} ${r.tool}:\n${r.output}`).join('\n\n')).toBe('');
  }, 300_000);
});
