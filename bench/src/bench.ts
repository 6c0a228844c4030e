/**
 * `npm run bench`: Roster and Better Auth (organization plugin) on the same machine, in the same
 * run, doing the same work, on SQLite and on PostgreSQL; plus the machine's ceilings, a bulk
 * invitation run and list scaling. Prints one table and writes it to bench/results/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from './db.js';
import { type BulkResult, bulkInvite, httpCeiling, type StorageCeiling, storageCeiling } from './extras.js';
import { parsePlan, USAGE } from './options.js';
import { startPeer } from './peer/product.js';
import { BENCH, startSmtpSink } from './processes.js';
import type { Product } from './product.js';
import { buildMarkdown, collectMeta, type RunRecord } from './record.js';
import {
  consoleTable,
  cpuMs,
  dash,
  type Line,
  latency,
  makeLine,
  mib,
  rate,
  rateCell,
  ratio,
  writeResults,
} from './report.js';
import { type RosterProduct, startRoster } from './roster/product.js';
import { type RosterRowContext, tokenRefreshLines, webhookCreateLines, webhookDeliveryLine } from './roster/rows.js';
import { startWebhookReceiver, type WebhookReceiver } from './roster/webhook-rows.js';
import { addresses, MailCounter, type Measured, measureRow, warmUp } from './runner.js';
import { comparisonRows, type ListOrganizations } from './scenarios.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const plan = parsePlan(argv);
const want = (key: string) => (plan.only ? plan.only.includes(key) : true) && !plan.skip.includes(key);
const log = (line: string) => console.log(line);
const started = performance.now();
const logDir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
const open: { close(): Promise<void> }[] = [];
const record: RunRecord = {
  meta: collectMeta(plan),
  ceilings: { http: null, storage: [] },
  rows: [],
  bulk: [],
  scaling: [],
  webhooks: [],
  seeding: [],
  lines: [],
};

async function closeAll() {
  for (const item of open.splice(0).reverse()) await item.close().catch((e) => log(`cleanup: ${String(e)}`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the servers and dropping the bench's databases`);
    void closeAll().then(() => process.exit(130));
  });
}

const line = makeLine;

function comparisonLine(work: string, db: string, m: Measured): Line {
  return line({
    work,
    db,
    roster: rateCell(m.roster),
    peer: rateCell(m.peer),
    ratio: ratio(m.roster?.perSecond, m.peer?.perSecond),
    rosterLatency: latency(m.roster),
    peerLatency: latency(m.peer),
    cpu: `${cpuMs(m.roster?.cpuMsPerOp)} · ${cpuMs(m.peer?.cpuMsPerOp)}`,
    rss: `${mib(m.roster?.peakRssMiB)} · ${mib(m.peer?.peakRssMiB)}`,
  });
}

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const value = await work();
  const seconds = (performance.now() - t) / 1000;
  record.seeding.push({ what, seconds });
  log(`  ${what}: ${seconds.toFixed(1)} s`);
  return value;
}

async function main() {
  log(`Roster bench (${plan.quick ? 'quick' : 'full'}): ${plan.dialects.join(', ')}; logs in ${logDir}`);
  const sink = await startSmtpSink(logDir);
  open.push({ close: () => sink.stop() });
  const mail = new MailCounter(sink.url);
  const { smtpUrl } = sink;
  let receiver: WebhookReceiver | null = null;
  if (want('invite-32-webhooks') || want('webhook-delivery')) {
    receiver = await startWebhookReceiver(logDir);
    open.push({ close: () => receiver!.stop() });
  }

  if (want('ceilings')) {
    log('HTTP ceiling: bare node:http, fixed JSON body, c=32');
    const http = await httpCeiling(plan, logDir);
    record.ceilings.http = http;
    record.lines.push(
      line({
        work: 'limit: HTTP ceiling, bare node:http (c=32)',
        db: dash,
        roster: rate(http.perSecond),
        rosterLatency: latency(http),
        cpu: cpuMs(http.cpuMsPerOp),
        rss: mib(http.peakRssMiB),
      }),
    );
  }

  for (const dialect of plan.dialects) {
    log(`\n== ${dialect} ==`);
    let storageWrites: StorageCeiling | null = null;
    if (want('ceilings')) {
      for (const mode of ['writes', 'all'] as const) {
        const ceiling = await storageCeiling(plan, dialect, mode);
        record.ceilings.storage.push(ceiling);
        if (mode === 'writes') storageWrites = ceiling;
        log(`  storage ceiling (${mode}): ${rate(ceiling.perSecond)} tx/s`);
      }
    }
    const launch = (env: Record<string, string> = {}) =>
      startRoster({
        dialect,
        postgresUrl: plan.postgresUrl,
        smtpUrl,
        logDir,
        ...(plan.rosterServerDir && { serverDir: plan.rosterServerDir }),
        env: { ...plan.rosterEnv, ...env },
      });
    const roster = await launch();
    open.push(roster);
    const peer = plan.products.includes('peer')
      ? await startPeer({ dialect, postgresUrl: plan.postgresUrl, smtpUrl, logDir })
      : null;
    if (peer) open.push(peer);
    const products: Product[] = peer ? [roster, peer] : [roster];
    log(`  Roster pid ${roster.server.pid}${peer ? `, peer pid ${peer.server.pid}` : ''}`);

    for (const product of products) {
      await timed(
        `${product.name} ${dialect}: warm-up, ${plan.warmUpOps.toLocaleString('en')} creates (not measured)`,
        () => warmUp(product, plan.warmUpOps, mail),
      );
    }

    const lists: ListOrganizations = { small: new Map(), large: new Map() };
    if (want('list-small') || want('list-large') || want('scaling')) {
      for (const product of products) {
        lists.small.set(
          product.key,
          await timed(`${product.name} ${dialect}: seed ${plan.listSizes.small.toLocaleString('en')} invitations`, () =>
            product.seedOrganization('s', plan.listSizes.small),
          ),
        );
        lists.large.set(
          product.key,
          await timed(`${product.name} ${dialect}: seed ${plan.listSizes.large.toLocaleString('en')} invitations`, () =>
            product.seedOrganization('l', plan.listSizes.large),
          ),
        );
      }
    }

    const own: RosterRowContext = { plan, record, roster, dialect, mail, log };
    // Beside the create row when it runs, else after the comparison rows.
    let webhookCreate = want('invite-32-webhooks') && receiver !== null;
    const runWebhookCreate = async () => {
      if (!webhookCreate || !receiver) return;
      webhookCreate = false;
      await webhookCreateLines(own, receiver);
    };
    const rows = comparisonRows(plan, lists).filter((r) => want(r.key));
    for (const [index, row] of rows.entries()) {
      log(`  ${row.title}`);
      const m = await measureRow({ products, rounds: plan.rounds, firstOffset: index, spec: row.spec, mail, log });
      record.rows.push({ key: row.key, title: row.title, dialect, ...m });
      record.lines.push(comparisonLine(row.title, dialect, m));
      if (row.key === 'invite-32' && m.roster && want('half-peak')) {
        const target = m.roster.perSecond / 2;
        log(`  create invitation at half of Roster's peak (${rate(target)}/s, c=32)`);
        const half = await measureRow({
          products: [roster],
          rounds: 1,
          firstOffset: 0,
          mail,
          log,
          spec: {
            connections: 32,
            operations: Math.max(64, Math.round(target * plan.maxSeconds * 0.6)),
            maxSeconds: plan.maxSeconds * 1.5,
            rate: target,
            prepare: async (product) => {
              const org = await product.createOrganization('half');
              return {
                steps: product.invite(org, addresses(`half-${dialect}-${Date.now().toString(36)}`)),
                mailsPerOp: 1,
              };
            },
          },
        });
        record.rows.push({
          key: 'half-peak',
          title: `create invitation at ${rate(target)}/s (half of Roster's peak)`,
          dialect,
          ...half,
        });
        record.lines.push(
          comparisonLine(`create invitation at ½ Roster peak = ${rate(target)}/s (c=32)`, dialect, half),
        );
      }
      if (row.key === 'invite-32' && m.roster) {
        const lower = Math.min(record.ceilings.http?.perSecond ?? Infinity, storageWrites?.perSecond ?? Infinity);
        if (Number.isFinite(lower)) {
          record.lines.push(
            line({
              work: "limit: storage ceiling, the invitation's writes in a loop (c=32)",
              db: dialect,
              roster: rate(storageWrites?.perSecond),
              ratio: `Roster c=32 = ${Math.round((100 * m.roster.perSecond) / lower)}% of lower ceiling`,
            }),
          );
        }
      }
      if (row.key === 'invite-32') await runWebhookCreate();
    }
    await runWebhookCreate();
    if (want('webhook-delivery') && receiver) await webhookDeliveryLine(own, receiver);
    if (want('token-refresh')) {
      await tokenRefreshLines(own, async (alg): Promise<RosterProduct> => {
        const other = await launch({ ROSTER_SESSION_TOKEN_ALG: alg });
        open.push(other);
        return {
          ...other,
          close: async () => {
            open.splice(open.indexOf(other), 1);
            await other.close();
          },
        };
      });
    }

    if (want('bulk')) {
      for (const product of products) {
        log(`  bulk: ${product.name} invites ${plan.bulk.addresses.toLocaleString('en')} addresses`);
        const result = await bulkInvite(plan, product, mail);
        record.bulk.push({ product: product.key, dialect, ...result });
        log(
          `    stored ${result.stored} in ${result.storedSeconds.toFixed(1)} s, mailed ${result.mailed} by ${result.mailedSeconds?.toFixed(1) ?? 'timeout'} s${result.firstError ? `; first error ${result.firstError.slice(0, 200)}` : ''}`,
        );
        await mail.settle(product.mailSender);
      }
      const r = record.bulk.find((b) => b.product === 'roster' && b.dialect === dialect);
      const p = record.bulk.find((b) => b.product === 'peer' && b.dialect === dialect);
      record.lines.push(
        line({
          work: `bulk ${plan.bulk.addresses.toLocaleString('en')} invitations: invitations/s; stored · all mailed (s)`,
          db: dialect,
          roster: rate(r?.perSecond),
          peer: rate(p?.perSecond),
          ratio: ratio(r?.perSecond, p?.perSecond),
          rosterLatency: bulkCell(r),
          peerLatency: bulkCell(p),
        }),
      );
    }

    if (want('scaling')) await scaling(products, lists, dialect, mail);
    for (const product of products) {
      await product.close();
      open.splice(open.indexOf(product), 1);
    }
  }
  await closeAll();
  finish();
}

function bulkCell(b: BulkResult | undefined): string {
  if (!b) return dash;
  const stored = b.capped
    ? `${b.stored.toLocaleString('en')} stored by ${b.storedSeconds.toFixed(0)} (cap)`
    : b.storedSeconds.toFixed(1);
  return `${stored} · ${b.mailedSeconds === null ? 'timeout' : b.mailedSeconds.toFixed(1)}`;
}

async function scaling(products: Product[], lists: ListOrganizations, dialect: Dialect, mail: MailCounter) {
  for (const size of plan.scaling.sizes) {
    const orgs = new Map<string, string>();
    for (const product of products) {
      const known = size === plan.listSizes.small ? lists.small : size === plan.listSizes.large ? lists.large : null;
      orgs.set(
        product.key,
        known?.get(product.key) ??
          (await timed(`${product.name} ${dialect}: seed ${size.toLocaleString('en')} invitations`, () =>
            product.seedOrganization('x', size),
          )),
      );
    }
    const label = size.toLocaleString('en');
    log(`  scaling at ${label} pending invitations`);
    const list = await measureRow({
      products,
      rounds: 1,
      firstOffset: 0,
      mail,
      log,
      spec: {
        connections: 1,
        operations: plan.scaling.listOps,
        maxSeconds: plan.maxSeconds,
        timeoutSeconds: 120,
        prepare: async (p) => ({ steps: p.listFirstPage(orgs.get(p.key)!) }),
      },
    });
    const create = await measureRow({
      products,
      rounds: 1,
      firstOffset: 1,
      mail,
      log,
      spec: {
        connections: 1,
        operations: plan.scaling.createOps,
        maxSeconds: plan.maxSeconds,
        timeoutSeconds: 120,
        prepare: async (p) => ({
          steps: p.invite(orgs.get(p.key)!, addresses(`scale-${p.key}-${size}-${Date.now().toString(36)}`)),
          mailsPerOp: 1,
        }),
      },
    });
    record.scaling.push({ size, dialect, list, create });
    record.lines.push(comparisonLine(`scaling: list first 20 of ${label} pending (c=1)`, dialect, list));
    record.lines.push(comparisonLine(`scaling: create invitation, ${label} pending in org (c=1)`, dialect, create));
  }
}

function finish() {
  record.meta.durationSeconds = (performance.now() - started) / 1000;
  record.meta.loadAverageEnd = record.meta.loadAverageNow();
  const markdown = buildMarkdown(plan, record);
  const name =
    plan.outputName ?? `${record.meta.startedAt.replace(/[:.]/g, '-').slice(0, 19)}${plan.quick ? '-quick' : ''}`;
  const files = writeResults({
    dir: join(BENCH, 'results'),
    name,
    json: { ...record, lines: undefined, table: record.lines },
    markdown,
    latest: plan.outputName === null,
  });
  log(`\n${consoleTable(record.lines)}\n`);
  log(
    `Run time ${(record.meta.durationSeconds / 60).toFixed(1)} min. Written: ${files.map((f) => f.replace(`${BENCH}/`, 'bench/')).join(', ')}`,
  );
}

main().catch(async (error) => {
  console.error(error);
  await closeAll();
  process.exit(1);
});
