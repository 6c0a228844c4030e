import { runLoad } from '../load.js';
import type { Plan } from '../options.js';
import { logRun, type MeasuredRun, measureRun, type ProductMeasurement, summarizeRuns } from '../runner.js';
import type { RosterProduct } from './product.js';

/**
 * Token refresh (issue 13): `POST /fapi/v1/client/sessions/{id}/tokens` at c=32, what clerk-js
 * (and the Next.js middleware) call every minute per signed-in tab, for each signing algorithm.
 * Each server runs on its own process (the algorithm is `ROSTER_SESSION_TOKEN_ALG`, read at
 * start); the admin's session has an active organization, so every token carries its claims.
 */
export async function tokenRefreshRows(o: {
  plan: Plan;
  servers: { alg: string; roster: RosterProduct }[];
  log: (line: string) => void;
}): Promise<Map<string, ProductMeasurement>> {
  for (const { roster } of o.servers) {
    await roster.activateOrganization(await roster.createOrganization('tokens'));
    // Unmeasured, like the create rows' warm-up: the mint path compiled before it is timed.
    await runLoad({
      url: roster.server.url,
      connections: 8,
      operations: o.plan.warmUpOps,
      maxSeconds: 30,
      steps: roster.refreshToken(),
    });
  }
  const runs = new Map<string, MeasuredRun[]>();
  for (let round = 0; round < Math.max(2, o.plan.rounds); round++) {
    for (const { alg, roster } of round % 2 === 0 ? o.servers : [...o.servers].reverse()) {
      const run = await measureRun(
        roster.server,
        {
          url: roster.server.url,
          connections: 32,
          operations: o.plan.ops.tokenRefresh,
          maxSeconds: o.plan.maxSeconds,
          steps: roster.refreshToken(),
        },
        async () => {},
      );
      runs.set(alg, [...(runs.get(alg) ?? []), run]);
      logRun(o.log, alg, round, run.result);
    }
  }
  return new Map([...runs].map(([alg, r]) => [alg, summarizeRuns(r)]));
}
