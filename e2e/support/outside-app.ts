import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { PackedPackage } from '../../scripts/packages.js';
import { ROOT } from './example-build.js';

/**
 * A Next.js app as a user has it: its own folder outside this repository, the Roster packages
 * installed from their tarballs (copied files, no workspace links), next/react from the npm
 * registry (the local cache first), and no Roster-specific config at all.
 */

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

export interface CommandResult {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs a command with the user's environment (none of the outer `npm run`'s npm_* variables). */
export function runIn(cwd: string, command: string, args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST')),
  );
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...clean, NEXT_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

export interface OutsideApp {
  dir: string;
  write(path: string, content: string): void;
  remove(path: string): void;
  /** `next build` with the default bundler (Turbopack in Next 16). */
  build(): Promise<CommandResult>;
  destroy(): void;
}

/** Creates the app folder under the OS temp dir and runs `npm install` there. */
export async function createOutsideApp(packed: PackedPackage[]): Promise<{ app: OutsideApp; install: CommandResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-outside-app-'));
  if (!relative(ROOT, dir).startsWith('..')) throw new Error(`${dir} is inside the repository`);
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs);
  const dependencies: Record<string, string> = {
    next: versionOf('next'),
    react: versionOf('react'),
    'react-dom': versionOf('react-dom'),
  };
  // What `npm install @roster/nextjs` brings once published; here each tarball stands in for its
  // registry version, and the packages' own ^0.1.0 ranges resolve to them.
  for (const pkg of packed) {
    copyFileSync(pkg.tarball, join(tarballs, basename(pkg.tarball)));
    dependencies[pkg.name] = `file:./tarballs/${basename(pkg.tarball)}`;
  }
  const app: OutsideApp = {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    remove(path) {
      rmSync(join(dir, path), { recursive: true, force: true });
    },
    build: () => runIn(dir, process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'build']),
    destroy() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // create-next-app's package.json for a TypeScript app (no ESLint, no Tailwind).
  app.write(
    'package.json',
    `${JSON.stringify(
      {
        name: 'my-app',
        version: '0.1.0',
        private: true,
        scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
        dependencies,
        devDependencies: {
          typescript: versionOf('typescript'),
          '@types/node': versionOf('@types/node'),
          '@types/react': versionOf('@types/react'),
          '@types/react-dom': versionOf('@types/react-dom'),
        },
      },
      null,
      2,
    )}\n`,
  );
  const install = await runIn(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']);
  if (install.code !== 0) throw new Error(`npm install failed in ${dir}:\n${install.output}`);
  return { app, install };
}

/** The lines of `next build`'s output from its route table on (what a reader wants to see). */
export function buildSummary(output: string): string {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /Next\.js \d/.test(l));
  return lines
    .slice(Math.max(0, start))
    .filter((l) => l.trim() !== '')
    .join('\n');
}
