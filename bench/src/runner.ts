import { type LoadResult, type LoadSpec, type LoadStep, runLoad, runPaced, type Summary, summarize } from './load.js';
import { type ServerProcess, sleep } from './processes.js';
import type { Product, ProductKey } from './product.js';

/** Measures rows for both products in alternation, with mail drained between runs. */

export class MailCounter {
  constructor(private readonly controlUrl: string) {}

  async counts(): Promise<Record<string, number>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${this.controlUrl}/counts`);
        return ((await res.json()) as { counts: Record<string, number> }).counts;
      } catch (error) {
        // A kept-alive connection the sink closed in between is the usual cause: ask again.
        if (attempt >= 3) throw error;
        await sleep(100);
      }
    }
  }

  async of(sender: string): Promise<number> {
    return (await this.counts())[sender] ?? 0;
  }

  /** Waits until `sender` has sent at least `target` messages; returns the time it took (ms) or null on timeout. */
  async waitFor(sender: string, target: number, timeoutMs: number): Promise<number | null> {
    const started = performance.now();
    while (performance.now() - started < timeoutMs) {
      if ((await this.of(sender)) >= target) return performance.now() - started;
      await sleep(50);
    }
    return null;
  }

  /** Waits until `sender`'s count has not moved for `quietMs` (mail from the last run has left). */
  async settle(sender: string, quietMs = 1_500, timeoutMs = 120_000): Promise<void> {
    const started = performance.now();
    let last = await this.of(sender);
    let since = performance.now();
    while (performance.now() - started < timeoutMs) {
      await sleep(100);
      const now = await this.of(sender);
      if (now !== last) {
        last = now;
        since = performance.now();
      } else if (performance.now() - since >= quietMs) return;
    }
  }
}

export interface RunSetup {
  steps: LoadStep[];
  /** Messages each successful operation causes; the runner waits for them before the next run. */
  mailsPerOp?: number;
}

export interface ProductMeasurement extends Summary {
  peakRssMiB: number | null;
  /** Server CPU time (all threads) per successful operation, ms: robust to other load on the machine. */
  cpuMsPerOp: number | null;
  rounds: number;
}

export interface RowSpec {
  connections: number;
  operations: number;
  maxSeconds: number;
  rate?: number;
  timeoutSeconds?: number;
  prepare(product: Product, round: number): Promise<RunSetup>;
}

export interface Measured {
  roster: ProductMeasurement | null;
  peer: ProductMeasurement | null;
}

/**
 * Runs `rounds` rounds; in each, both products run the same work one after the other, Roster
 * first in even rounds and the peer first in odd ones (`firstOffset` shifts the pattern per row),
 * so drift on a shared machine falls on both alike.
 */
export async function measureRow(options: {
  products: Product[];
  rounds: number;
  firstOffset: number;
  spec: RowSpec;
  mail: MailCounter;
  log: (line: string) => void;
}): Promise<Measured> {
  const runs = new Map<ProductKey, MeasuredRun[]>();
  for (let round = 0; round < options.rounds; round++) {
    const order = (round + options.firstOffset) % 2 === 0 ? options.products : [...options.products].reverse();
    for (const product of order) {
      const setup = await options.spec.prepare(product, round);
      const before = await options.mail.of(product.mailSender);
      const run = await measureRun(
        product.server,
        { ...loadOf(options.spec), url: product.server.url, steps: setup.steps },
        (ok) =>
          setup.mailsPerOp
            ? options.mail.waitFor(product.mailSender, before + ok * setup.mailsPerOp, 120_000)
            : options.mail.settle(product.mailSender, 1_200),
      );
      runs.set(product.key, [...(runs.get(product.key) ?? []), run]);
      logRun(options.log, product.name, round, run.result);
    }
  }
  const of = (key: ProductKey) => {
    const r = runs.get(key);
    return r ? summarizeRuns(r) : null;
  };
  return { roster: of('roster'), peer: of('peer') };
}

const loadOf = (spec: RowSpec) => ({
  connections: spec.connections,
  operations: spec.operations,
  maxSeconds: spec.maxSeconds,
  ...(spec.timeoutSeconds && { timeoutSeconds: spec.timeoutSeconds }),
  ...(spec.rate && { rate: spec.rate }),
});

export function logRun(log: (line: string) => void, name: string, round: number, result: LoadResult): void {
  log(
    `    ${name.padEnd(11)} round ${round + 1}: ${result.ok} ok, ${result.failed} failed in ${result.seconds.toFixed(1)} s` +
      (result.firstError ? `  first error: ${result.firstError.slice(0, 160)}` : ''),
  );
}

export interface MeasuredRun {
  result: LoadResult;
  peakRssMiB: number | null;
  /** Server CPU over the run and the work it left (`settle`), seconds. */
  cpuSeconds: number | null;
}

/**
 * One measured run against one server: the load, then `settle(ok)` (waits for what the run left
 * behind: its mail, its webhooks), with the server's CPU read around both, so work done in the
 * background after the responses is counted too. Paced when `load.rate` is given.
 */
export async function measureRun(
  server: ServerProcess,
  load: LoadSpec & { rate?: number },
  settle: (ok: number) => Promise<unknown>,
): Promise<MeasuredRun> {
  server.resetPeak();
  const cpuBefore = server.cpuSeconds();
  const result = load.rate ? await runPaced({ ...load, rate: load.rate }) : await runLoad(load);
  const peakRssMiB = server.peakRssMiB();
  await settle(result.ok);
  const cpuAfter = server.cpuSeconds();
  return { result, peakRssMiB, cpuSeconds: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null };
}

/** Rounds merged: rate over the time they took, exact percentiles, the highest peak, CPU per operation. */
export function summarizeRuns(runs: MeasuredRun[]): ProductMeasurement {
  const summary = summarize(runs.map((r) => r.result));
  const cpu = runs.every((r) => r.cpuSeconds !== null) ? runs.reduce((s, r) => s + r.cpuSeconds!, 0) : null;
  const peaks = runs.map((r) => r.peakRssMiB ?? 0);
  return {
    ...summary,
    peakRssMiB: Math.max(...peaks) || null,
    cpuMsPerOp: cpu !== null && summary.ok > 0 ? (1000 * cpu) / summary.ok : null,
    rounds: runs.length,
  };
}

/**
 * Runs `operations` invitation creates (c=8) on a fresh server and waits for their mail, unmeasured:
 * both products then start their rows with the hot paths compiled, as a long-running server has them.
 */
export async function warmUp(product: Product, operations: number, mail: MailCounter): Promise<void> {
  const before = await mail.of(product.mailSender);
  const org = await product.createOrganization('warm-up');
  const result = await runLoad({
    url: product.server.url,
    connections: 8,
    operations,
    maxSeconds: 30,
    steps: product.invite(org, addresses(`warm-${Date.now().toString(36)}`)),
  });
  await mail.waitFor(product.mailSender, before + result.ok, 120_000);
}

/** A counter-backed generator of unique addresses. */
export function addresses(prefix: string): () => string {
  let i = 0;
  return () => `${prefix}-${i++}@bench.test`;
}

/** Hands out seeded items in order; past the end it repeats the last (autocannon may build one spare request per connection). */
export function sequence<T>(items: T[]): () => T {
  let i = 0;
  return () => items[Math.min(i++, items.length - 1)]!;
}
