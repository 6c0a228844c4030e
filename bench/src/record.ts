import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from './db.js';
import type { BulkResult, StorageCeiling } from './extras.js';
import type { Summary } from './load.js';
import type { Plan } from './options.js';
import { ROOT } from './processes.js';
import { type Line, markdownTable, ms, rate } from './report.js';
import type { WebhookThroughput } from './roster/webhook-rows.js';
import type { Measured } from './runner.js';

/** Everything a run measured, the machine it ran on, and the Markdown written from it. */

export interface RunRecord {
  meta: ReturnType<typeof collectMeta>;
  ceilings: {
    http: (Summary & { peakRssMiB: number | null; cpuMsPerOp: number | null }) | null;
    storage: StorageCeiling[];
  };
  rows: ({ key: string; title: string; dialect: Dialect } & Measured)[];
  bulk: ({ product: string; dialect: Dialect } & BulkResult)[];
  scaling: { size: number; dialect: Dialect; list: Measured; create: Measured }[];
  /** The webhook delivery row (Roster only). */
  webhooks: ({ dialect: Dialect } & WebhookThroughput)[];
  seeding: { what: string; seconds: number }[];
  lines: Line[];
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function collectMeta(plan: Plan) {
  const loadAverageNow = () => loadavg().map((v) => Number(v.toFixed(2)));
  return {
    startedAt: new Date().toISOString(),
    mode: plan.quick ? 'quick' : 'full',
    rounds: plan.rounds,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageStart: loadAverageNow(),
    loadAverageEnd: [] as number[],
    loadAverageNow,
    rosterCommit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', 'packages/server', 'packages/protocol']) ? ' + uncommitted changes' : ''}`,
    rosterServer: plan.rosterServerDir ?? 'packages/server',
    rosterEnv: plan.rosterEnv,
    betterAuth: version('better-auth'),
    autocannon: version('autocannon'),
    durationSeconds: 0,
  };
}

interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

export function targets(plan: Plan, record: RunRecord): Target[] {
  const out: Target[] = [];
  const row = (key: string, dialect: Dialect) => record.rows.find((r) => r.key === key && r.dialect === dialect);
  for (const dialect of plan.dialects) {
    for (const key of ['invite-32', 'invite-1']) {
      const r = row(key, dialect);
      if (!r?.roster || !r.peer) continue;
      const x = r.roster.perSecond / r.peer.perSecond;
      out.push({
        what: `create invitation ${key === 'invite-32' ? 'c=32' : 'c=1'}, ${dialect}`,
        goal: '≥ 5× peer',
        measured: `${x.toFixed(2)}×`,
        met: x >= 5,
      });
    }
    const half = row('half-peak', dialect);
    if (half?.roster) {
      out.push({
        what: `create invitation p99 at ½ Roster peak, ${dialect}`,
        goal: '< 10 ms',
        measured: `${ms(half.roster.p99)} ms`,
        met: (half.roster.p99 ?? Infinity) < 10,
      });
    }
    const small = record.scaling.find((s) => s.dialect === dialect && s.size === Math.min(...plan.scaling.sizes));
    const big = record.scaling.find((s) => s.dialect === dialect && s.size === Math.max(...plan.scaling.sizes));
    if (small?.list.roster && big?.list.roster && small !== big) {
      const x = (big.list.roster.p50 ?? 0) / (small.list.roster.p50 ?? 1);
      out.push({
        what: `list p50 at ${big.size.toLocaleString('en')} ÷ at ${small.size.toLocaleString('en')}, ${dialect}`,
        goal: '≤ 1.5×',
        measured: `${x.toFixed(2)}× (${ms(big.list.roster.p50)} vs ${ms(small.list.roster.p50)} ms)`,
        met: x <= 1.5,
      });
    }
    const on = row('invite-32-webhooks', dialect)?.roster;
    const off = row('invite-32-no-endpoint', dialect)?.roster;
    if (on?.cpuMsPerOp && off?.cpuMsPerOp) {
      const x = on.cpuMsPerOp / off.cpuMsPerOp;
      out.push({
        what: `create invitation c=32 with a webhook endpoint ÷ without (CPU per create), ${dialect}`,
        goal: '≤ 1.15×',
        measured: `${x.toFixed(2)}× (${on.cpuMsPerOp.toFixed(2)} vs ${off.cpuMsPerOp.toFixed(2)} ms; rate ${(on.perSecond / off.perSecond).toFixed(2)}×)`,
        met: x <= 1.15,
      });
    }
    const invite = row('invite-32', dialect);
    const storage = record.ceilings.storage.find((s) => s.dialect === dialect && s.mode === 'writes');
    const http = record.ceilings.http;
    if (invite?.roster && storage && http) {
      const lower = Math.min(storage.perSecond, http.perSecond);
      const x = invite.roster.perSecond / lower;
      out.push({
        what: `create invitation c=32 ÷ lower ceiling, ${dialect}`,
        goal: '≥ 50%',
        measured: `${Math.round(100 * x)}% of ${rate(lower)}/s (${storage.perSecond < http.perSecond ? 'storage' : 'HTTP'})`,
        met: x >= 0.5,
      });
    }
  }
  return out;
}

export function buildMarkdown(plan: Plan, record: RunRecord): string {
  const m = record.meta;
  const t = targets(plan, record);
  const storage = record.ceilings.storage
    .map(
      (s) =>
        `| ${s.dialect} | ${s.mode === 'writes' ? "the invitation's writes" : 'every statement of a create'} | ${rate(s.perSecond)} |`,
    )
    .join('\n');
  return `# Roster vs Better Auth — benchmark results

${m.startedAt} · ${m.mode} run (${m.rounds} round${m.rounds === 1 ? '' : 's'} per row, products alternating) · ${(m.durationSeconds / 60).toFixed(1)} min
Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverageStart.join(' / ')} at start, ${m.loadAverageEnd.join(' / ')} at end${m.loadAverageStart[0]! > m.cores * 0.5 ? ' (**shared, busy machine: figures are noisy**)' : ''}.
Roster ${m.rosterCommit} (${m.rosterServer}${
    Object.keys(m.rosterEnv).length
      ? `, ${Object.entries(m.rosterEnv)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`
      : ''
  }) · Better Auth ${m.betterAuth} + organization plugin · autocannon ${m.autocannon}.
How it is measured: [bench/README.md](../README.md). What the figures mean, and what to fix: [bench/ANALYSIS.md](../ANALYSIS.md).

${markdownTable(record.lines)}

/s = successful operations per second (an operation may be two requests, see notes); p50 · p99 = latency of an
operation; CPU ms/op = the server process's CPU time (all threads, including the mail it sent for that run) per
operation, which other load on the machine disturbs far less than rates; Peak RSS = VmHWM of each server
process during that row. The c=32 rows run past saturation, where Node serves connections unevenly: their p99
is queueing, which is why the p99 target is taken at half of Roster's peak rate.

## Targets

| Target | Goal | Measured | Met |
|---|---|---|---|
${t.map((x) => `| ${x.what} | ${x.goal} | ${x.measured} | ${x.met === null ? dash() : x.met ? 'yes' : '**no**'} |`).join('\n')}

## Storage ceilings (transactions per second, 32 workers, Roster's schema, no HTTP)

| DB | Work | tx/s |
|---|---|---:|
${storage}

## Notes

- **Same work, same settings.** Each product runs in its own Node process, started fresh per database
  (SQLite: WAL, foreign keys, busy_timeout=5000 for both, with Roster on its default synchronous=FULL,
  decision 018, and the peer on synchronous=NORMAL, so every Roster commit pays an fsync the peer's does not;
  PostgreSQL: a database of its own on the same server, pool of 10 for both). Rate limits are off in both. Load comes from
  autocannon in the bench process, to 127.0.0.1 only, bounded in count and time.
- **Signed-in admin.** Roster: Frontend API with the session cookie and Origin; peer: Better Auth's
  signed session cookie and Origin. Each create-invitation run starts from a fresh organization.
- **Mail.** Both send through nodemailer to one local SMTP sink (\`src/smtp-sink.ts\`) that answers at
  once, counts and discards (no network). Roster: its outbox (written with the invitation) and
  dispatcher with its default transport (pooled, up to 10 connections, Nagle's algorithm off). Peer:
  \`sendInvitationEmail\` with a pooled nodemailer transport (10 connections), run in the background
  (\`advanced.backgroundTasks\`), so no request waits for SMTP. The runner waits for each run's mail before
  the next run starts, and counts the CPU it took. Nodemailer's own sockets keep Nagle's algorithm on, so
  each of the peer's messages waits ~40 ms for the sink's delayed acknowledgement (about 10 ÷ 50 ms =
  200 messages/s at most); Roster opens its connections without it (decision 015).
- **Passwords dominate sign-up and accept-as-new-user.** Roster hashes with argon2id (m=19 MiB, t=2, p=1,
  native @node-rs/argon2); Better Auth with scrypt (N=16384, r=16, p=1, node:crypto). Each hash takes
  tens of milliseconds of CPU on this machine, so these rows compare the two hashes more than the products.
- **Sign-up** is Roster's \`POST /fapi/v1/client/sign_ups\` (hash, pending sign-up, code mailed; the
  account is created by the code, one more request without hashing) vs Better Auth's
  \`POST /api/auth/sign-up/email\` (hash, user, account, session; no verification configured).
- **Accept as a new user** is one request for Roster (\`/fapi/v1/tickets/sign_up\`: account, membership
  and session at once) and two for the peer (sign-up, then accept-invitation with the new session).
- **Lists are not the same work.** Roster answers the newest 20 pending invitations and their exact
  \`total_count\`. Better Auth ${m.betterAuth}'s \`list-invitations\` has no pagination and no count: it
  returns the organization's invitations of every status, cut off silently at 100 rows (its adapter's
  \`defaultFindManyLimit\`), in table order, not newest first. So its list cost does not grow with the
  organization, and its answer is incomplete past 100. Its invite-member also reads the organization's
  pending invitations (up to 100) for its limit check, so that check stops working past 100.
- **Bulk.** Better Auth has no bulk endpoint; its figure is one invite-member call per address (c=32).
- Warm-up and seeding (not timed in any row; seeding is direct inserts in one transaction): ${record.seeding.map((s) => `${s.what} ${s.seconds.toFixed(1)} s`).join('; ') || 'none'}.
`;

  function dash() {
    return '—';
  }
}
