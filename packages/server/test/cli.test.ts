import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort } from './support/processes.js';

/**
 * `roster migrate` as a deploy script runs it: a process (from the sources, through tsx) against
 * a fresh database (an SQLite file, or a fresh PostgreSQL schema in the postgres project).
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'packages/server/src/cli/main.ts');
let database: TestDatabase;
let dataDir: string;
let env: Record<string, string>;

function roster(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--conditions=@roster/source', '--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ROSTER_DATA_DIR: dataDir,
    DATABASE_URL: database.dialect === 'sqlite' ? `file:${join(dataDir, 'roster.sqlite')}` : database.url,
  };
});

afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('roster migrate', () => {
  it('status lists every migration as pending on a new database and exits 3; up applies them; then status is clean', async () => {
    const before = await roster('migrate', 'status', '--json');
    expect(before.stderr).toBe('');
    expect(before.code).toBe(3);
    const listed = JSON.parse(before.stdout) as {
      migrations: { name: string; executedAt: string | null }[];
      pending: number;
    };
    expect(listed.pending).toBeGreaterThan(0);
    expect(listed.migrations.every((m) => m.executedAt === null)).toBe(true);

    const up = await roster('migrate', 'up');
    expect(up.code).toBe(0);
    expect(up.stdout.trim().split('\n')).toEqual(listed.migrations.map((m) => `applied  ${m.name}`));

    const after = await roster('migrate', 'status');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('Up to date.');
    expect(after.stdout.split('\n').filter((line) => line.startsWith('pending'))).toEqual([]);

    const again = await roster('migrate', 'up');
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('Nothing to migrate: the schema is up to date.');
  }, 90_000);

  it('refuses bad usage with exit code 2 and the help', async () => {
    for (const args of [['migrate'], ['migrate', 'sideways'], ['frobnicate'], ['migrate', 'status', '--nope']]) {
      const result = await roster(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: roster <command>');
    }
  }, 90_000);

  it('reports a database it cannot open, exit code 1, no stack trace', async () => {
    const saved = env;
    env = { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    try {
      const result = await roster('migrate', 'status');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^roster: /);
      expect(result.stderr).not.toContain('    at ');
    } finally {
      env = saved;
    }
  }, 90_000);
});

// After the migrate tests: starting migrates the same database.
describe('roster start', () => {
  it('starts the server (migrating first), answers /healthz, and stops on SIGTERM with exit code 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--conditions=@roster/source', '--import', 'tsx', CLI, 'start'], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        TSX_TSCONFIG_PATH: join(ROOT, 'packages/server/tsconfig.json'),
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    try {
      const deadline = Date.now() + 60_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && child.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (!healthy) await new Promise((r) => setTimeout(r, 100));
      }
      expect(healthy).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
