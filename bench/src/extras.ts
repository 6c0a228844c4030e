import { join } from 'node:path';
import { createDatabase, type Dialect } from './db.js';
import { runLoad, type Summary, summarize } from './load.js';
import type { Plan } from './options.js';
import { BENCH, freePort, runJsonProgram, startServer } from './processes.js';
import type { Product } from './product.js';
import { addresses, type MailCounter } from './runner.js';

/** The ceilings (HTTP, storage) and the bulk run. */

/** A bare node:http server answering a fixed JSON body, loaded like the create rows (POST, c=32). */
export async function httpCeiling(
  plan: Plan,
  logDir: string,
): Promise<Summary & { peakRssMiB: number | null; cpuMsPerOp: number | null }> {
  const port = await freePort();
  const server = await startServer({
    name: 'http-ceiling',
    script: join(BENCH, 'src/ceilings/http-server.ts'),
    port,
    healthPath: '/healthz',
    logDir,
    env: {},
  });
  try {
    const next = addresses('ceiling');
    server.resetPeak();
    const cpuBefore = server.cpuSeconds() ?? 0;
    const result = await runLoad({
      url: server.url,
      connections: 32,
      operations: plan.ops.httpCeiling,
      maxSeconds: plan.maxSeconds,
      steps: [
        {
          method: 'POST',
          build: () => ({
            path: '/fapi/v1/organizations/org_x/invitations',
            headers: { cookie: `__roster_session=${'x'.repeat(43)}`, origin: 'http://127.0.0.1' },
            body: { email_address: next(), role: 'org:member' },
          }),
        },
      ],
    });
    const cpu = (server.cpuSeconds() ?? 0) - cpuBefore;
    return {
      ...summarize([result]),
      peakRssMiB: server.peakRssMiB(),
      cpuMsPerOp: result.ok ? (1000 * cpu) / result.ok : null,
    };
  } finally {
    await server.stop();
  }
}

export interface StorageCeiling {
  mode: 'writes' | 'all';
  dialect: Dialect;
  transactions: number;
  seconds: number;
  perSecond: number;
}

/** The invitation's database work alone, on a fresh database with Roster's schema. */
export async function storageCeiling(plan: Plan, dialect: Dialect, mode: 'writes' | 'all'): Promise<StorageCeiling> {
  const database = await createDatabase(dialect, `ceiling_${mode}`, plan.postgresUrl);
  try {
    return await runJsonProgram<StorageCeiling>(join(BENCH, 'src/ceilings/storage.ts'), {
      DATABASE_URL: database.url,
      MODE: mode,
      SECONDS: String(plan.storageSeconds),
      CONCURRENCY: '32',
      ORG_SIZE: String(plan.ops.inviteConcurrent),
    });
  } finally {
    await database.drop();
  }
}

export interface BulkResult {
  addresses: number;
  calls: number;
  connections: number;
  endpoint: string;
  stored: number;
  storedSeconds: number;
  mailedSeconds: number | null;
  mailed: number;
  perSecond: number;
  failedCalls: number;
  capped: boolean;
  firstError: string | null;
}

/**
 * Invites `plan.bulk.addresses` fresh addresses into a fresh organization: Roster through its
 * bulk endpoint (100 per call), the peer (no bulk endpoint) with one invite-member call per address.
 * Stored = the last call has answered (every call returns after its transactions commit);
 * mailed = the SMTP sink has received one message per stored invitation.
 */
export async function bulkInvite(plan: Plan, product: Product, mail: MailCounter): Promise<BulkResult> {
  const org = await product.createOrganization('bulk');
  const next = addresses(`bulk-${product.key}-${product.dialect}-${Date.now().toString(36)}`);
  const before = await mail.of(product.mailSender);
  const n = plan.bulk.addresses;
  const bulkSteps = product.inviteBulk(org, () => Array.from({ length: plan.bulk.perCall }, next));
  const calls = bulkSteps ? Math.ceil(n / plan.bulk.perCall) : n;
  const connections = bulkSteps ? plan.bulk.connections : 32;
  const maxSeconds = bulkSteps ? 900 : plan.bulk.peerMaxSeconds;
  const started = performance.now();
  const result = await runLoad({
    url: product.server.url,
    connections,
    operations: calls,
    maxSeconds,
    steps: bulkSteps ?? product.invite(org, next),
    timeoutSeconds: 120,
  });
  const storedSeconds = (performance.now() - started) / 1000;
  const stored = await product.countInvitations(org);
  const waited = await mail.waitFor(product.mailSender, before + stored, plan.bulk.mailTimeoutSeconds * 1000);
  const mailed = (await mail.of(product.mailSender)) - before;
  return {
    addresses: n,
    calls,
    connections,
    endpoint: bulkSteps ? `bulk endpoint, ${plan.bulk.perCall} per call` : 'one invite-member call per address',
    stored,
    storedSeconds,
    mailedSeconds: waited === null ? null : storedSeconds + waited / 1000,
    mailed,
    perSecond: stored / storedSeconds,
    failedCalls: result.failed,
    capped: stored < n,
    firstError: result.firstError,
  };
}
