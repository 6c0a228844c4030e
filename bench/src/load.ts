import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/**
 * Load through autocannon against 127.0.0.1, bounded in count (`operations`) and in time
 * (`maxSeconds`). An operation is a sequence of one or more requests made in order on one
 * connection (the peer's "sign up, then accept" is two); its latency is the sum of its requests'.
 * Every response time is kept, so rounds can be merged into exact percentiles.
 */

export type Context = Record<string, unknown>;

export interface LoadStep {
  method: 'GET' | 'POST';
  /** Builds the request; called once per request sent. */
  build(context: Context): { path: string; headers?: Record<string, string>; body?: unknown };
  /** Sees the response (for example to keep a cookie for the next step). */
  onResponse?(status: number, body: string, context: Context, headers: Record<string, string | string[]>): void;
}

export interface LoadSpec {
  url: string;
  connections: number;
  operations: number;
  maxSeconds: number;
  steps: LoadStep[];
  timeoutSeconds?: number;
}

export interface LoadResult {
  /** Operations whose every request answered 2xx. */
  ok: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  firstError: string | null;
}

interface ClientState {
  step: number;
  sumMs: number;
  failed: boolean;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  const states = new Map<unknown, ClientState>();
  const steps = spec.steps;

  const requests = steps.map((step) => ({
    method: step.method,
    setupRequest: (req: Record<string, unknown>, context: Context) => {
      const built = step.build(context);
      const headers: Record<string, string> = { ...built.headers };
      let body: string | undefined;
      if (built.body !== undefined) {
        body = JSON.stringify(built.body);
        headers['content-type'] = 'application/json';
      }
      return { ...req, method: step.method, path: built.path, headers, ...(body !== undefined && { body }) };
    },
    onResponse: (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => {
      if (status >= 400 && firstError === null) firstError = `${status} ${String(body).slice(0, 400)}`;
      step.onResponse?.(status, body, context, headers);
    },
  }));

  const started = performance.now();
  let lastDone = started;
  let finished: (error: Error | null) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finished = (error) => (error ? reject(error) : resolve());
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      amount: spec.operations * steps.length,
      timeout: spec.timeoutSeconds ?? 30,
      requests: requests as never,
    },
    (error) => finished(error ?? null),
  );
  instance.on('response', (client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    let state = states.get(client);
    if (!state) {
      state = { step: 0, sumMs: 0, failed: false };
      states.set(client, state);
    }
    state.sumMs += responseTime;
    if (process.env.BENCH_DEBUG_SLOW && responseTime > Number(process.env.BENCH_DEBUG_SLOW)) {
      console.log(
        `      slow: ${responseTime.toFixed(0)} ms, answered ${(performance.now() - started).toFixed(0)} ms into the run`,
      );
    }
    if (statusCode < 200 || statusCode >= 300) state.failed = true;
    state.step++;
    if (state.step === steps.length) {
      if (state.failed) failed++;
      else {
        ok++;
        latencies.push(state.sumMs);
      }
      lastDone = performance.now();
      state.step = 0;
      state.sumMs = 0;
      state.failed = false;
    }
  });
  instance.on('reqError', (error: Error) => {
    statuses.error = (statuses.error ?? 0) + 1;
    if (firstError === null) firstError = `request error: ${error.message}`;
  });
  const cap = setTimeout(() => instance.stop(), spec.maxSeconds * 1000);
  await done;
  clearTimeout(cap);
  const seconds = Math.max(1e-3, (lastDone - started) / 1000);
  return { ok, failed, seconds, latenciesMs: latencies, statuses, firstError };
}

/** The value at quantile `q` (0..1) of the merged, sorted latencies. */
export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export interface Summary {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  statuses: Record<string, number>;
  firstError: string | null;
}

/** Merges rounds: rate = operations over the time they took, percentiles over every latency. */
export function summarize(results: LoadResult[]): Summary {
  const all = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const ok = results.reduce((s, r) => s + r.ok, 0);
  const seconds = results.reduce((s, r) => s + r.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    ok,
    failed: results.reduce((s, r) => s + r.failed, 0),
    seconds,
    perSecond: seconds > 0 ? ok / seconds : 0,
    p50: percentile(all, 0.5),
    p99: percentile(all, 0.99),
    statuses,
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
  };
}

/**
 * Open-loop load at a steady rate: request i is sent at start + i / rate whatever happened to the
 * others, over a keep-alive pool of `connections` sockets, and its latency runs from the moment it
 * was due (so a stall is charged to every request it delays). autocannon's own pacing sends each
 * connection's quota at the top of every second, a burst that measures its queue, not the server.
 * One-step operations only.
 */
export async function runPaced(spec: LoadSpec & { rate: number }): Promise<LoadResult> {
  const step = spec.steps[0]!;
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const interval = 1000 / spec.rate;
  const deadline = started + spec.maxSeconds * 1000;
  const inFlight: Promise<void>[] = [];
  const fire = (due: number) =>
    new Promise<void>((done) => {
      const built = step.build({});
      const body = built.body === undefined ? undefined : JSON.stringify(built.body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: step.method,
          path: built.path,
          agent,
          timeout: (spec.timeoutSeconds ?? 30) * 1000,
          headers: {
            ...built.headers,
            ...(body !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              ok++;
              latencies.push(performance.now() - due);
            } else {
              failed++;
              if (firstError === null) firstError = `${status} ${text.slice(0, 400)}`;
            }
            done();
          });
        },
      );
      req.on('error', (error) => {
        failed++;
        statuses.error = (statuses.error ?? 0) + 1;
        if (firstError === null) firstError = `request error: ${error.message}`;
        done();
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  for (let i = 0; i < spec.operations; i++) {
    const due = started + i * interval;
    if (due > deadline) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(fire(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { ok, failed, seconds: (performance.now() - started) / 1000, latenciesMs: latencies, statuses, firstError };
}
