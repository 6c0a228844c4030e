import { join } from 'node:path';
import type { Plan } from '../options.js';
import { BENCH, freePort, type ServerProcess, sleep, startServer } from '../processes.js';
import { randomId } from '../product.js';
import {
  addresses,
  logRun,
  type MailCounter,
  type MeasuredRun,
  measureRun,
  type ProductMeasurement,
  summarizeRuns,
} from '../runner.js';
import type { RosterProduct } from './product.js';

/**
 * Roster-only rows for webhooks (issue 12): the create row with one enabled endpoint subscribed to
 * every event, beside the same create without it, and how fast the dispatcher empties a queue.
 * The endpoint points at `src/webhooks/receiver.ts`, a bare node:http server answering 204.
 */

export interface WebhookReceiver {
  server: ServerProcess;
  /** What the receiver has had so far; `lastAt` is `Date.now()` at the last receipt. */
  count(): Promise<{ count: number; lastAt: number }>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(logDir: string): Promise<WebhookReceiver> {
  const server = await startServer({
    name: 'webhook-receiver',
    script: join(BENCH, 'src/webhooks/receiver.ts'),
    port: await freePort(),
    healthPath: '/healthz',
    logDir,
    env: {},
  });
  return {
    server,
    count: async () => (await (await fetch(`${server.url}/count`)).json()) as { count: number; lastAt: number },
    stop: () => server.stop(),
  };
}

/** One endpoint on one Roster, for every event type, switched on only while a webhook row runs. */
export interface BenchEndpoint {
  enable(on: boolean): Promise<void>;
  /** Resolves once no delivery is pending (so a run's CPU includes sending its webhooks). */
  drained(timeoutMs?: number): Promise<void>;
}

export async function createBenchEndpoint(roster: RosterProduct, receiver: WebhookReceiver): Promise<BenchEndpoint> {
  const endpoint = await roster.backend('/v1/webhook_endpoints', {
    body: { url: `${receiver.server.url}/hook`, description: 'bench receiver' },
  });
  const path = `/v1/webhook_endpoints/${endpoint.id as string}`;
  const drained = async (timeoutMs = 120_000) => {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const rows = await roster.sql.all<{ n: number }>(
        "select count(*) as n from webhook_deliveries where status = 'pending'",
      );
      if (Number(rows[0]?.n ?? 0) === 0) return;
      await sleep(50);
    }
    throw new Error('webhook deliveries still pending after the timeout');
  };
  const result: BenchEndpoint = {
    enable: async (on) => void (await roster.backend(path, { method: 'PATCH', body: { disabled: !on } })),
    drained,
  };
  await result.enable(false);
  return result;
}

/**
 * `create invitation (c=32)` alternating, round by round, between no endpoint and one enabled
 * endpoint (so drift on the machine falls on both); each run's CPU is read after its mail and its
 * webhooks have left. Events are written either way: they are the audit log.
 */
export async function webhookCreateRow(o: {
  plan: Plan;
  roster: RosterProduct;
  endpoint: BenchEndpoint;
  mail: MailCounter;
  log: (line: string) => void;
}): Promise<{ on: ProductMeasurement; off: ProductMeasurement }> {
  const runs: Record<'on' | 'off', MeasuredRun[]> = { on: [], off: [] };
  const rounds = Math.max(2, o.plan.rounds);
  for (let round = 0; round < rounds; round++) {
    for (const on of round % 2 === 0 ? [false, true] : [true, false]) {
      await o.endpoint.enable(on);
      const org = await o.roster.createOrganization(`wh${on ? 1 : 0}r${round}`);
      const before = await o.mail.of(o.roster.mailSender);
      const next = addresses(`wh-${on ? 'on' : 'off'}-${o.roster.dialect}-r${round}-${Date.now().toString(36)}`);
      const run = await measureRun(
        o.roster.server,
        {
          url: o.roster.server.url,
          connections: 32,
          operations: o.plan.ops.inviteConcurrent,
          maxSeconds: o.plan.maxSeconds,
          steps: o.roster.invite(org, next),
        },
        async (ok) => {
          await o.mail.waitFor(o.roster.mailSender, before + ok, 120_000);
          await o.endpoint.drained();
        },
      );
      runs[on ? 'on' : 'off'].push(run);
      logRun(o.log, on ? 'webhooks on' : 'no endpoint', round, run.result);
    }
  }
  await o.endpoint.enable(false);
  return { on: summarizeRuns(runs.on), off: summarizeRuns(runs.off) };
}

export interface WebhookThroughput {
  events: number;
  /** Writing the events (one transaction; the trigger fans them out into deliveries). */
  insertSeconds: number;
  /** First enqueue to last receipt. */
  seconds: number;
  perSecond: number;
  cpuMsPerEvent: number | null;
}

const EVENT_COLUMNS = [
  'id',
  'type',
  'organization_id',
  'actor',
  'ip',
  'user_agent',
  'request_id',
  'payload',
  'created_at',
];

/** An `organizationInvitation.created` payload of the usual size (the Backend API's invitation JSON). */
function invitationPayload(orgId: string, i: number, now: number): string {
  return JSON.stringify({
    object: 'organization_invitation',
    id: `orginv_bench${i}`,
    email_address: `queued-${i}@bench.test`,
    role: 'org:member',
    role_name: 'Member',
    organization_id: orgId,
    status: 'pending',
    public_metadata: {},
    private_metadata: {},
    url: null,
    expires_at: now + 30 * 86_400_000,
    created_at: now,
    updated_at: now,
  });
}

/**
 * `events` events written straight into Roster's event table (in one transaction, as a bulk
 * change would), the dispatcher woken by one write request, then timed until the receiver has
 * them all. CPU is Roster's over the whole drain.
 */
export async function webhookThroughput(o: {
  roster: RosterProduct;
  endpoint: BenchEndpoint;
  receiver: WebhookReceiver;
  events: number;
}): Promise<WebhookThroughput> {
  await o.endpoint.enable(true);
  const org = await o.roster.createOrganization('webhook-queue');
  await o.endpoint.drained();
  const before = (await o.receiver.count()).count;
  const now = Date.now();
  const tag = randomId(6).replace(/[^a-zA-Z0-9]/g, 'x');
  const rows = Array.from({ length: o.events }, (_, i) => [
    `evt_bench${tag}${i}`,
    'organizationInvitation.created',
    org,
    'system',
    '127.0.0.1',
    'bench',
    null,
    invitationPayload(org, i, now),
    now,
  ]);
  const cpuBefore = o.roster.server.cpuSeconds();
  const started = Date.now();
  await o.roster.sql.insertRows('events', EVENT_COLUMNS, rows);
  const insertSeconds = (Date.now() - started) / 1000;
  await o.endpoint.enable(true); // a write request: its answer kicks the dispatcher
  const until = performance.now() + 300_000;
  let seen = await o.receiver.count();
  while (seen.count < before + o.events && performance.now() < until) {
    await sleep(20);
    seen = await o.receiver.count();
  }
  if (seen.count < before + o.events) throw new Error(`receiver got ${seen.count - before} of ${o.events} webhooks`);
  await o.endpoint.drained();
  const cpuAfter = o.roster.server.cpuSeconds();
  await o.endpoint.enable(false);
  const seconds = (seen.lastAt - started) / 1000;
  return {
    events: o.events,
    insertSeconds,
    seconds,
    perSecond: o.events / seconds,
    cpuMsPerEvent: cpuBefore !== null && cpuAfter !== null ? (1000 * (cpuAfter - cpuBefore)) / o.events : null,
  };
}
