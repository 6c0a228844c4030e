#!/usr/bin/env node
/**
 * `npm start`: runs the compiled server (packages/server/dist/main.js) in this process, building
 * @roster/protocol and @roster/server first when their dist/ is missing or older than a source
 * file, so a fresh clone still needs only `npm install && npm start`. With arguments it runs the
 * `roster` command line instead: `npm run roster -- migrate status`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = [
  { name: '@roster/protocol', dir: 'packages/protocol', output: 'dist/index.js' },
  { name: '@roster/server', dir: 'packages/server', output: 'dist/main.js' },
];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function isStale({ dir, output }) {
  const built = join(ROOT, dir, output);
  if (!existsSync(built)) return true;
  const inputs = ['src', 'package.json', 'tsconfig.build.json'].map((p) => join(ROOT, dir, p));
  return Math.max(...inputs.map(newestMtime), newestMtime(join(ROOT, 'tsconfig.base.json'))) > statSync(built).mtimeMs;
}

// A stale protocol means a rebuild of both: the server is compiled against protocol's dist/.
const stale = PACKAGES.findIndex(isStale);
if (stale !== -1) {
  for (const pkg of PACKAGES.slice(stale)) {
    console.error(`Building ${pkg.name} (its dist/ is missing or older than its sources)…`);
    execFileSync('npm', ['run', 'build', '-w', pkg.name], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  }
}
const entry = process.argv.length > 2 ? 'dist/cli/main.js' : 'dist/main.js';
await import(pathToFileURL(join(ROOT, 'packages/server', entry)).href);
