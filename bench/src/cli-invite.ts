import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, sleep, startServer, startSmtpSink } from './processes.js';

/**
 * `roster invite --csv` with N rows (default 10,000) against a Roster process on SQLite, mail to
 * the SMTP sink: the time until the command exits (every invitation stored, each batch recorded in
 * the result CSV) and until the sink has received every invitation mail.
 *
 *   npm run build -w @roster/protocol && npm run build -w @roster/server   (the command runs compiled)
 *   npm run cli-invite -w bench [-- rows]
 */

const ROWS = Number(process.argv[2] ?? 10_000);
const SECRET_KEY = 'sk_test_roster_bench_cli_0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'roster-bench-cli-'));
const sink = await startSmtpSink(dir);
const roster = await startServer({
  name: 'roster',
  script: join(ROOT, 'packages/server/src/main.ts'),
  port: await freePort(),
  healthPath: '/healthz',
  logDir: dir,
  tsconfig: join(ROOT, 'packages/server/tsconfig.json'),
  env: {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ROSTER_DATA_DIR: join(dir, 'data'),
    ROSTER_SECRET_KEY: SECRET_KEY,
    SMTP_URL: sink.smtpUrl,
    ROSTER_INVITATIONS_PER_HOUR: String(ROWS * 10),
  },
});
const bapi = async (path: string, body: unknown) =>
  (await (
    await fetch(`${roster.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as { id: string };
const owner = await bapi('/v1/users', {
  email_address: ['owner@example.com'],
  password: 'a long password for the bench',
});
await bapi('/v1/organizations', { name: 'Bench', slug: 'bench', created_by: owner.id });
const csv = join(dir, 'people.csv');
writeFileSync(csv, `email\n${Array.from({ length: ROWS }, (_, i) => `invitee-${i}@example.com`).join('\n')}\n`);
const mailed = async () =>
  Object.values(
    ((await (await fetch(`${sink.url}/counts`)).json()) as { counts: Record<string, number> }).counts,
  ).reduce((a, b) => a + b, 0);

try {
  const before = await mailed();
  const started = performance.now();
  const code = await new Promise<number | null>((done) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'packages/server/dist/cli/main.js'), 'invite', '--org', 'bench', '--csv', csv],
      {
        env: { PATH: process.env.PATH ?? '', ROSTER_URL: roster.url, ROSTER_SECRET_KEY: SECRET_KEY },
        stdio: ['ignore', 'inherit', 'ignore'],
      },
    );
    child.once('exit', done);
  });
  const stored = performance.now() - started;
  if (code !== 0) throw new Error(`roster invite exited with ${code}`);
  while ((await mailed()) - before < ROWS) await sleep(50);
  const allMailed = performance.now() - started;
  console.log(
    `\n| roster invite --csv, ${ROWS.toLocaleString('en')} rows | stored ${(stored / 1000).toFixed(1)} s | all mailed ${(allMailed / 1000).toFixed(1)} s |`,
  );
} finally {
  await roster.stop();
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
}
