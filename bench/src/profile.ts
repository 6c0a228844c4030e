/**
 * `npm run profile -w bench -- --work invite --dialect sqlite`: runs Roster under `--cpu-prof`
 * while the bench loads one kind of work, then writes bench/results/profiles/<name>/ with
 * summary.md (time per area and per function), flame.svg and folded.txt (for other flame tools).
 *
 * Work: invite (create invitation, c=32), list (first page of a large organization, c=8),
 * accept (existing user accepts, c=8), bulk (bulk endpoint, 100 per call, c=4), webhooks (create
 * invitation, c=32, with one enabled endpoint for every event at a local receiver), tokens (token
 * refresh, c=32; `--roster-env ROSTER_SESSION_TOKEN_ALG=EdDSA` for the other algorithm).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from './db.js';
import { analyzeProfile } from './flame.js';
import type { LoadStep } from './load.js';
import { runLoad, summarize } from './load.js';
import { BENCH, startSmtpSink } from './processes.js';
import { startRoster } from './roster/product.js';
import { type BenchEndpoint, createBenchEndpoint, startWebhookReceiver } from './roster/webhook-rows.js';
import { addresses, MailCounter, sequence } from './runner.js';

const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith('--')) args.set(argv[i]!.slice(2), argv[i + 1] ?? 'true');
const work = args.get('work') ?? 'invite';
const dialect = (args.get('dialect') ?? 'sqlite') as Dialect;
const seconds = Number(args.get('seconds') ?? 15);
const size = Number(args.get('size') ?? 100_000);
const name = args.get('name') ?? `${work}-${dialect}`;
const rosterEnv = Object.fromEntries(
  (args.get('roster-env') ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=') as [string, string]),
);

const outDir = join(BENCH, 'results/profiles', name);
const profDir = join(outDir, 'raw');
rmSync(profDir, { recursive: true, force: true });
mkdirSync(profDir, { recursive: true });
const logDir = mkdtempSync(join(tmpdir(), 'roster-profile-'));
const sink = await startSmtpSink(logDir);
const mail = new MailCounter(sink.url);
const roster = await startRoster({
  dialect,
  postgresUrl: args.get('postgres-url') ?? 'postgres://postgres@127.0.0.1:5432/test',
  smtpUrl: sink.smtpUrl,
  logDir,
  cpuProfDir: profDir,
  env: rosterEnv,
  ...(args.get('roster-server') && { serverDir: args.get('roster-server')! }),
});
const receiver = work === 'webhooks' ? await startWebhookReceiver(logDir) : null;
let endpoint: BenchEndpoint | null = null;
try {
  let steps: LoadStep[];
  let connections = 8;
  let operations = 1_000_000;
  if (work === 'invite' || work === 'webhooks') {
    connections = Number(args.get('connections') ?? 32);
    if (receiver) {
      endpoint = await createBenchEndpoint(roster, receiver);
      await endpoint.enable(true);
    }
    steps = roster.invite(await roster.createOrganization('prof'), addresses(`prof-${Date.now().toString(36)}`));
  } else if (work === 'list') {
    steps = roster.listFirstPage(await roster.seedOrganization('prof', size));
  } else if (work === 'accept') {
    operations = 3_000;
    const org = await roster.createOrganization('prof');
    steps = roster.acceptAsExistingUser(sequence(await roster.seedInvitees(org, operations + 50)));
  } else if (work === 'bulk') {
    connections = 4;
    const next = addresses(`prof-${Date.now().toString(36)}`);
    steps = roster.inviteBulk(await roster.createOrganization('prof'), () => Array.from({ length: 100 }, next))!;
  } else if (work === 'tokens') {
    connections = 32;
    await roster.activateOrganization(await roster.createOrganization('prof'));
    steps = roster.refreshToken();
  } else throw new Error(`unknown --work ${work}`);
  console.log(`profiling Roster (${dialect}) under ${work} for ${seconds} s, c=${connections}`);
  const result = summarize([
    await runLoad({ url: roster.server.url, connections, operations, maxSeconds: seconds, steps, timeoutSeconds: 120 }),
  ]);
  console.log(
    `${result.ok} ok, ${result.failed} failed, ${result.perSecond.toFixed(1)}/s, p50 ${result.p50?.toFixed(1)} ms, p99 ${result.p99?.toFixed(1)} ms`,
  );
  await mail.settle(roster.mailSender, 1_500, 60_000);
  await endpoint?.drained();
  await roster.close();
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader hooks run in another).
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0');
  if (!file) throw new Error(`no .cpuprofile in ${profDir}`);
  const report = analyzeProfile(JSON.parse(readFileSync(join(profDir, file), 'utf8')), `Roster ${work} (${dialect})`);
  writeFileSync(join(outDir, 'flame.svg'), report.svg);
  writeFileSync(join(outDir, 'folded.txt'), `${report.folded}\n`);
  const perOp = (ms: number) => (result.ok ? ((ms / result.ok) * 1000).toFixed(0) : '—');
  const table = (rows: { ms: number }[], key: (r: never) => string) =>
    rows
      .map(
        (r) =>
          `| ${key(r as never).replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${((100 * r.ms) / report.busyMs).toFixed(1)}% | ${perOp(r.ms)} |`,
      )
      .join('\n');
  writeFileSync(
    join(outDir, 'summary.md'),
    `# Profile: Roster, ${work}, ${dialect}

${result.ok} operations in ${result.seconds.toFixed(1)} s (${result.perSecond.toFixed(1)}/s, c=${connections}), p50 ${result.p50?.toFixed(1)} ms, p99 ${result.p99?.toFixed(1)} ms.
CPU busy ${report.busyMs.toFixed(0)} ms of ${report.totalMs.toFixed(0)} ms profiled (the rest idle): ${perOp(report.busyMs)} µs of CPU per operation.
Flame graph: [flame.svg](flame.svg); folded stacks: folded.txt; raw profile: raw/ (not committed).

## By area (self time)

| Area | ms | % of busy | µs per op |
|---|---:|---:|---:|
${table(report.byArea, (r: { area: string }) => r.area)}

## Functions by self time

| Function | ms | % of busy | µs per op |
|---|---:|---:|---:|
${table(report.selfByFunction, (r: { frame: string }) => r.frame)}

## Functions by inclusive time

| Function | ms | % of busy | µs per op |
|---|---:|---:|---:|
${table(report.inclusiveByFunction, (r: { frame: string }) => r.frame)}
`,
  );
  console.log(`written ${outDir}/summary.md, flame.svg`);
} finally {
  await roster.close().catch(() => undefined);
  await sink.stop();
  await receiver?.stop();
}
