import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Start-up of the Roster server, compiled (`node packages/server/dist/main.js`, what `npm start`
 * runs) against from source (`node --import tsx packages/server/src/main.ts`): time from spawn to
 * the first 200 from /healthz, and the process's resident memory (VmRSS) at that moment. Each
 * start gets a fresh SQLite data folder, so every run migrates an empty database.
 *
 *   npm run build -w @roster/protocol && npm run build -w @roster/server
 *   npm run startup -w bench [-- runs]
 */

const ROOT = join(import.meta.dirname, '../..');
const RUNS = Number(process.argv[2] ?? 7);

const VARIANTS = {
  compiled: ['packages/server/dist/main.js'],
  tsx: ['--conditions=@roster/source', '--import', 'tsx', 'packages/server/src/main.ts'],
} as const;

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

async function once(args: readonly string[]): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'roster-startup-'));
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      ROSTER_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      TSX_TSCONFIG_PATH: join(ROOT, 'packages/server/tsconfig.json'),
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return { ms: performance.now() - started, rss: rssMb(child.pid!) };
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: string[] = [];
for (const [name, args] of Object.entries(VARIANTS)) {
  const samples: { ms: number; rss: number }[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once(args));
  rows.push(
    `| ${name.padEnd(8)} | ${median(samples.map((s) => s.ms))
      .toFixed(0)
      .padStart(6)} ms | ${median(samples.map((s) => s.rss))
      .toFixed(0)
      .padStart(4)} MB |`,
  );
}
console.log(`Roster start-up, median of ${RUNS} (spawn to first /healthz 200; VmRSS then)\n`);
console.log('| server   | start-up  | RSS     |\n| -------- | --------- | ------- |');
for (const row of rows) console.log(row);
