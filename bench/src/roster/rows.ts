import type { Dialect } from '../db.js';
import type { Plan } from '../options.js';
import type { RunRecord } from '../record.js';
import { cpuMs, latency, makeLine, mib, rate, rateCell } from '../report.js';
import type { MailCounter, ProductMeasurement } from '../runner.js';
import type { RosterProduct } from './product.js';
import { tokenRefreshRows } from './token-rows.js';
import {
  type BenchEndpoint,
  createBenchEndpoint,
  type WebhookReceiver,
  webhookCreateRow,
  webhookThroughput,
} from './webhook-rows.js';

/** The Roster-only rows (no peer equivalent): they measure and add their lines to the record. */

export interface RosterRowContext {
  plan: Plan;
  record: RunRecord;
  roster: RosterProduct;
  dialect: Dialect;
  mail: MailCounter;
  log: (line: string) => void;
}

const times = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `×${(a / b).toFixed(2)}` : '—');

function rosterLine(work: string, dialect: Dialect, m: ProductMeasurement, ratio = '—') {
  return makeLine({
    work,
    db: dialect,
    roster: rateCell(m),
    ratio,
    rosterLatency: latency(m),
    cpu: cpuMs(m.cpuMsPerOp),
    rss: mib(m.peakRssMiB),
  });
}

/** One endpoint per Roster server, made on first use. */
const endpoints = new WeakMap<RosterProduct, BenchEndpoint>();
async function endpointOf(roster: RosterProduct, receiver: WebhookReceiver): Promise<BenchEndpoint> {
  const known = endpoints.get(roster);
  if (known) return known;
  const made = await createBenchEndpoint(roster, receiver);
  endpoints.set(roster, made);
  return made;
}

export async function webhookCreateLines(ctx: RosterRowContext, receiver: WebhookReceiver): Promise<void> {
  ctx.log('  create invitation (c=32): no webhook endpoint vs one enabled endpoint, all events');
  const { on, off } = await webhookCreateRow({ ...ctx, endpoint: await endpointOf(ctx.roster, receiver) });
  const { dialect } = ctx;
  ctx.record.rows.push(
    {
      key: 'invite-32-no-endpoint',
      title: 'create invitation (c=32), no webhook endpoint',
      dialect,
      roster: off,
      peer: null,
    },
    {
      key: 'invite-32-webhooks',
      title: 'create invitation (c=32), webhooks + audit on',
      dialect,
      roster: on,
      peer: null,
    },
  );
  ctx.record.lines.push(
    rosterLine('create invitation (c=32), audit on, no webhook endpoint (alternating with ↓)', dialect, off),
    rosterLine(
      'create invitation (c=32), webhooks + audit on: 1 endpoint, all events',
      dialect,
      on,
      `CPU/op ${times(on.cpuMsPerOp, off.cpuMsPerOp)}, rate ${times(on.perSecond, off.perSecond)} of ↑`,
    ),
  );
}

export async function webhookDeliveryLine(ctx: RosterRowContext, receiver: WebhookReceiver): Promise<void> {
  const events = ctx.plan.webhookEvents;
  ctx.log(`  webhook delivery: ${events.toLocaleString('en')} events queued at once, one endpoint`);
  const result = await webhookThroughput({
    roster: ctx.roster,
    endpoint: await endpointOf(ctx.roster, receiver),
    receiver,
    events,
  });
  ctx.log(
    `    ${result.events} delivered in ${result.seconds.toFixed(2)} s (insert ${result.insertSeconds.toFixed(2)} s): ${rate(result.perSecond)} events/s`,
  );
  ctx.record.webhooks.push({ dialect: ctx.dialect, ...result });
  ctx.record.lines.push(
    makeLine({
      work: `webhook delivery: ${events.toLocaleString('en')} events queued, events/s; first enqueue → last receipt (s)`,
      db: ctx.dialect,
      roster: rate(result.perSecond),
      rosterLatency: result.seconds.toFixed(2),
      cpu: cpuMs(result.cpuMsPerEvent),
    }),
  );
}

/** Token refresh on this Roster and on a second one signing with the other algorithm. */
export async function tokenRefreshLines(
  ctx: RosterRowContext,
  startOther: (alg: 'RS256' | 'EdDSA') => Promise<RosterProduct>,
): Promise<void> {
  const alg = ctx.plan.rosterEnv.ROSTER_SESSION_TOKEN_ALG === 'EdDSA' ? 'EdDSA' : 'RS256';
  const otherAlg = alg === 'RS256' ? 'EdDSA' : 'RS256';
  const other = await startOther(otherAlg);
  try {
    ctx.log(`  token refresh (c=32), ${alg} and ${otherAlg} (a second Roster, pid ${other.server.pid})`);
    const servers = [
      { alg, roster: ctx.roster },
      { alg: otherAlg, roster: other },
    ].sort((a, b) => a.alg.localeCompare(b.alg));
    const measured = await tokenRefreshRows({ plan: ctx.plan, servers, log: ctx.log });
    const ceiling = ctx.record.ceilings.http?.perSecond;
    for (const [name, m] of measured) {
      ctx.record.rows.push({
        key: `token-refresh-${name}`,
        title: `token refresh ${name} (c=32)`,
        dialect: ctx.dialect,
        roster: m,
        peer: null,
      });
      ctx.record.lines.push(
        rosterLine(
          `token refresh, ${name}: POST /fapi/v1/client/sessions/{id}/tokens (c=32)`,
          ctx.dialect,
          m,
          ceiling ? `${Math.round((100 * m.perSecond) / ceiling)}% of HTTP ceiling` : '—',
        ),
      );
    }
  } finally {
    await other.close();
  }
}
